#include "web/csv.h"

namespace rt::web {

std::string CsvCell(std::string_view value) {
  std::string cell;
  cell.reserve(value.size() + 3);
  if (!value.empty()) {
    char first = value.front();
    if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
        first == '\r') {
      cell += '\'';
    }
  }
  cell += value;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char ch : cell) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  quoted += '"';
  return quoted;
}

template <typename It>
void CsvWriter::Append(It first, It last) {
  for (It it = first; it != last; ++it) {
    if (it != first) text_ += ',';
    text_ += CsvCell(*it);
  }
  text_ += "\r\n";
}

void CsvWriter::Row(std::initializer_list<std::string_view> cells) {
  Append(cells.begin(), cells.end());
}

void CsvWriter::Row(const std::vector<std::string>& cells) { Append(cells.begin(), cells.end()); }

http::Response CsvDownload(std::string_view filename, std::string body) {
  std::string name;
  name.reserve(filename.size());
  for (char ch : filename) {
    bool safe = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                ch == '-' || ch == '_' || ch == '.';
    name += safe ? ch : '-';
  }
  http::Response r;
  r.SetHeader("Content-Type", "text/csv; charset=utf-8; header=present");
  r.SetHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
  r.SetHeader("Cache-Control", "no-store");
  r.body = std::move(body);
  return r;
}

}  // namespace rt::web
