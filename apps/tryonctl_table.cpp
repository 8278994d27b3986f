#include "apps/tryonctl_table.hpp"

#include <algorithm>
#include <ostream>

namespace tryon::ctl {

void print_table(std::ostream& out, const table_row& header,
                 const std::vector<table_row>& rows) {
  std::vector<std::size_t> width(header.size());
  auto measure = [&width](const table_row& row) {
    for (std::size_t i = 0; i < row.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], row[i].size());
  };
  measure(header);
  for (const auto& row : rows)
    measure(row);
  auto print = [&](const table_row& row) {
    std::string line;
    for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size())
        line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out << line << '\n';
  };
  print(header);
  for (const auto& row : rows)
    print(row);
}

} // namespace tryon::ctl
