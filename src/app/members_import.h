#ifndef RT_APP_MEMBERS_IMPORT_H_
#define RT_APP_MEMBERS_IMPORT_H_

#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "app/context.h"

namespace rt::app {

struct ImportRejection {
  int line = 0;          // 1-based line number in the file
  std::string reason;    // plain words
};

struct ImportReport {
  int added = 0;
  int updated = 0;
  int unchanged = 0;
  std::vector<ImportRejection> rejected;
  std::string Summary() const;  // "N added, N updated, N unchanged, N rejected"
};

// Imports association memberships from CSV with the header
// `email,member_type,paid_through` (any column order; extra columns are
// ignored). Upserts by email, so running the same file twice changes
// nothing the second time. Rows are written in batches of a few thousand
// per transaction; `progress(lines_done)` is called after each batch.
// A row that fails validation is rejected with its line and reason; the
// rest still land. Errors: kInvalidInput "invalid_csv" when the header is
// missing columns; kNotFound "association_not_found".
class MembersImporter {
 public:
  explicit MembersImporter(const AppContext& ctx) : ctx_(ctx) {}
  Result<ImportReport> Import(std::istream& csv, const std::string& association_slug,
                              const std::function<void(int)>& progress = {});

  static constexpr size_t kMaxLineBytes = 4096;
  static constexpr int kBatchRows = 2000;

 private:
  const AppContext& ctx_;
};

// Splits one CSV record (RFC 4180 quoting, no embedded newlines). Returns
// false on unbalanced quotes.
bool SplitCsvLine(std::string_view line, std::vector<std::string>* fields);

}  // namespace rt::app

#endif  // RT_APP_MEMBERS_IMPORT_H_
