#include "web/csv.h"

namespace rt::web {

std::string CsvCell(std::string_view v) {
  std::string cell;
  cell.reserve(v.size() + 3);
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    cell += '\'';
  }
  cell += v;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char ch : cell) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  quoted += '"';
  return quoted;
}

void AppendCsvRow(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvCell(cells[i]);
  }
  out += "\r\n";
}

http::Response CsvResponse(std::string body, const std::string& filename) {
  http::Response r;
  r.status = 200;
  r.SetHeader("Content-Type", "text/csv; charset=utf-8; header=present");
  r.SetHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  r.SetHeader("Cache-Control", "no-store");
  r.body = std::move(body);
  return r;
}

}  // namespace rt::web
