# Writes OUTPUT, a C++ file defining builtin_migrations() from every
# MIGRATIONS_DIR/NNNN_name.sql (sorted by name). Run with `cmake -P`.
file(GLOB files "${MIGRATIONS_DIR}/*.sql")
list(SORT files)
set(entries "")
foreach(f IN LISTS files)
  get_filename_component(stem "${f}" NAME_WE)
  if(NOT stem MATCHES "^([0-9]+)_([A-Za-z0-9_]+)$")
    message(FATAL_ERROR "migration file name must be NNNN_name.sql: ${f}")
  endif()
  set(name "${CMAKE_MATCH_2}")
  string(REGEX REPLACE "^0+" "" version "${CMAKE_MATCH_1}")
  if(version STREQUAL "")
    message(FATAL_ERROR "migration versions start at 1: ${f}")
  endif()
  file(READ "${f}" sql)
  string(FIND "${sql}" ")tryon_sql" bad)
  if(NOT bad EQUAL -1)
    message(FATAL_ERROR "${f} contains the raw-string delimiter")
  endif()
  string(APPEND entries
         "    {${version}, \"${name}\", R\"tryon_sql(${sql})tryon_sql\"},\n")
endforeach()
set(text "// Generated from persistence/migrations/*.sql: do not edit.
#include \"persistence/migration.hpp\"

namespace tryon::persistence {

const std::vector<migration>& builtin_migrations() {
  static const std::vector<migration> all{
${entries}  };
  return all;
}

} // namespace tryon::persistence
")
file(WRITE "${OUTPUT}" "${text}")
