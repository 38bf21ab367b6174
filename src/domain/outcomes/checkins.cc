#include "domain/outcomes/checkins.h"

#include <chrono>

namespace rt {

std::string_view ToString(CheckinMoment m) {
  switch (m) {
    case CheckinMoment::kImmediate:
      return "immediate";
    case CheckinMoment::kFollowUp:
      return "follow_up";
  }
  return "immediate";
}

std::optional<CheckinMoment> ParseCheckinMoment(std::string_view s) {
  for (CheckinMoment m : kCheckinMoments) {
    if (ToString(m) == s) return m;
  }
  return std::nullopt;
}

std::string_view ToString(CheckinState s) {
  switch (s) {
    case CheckinState::kAnswered:
      return "answered";
    case CheckinState::kSkipped:
      return "skipped";
    case CheckinState::kDeleted:
      return "deleted";
  }
  return "answered";
}

std::optional<CheckinState> ParseCheckinState(std::string_view s) {
  for (CheckinState v : {CheckinState::kAnswered, CheckinState::kSkipped, CheckinState::kDeleted}) {
    if (ToString(v) == s) return v;
  }
  return std::nullopt;
}

std::vector<OutcomeStatement> DefaultOutcomeStatements() {
  return {
      {"network", "I have grown my professional network.", 1, true},
      {"skills", "I have built professional skills.", 2, true},
      {"knowledge", "I know more about this group's topic.", 3, true},
      {"confidence", "I feel more confident about this group's topic.", 4, true},
      {"resources", "I am more aware of resources on this topic.", 5, true},
      {"apply", "I have applied what I learned in my library.", 6, true},
      {"share", "I have shared what I learned with colleagues.", 7, true},
      {"engage", "I take part in the association more than before.", 8, true},
  };
}

bool IsValidStatementId(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  for (const OpenQuestion& q : kOpenQuestions) {
    if (q.id == id) return false;
  }
  return true;
}

std::optional<CheckinMoment> DueMoment(const CheckinFacts& f, TimePoint now) {
  using std::chrono::days;
  if (!f.immediate_done_at) {
    if (f.has_accepted_answer || now >= f.joined_at + days(kImmediateAfterDays)) {
      return CheckinMoment::kImmediate;
    }
    return std::nullopt;
  }
  if (!f.follow_up_done && now >= *f.immediate_done_at + days(kFollowUpAfterDays)) {
    return CheckinMoment::kFollowUp;
  }
  return std::nullopt;
}

int MonthIndex(TimePoint t) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(t)};
  return (static_cast<int>(ymd.year()) - 1970) * 12 +
         static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
}

TimePoint MonthStart(int month_index) {
  using namespace std::chrono;
  int y = month_index >= 0 ? month_index / 12 : -((-month_index + 11) / 12);
  int m = month_index - y * 12;
  return sys_days{year{1970 + y} / month{static_cast<unsigned>(m + 1)} / 1};
}

std::vector<ReleaseBlock> ReleaseBlocks(const std::vector<MonthCount>& months, int64_t threshold) {
  std::vector<ReleaseBlock> out;
  ReleaseBlock open;
  bool has_open = false;
  for (const MonthCount& m : months) {
    if (m.checkins <= 0) continue;
    if (!has_open) {
      open = ReleaseBlock{m.month, m.month + 1, 0};
      has_open = true;
    }
    open.end_month = m.month + 1;
    open.checkins += m.checkins;
    if (open.checkins >= threshold) {
      out.push_back(open);
      has_open = false;
    }
  }
  return out;
}

}  // namespace rt
