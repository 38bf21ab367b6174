#ifndef RT_WEB_CSV_H_
#define RT_WEB_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

// CSV files for download (RFC 4180): cells quoted when they must be, rows
// ending in CRLF, and nothing a spreadsheet would run as a formula.
namespace rt::web {

// `v` as one CSV cell. A cell that starts with = + - @ (or a tab or carriage
// return) gets a leading ' so that spreadsheets show it as text instead of
// evaluating it (CSV injection); then a cell holding a comma, a quote or a
// line break is quoted, its quotes doubled.
std::string CsvCell(std::string_view v);

// Appends one row of `cells` and a CRLF to `out`.
void AppendCsvRow(std::string& out, const std::vector<std::string>& cells);

// `body` as a download named `filename` (ASCII letters, digits, - and .).
http::Response CsvResponse(std::string body, const std::string& filename);

}  // namespace rt::web

#endif  // RT_WEB_CSV_H_
