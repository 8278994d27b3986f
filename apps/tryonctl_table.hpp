#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace tryon::ctl {

/// One row of cells.
using table_row = std::vector<std::string>;

/// Prints `header` and `rows` as left-aligned columns two spaces apart.
void print_table(std::ostream& out, const table_row& header,
                 const std::vector<table_row>& rows);

} // namespace tryon::ctl
