# Generates <build>/generated/tryon_version.hpp with the project version and
# the git commit (short hash, "-dirty" with local changes) read at configure
# time; "unknown" outside a git checkout or without git. Reconfigure to
# refresh it (scripts/lib/build.sh configures on every build).
find_package(Git QUIET)
set(TRYON_GIT_COMMIT "unknown")
if(GIT_FOUND)
  execute_process(
    COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    OUTPUT_VARIABLE _tryon_commit
    RESULT_VARIABLE _tryon_rc
    ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(_tryon_rc EQUAL 0 AND _tryon_commit)
    set(TRYON_GIT_COMMIT "${_tryon_commit}")
    execute_process(
      COMMAND ${GIT_EXECUTABLE} diff --quiet HEAD --
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
      RESULT_VARIABLE _tryon_dirty
      ERROR_QUIET)
    if(NOT _tryon_dirty EQUAL 0)
      string(APPEND TRYON_GIT_COMMIT "-dirty")
    endif()
  endif()
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.hpp.in
               ${PROJECT_BINARY_DIR}/generated/tryon_version.hpp @ONLY)
add_library(tryon_version INTERFACE)
target_include_directories(tryon_version INTERFACE ${PROJECT_BINARY_DIR}/generated)
