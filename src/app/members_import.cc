#include "app/members_import.h"

#include <optional>

#include "core/text.h"
#include "domain/accounts/account.h"
#include "domain/members/membership.h"

namespace rt::app {

std::string ImportReport::Summary() const {
  return std::to_string(added) + " added, " + std::to_string(updated) + " updated, " +
         std::to_string(unchanged) + " unchanged, " + std::to_string(rejected.size()) +
         " rejected";
}

bool SplitCsvLine(std::string_view line, std::vector<std::string>* fields) {
  fields->clear();
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields->push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (quoted) return false;
  fields->push_back(std::move(cur));
  return true;
}

namespace {

struct Row {
  int line;
  std::string email;
  std::string member_type;
  Date paid_through;
};

// Validates one record; on failure fills `why` and returns nullopt.
std::optional<Row> ParseRow(int line, const std::vector<std::string>& f, int ci_email,
                            int ci_type, int ci_paid, std::string* why) {
  int needed = std::max({ci_email, ci_type, ci_paid});
  if (static_cast<int>(f.size()) <= needed) {
    *why = "expected " + std::to_string(needed + 1) + " columns, found " +
           std::to_string(f.size());
    return std::nullopt;
  }
  Row r{line, {}, {}, {}};
  auto email = NormalizeEmail(f[ci_email]);
  if (!email.ok()) {
    *why = "invalid email address '" + std::string(text::Trim(f[ci_email])).substr(0, 80) + "'";
    return std::nullopt;
  }
  r.email = *email;
  auto type = ValidateMemberType(f[ci_type]);
  if (!type.ok()) {
    *why = type.error().message;
    return std::nullopt;
  }
  r.member_type = *type;
  auto date = Date::ParseIso(text::Trim(f[ci_paid]));
  if (!date) {
    *why = "paid_through must be a date like 2026-12-31, found '" +
           std::string(text::Trim(f[ci_paid])).substr(0, 40) + "'";
    return std::nullopt;
  }
  r.paid_through = *date;
  return r;
}

}  // namespace

Result<ImportReport> MembersImporter::Import(std::istream& csv,
                                             const std::string& association_slug,
                                             const std::function<void(int)>& progress) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(std::optional<Association> assoc,
                      db->associations().FindBySlug(association_slug));
  if (!assoc) {
    return MakeError(ErrorKind::kNotFound, "association_not_found",
                     "There is no association called '" + association_slug + "'.");
  }

  std::string line;
  std::vector<std::string> fields;
  int line_no = 0;
  // Header.
  int ci_email = -1, ci_type = -1, ci_paid = -1;
  while (std::getline(csv, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // BOM
    if (text::Trim(line).empty()) continue;
    SplitCsvLine(line, &fields);
    for (int i = 0; i < static_cast<int>(fields.size()); ++i) {
      std::string name = text::ToLowerAscii(text::Trim(fields[i]));
      if (name == "email") ci_email = i;
      if (name == "member_type") ci_type = i;
      if (name == "paid_through") ci_paid = i;
    }
    break;
  }
  if (ci_email < 0 || ci_type < 0 || ci_paid < 0) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_csv",
                     "The first line must name the columns email,member_type,paid_through.");
  }

  ImportReport report;
  std::vector<Row> batch;
  batch.reserve(kBatchRows);
  TimePoint now = ctx_.Now();

  auto flush = [&]() -> Status {
    if (batch.empty()) return OkStatus();
    ImportReport delta;
    Status s = db->InTransaction([&]() -> Status {
      delta = ImportReport{};
      for (const Row& r : batch) {
        RT_ASSIGN_OR_RETURN(std::optional<Membership> existing,
                            db->memberships().FindByEmail(assoc->id, r.email));
        if (existing) {
          if (existing->member_type == r.member_type &&
              existing->paid_through == r.paid_through) {
            ++delta.unchanged;
            continue;
          }
          existing->member_type = r.member_type;
          existing->paid_through = r.paid_through;
          existing->source = MembershipSource::kImport;
          RT_RETURN_IF_ERROR(db->memberships().Update(*existing, now));
          ++delta.updated;
        } else {
          Membership m;
          m.association_id = assoc->id;
          m.email = r.email;
          m.member_type = r.member_type;
          m.paid_through = r.paid_through;
          m.source = MembershipSource::kImport;
          RT_ASSIGN_OR_RETURN(std::optional<Account> account, db->accounts().FindByEmail(r.email));
          // An unverified account gets it when its address is verified.
          if (account && account->email_verified()) m.account_id = account->id;
          RT_RETURN_IF_ERROR(db->memberships().Insert(m, now));
          ++delta.added;
        }
      }
      return OkStatus();
    });
    if (!s.ok()) return s;
    report.added += delta.added;
    report.updated += delta.updated;
    report.unchanged += delta.unchanged;
    batch.clear();
    if (progress) progress(line_no);
    return OkStatus();
  };

  // A later row for the same email within one file wins (it updates).
  while (std::getline(csv, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (text::Trim(line).empty()) continue;
    if (line.size() > kMaxLineBytes) {
      report.rejected.push_back({line_no, "line is longer than 4096 bytes"});
      continue;
    }
    if (!text::IsValidUtf8(line)) {
      report.rejected.push_back({line_no, "line is not valid UTF-8"});
      continue;
    }
    if (!SplitCsvLine(line, &fields)) {
      report.rejected.push_back({line_no, "unbalanced quotes"});
      continue;
    }
    std::string why;
    std::optional<Row> row = ParseRow(line_no, fields, ci_email, ci_type, ci_paid, &why);
    if (!row) {
      report.rejected.push_back({line_no, why});
      continue;
    }
    batch.push_back(*std::move(row));
    if (static_cast<int>(batch.size()) >= kBatchRows) RT_RETURN_IF_ERROR(flush());
  }
  RT_RETURN_IF_ERROR(flush());
  RT_RETURN_IF_ERROR(db->audit().Record(AccountId{}, "members.import", report.Summary(), now));
  return report;
}

}  // namespace rt::app
