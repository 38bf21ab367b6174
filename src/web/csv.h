#ifndef RT_WEB_CSV_H_
#define RT_WEB_CSV_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

// CSV for the exports staff open in a spreadsheet (issue 7): RFC 4180
// (comma-separated, CRLF line ends, fields quoted when they hold a comma,
// quote, CR or LF, quotes doubled), and safe to open: a cell that a
// spreadsheet would run as a formula (starting with =, +, -, @, tab or CR)
// gets a leading apostrophe, which spreadsheets show as text (OWASP "CSV
// injection"). Numbers we write are never negative, so no figure changes.
namespace rt::web {

// One cell as it goes into a line: defused, then quoted when it must be.
std::string CsvCell(std::string_view value);

// Builds a CSV document line by line. Not thread-safe; cheap to make.
class CsvWriter {
 public:
  // Appends one line of cells (CsvCell each), ended by CRLF.
  void Row(std::initializer_list<std::string_view> cells);
  void Row(const std::vector<std::string>& cells);
  // The document so far.
  const std::string& text() const { return text_; }
  std::string Take() { return std::move(text_); }

 private:
  template <typename It>
  void Append(It first, It last);
  std::string text_;
};

// A 200 response that downloads `body` as `filename` (ASCII: letters,
// digits, '-', '_' and '.'; anything else becomes '-'), typed
// text/csv; charset=utf-8 (RFC 7111 header=present), never cached.
http::Response CsvDownload(std::string_view filename, std::string body);

}  // namespace rt::web

#endif  // RT_WEB_CSV_H_
