#include "app/engagement.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <unordered_map>

#include "app/group_access.h"
#include "policy/guardian.h"

namespace rt::app {

namespace {

struct YearMonth {
  int year = 0;
  int month = 1;  // 1..12
  int day = 1;
};

// Date::Iso is "YYYY-MM-DD" for the years a period can name (ParseIso
// takes four-digit years only).
YearMonth Split(Date d) {
  YearMonth ym;
  std::sscanf(d.Iso().c_str(), "%d-%d-%d", &ym.year, &ym.month, &ym.day);
  return ym;
}

YearMonth AddMonths(YearMonth ym, int n) {
  int index = ym.year * 12 + (ym.month - 1) + n;
  return {index / 12, index % 12 + 1, 1};
}

std::string MonthKey(YearMonth ym) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", ym.year, ym.month);
  return buf;
}

Error DateError(std::string_view field) {
  return MakeError(ErrorKind::kRuleBroken, "invalid_date",
                   "Enter the " + std::string(field == "from" ? "start" : "end") +
                       " of the period as a real date, such as 2026-01-31.",
                   std::string(field));
}

std::optional<double> Share(int64_t part, int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

// Larger first for counts and shares; nullopt last.
bool Before(std::optional<double> a, std::optional<double> b, bool smaller_first) {
  if (!a || !b) return a.has_value() && !b.has_value();
  return smaller_first ? *a < *b : *a > *b;
}

std::optional<double> SortValue(const EngagementFigures& f, std::string_view sort) {
  if (sort == "members") return static_cast<double>(f.members_total);
  if (sort == "active") return static_cast<double>(f.members_active);
  if (sort == "threads") return static_cast<double>(f.threads_total());
  if (sort == "replies") return static_cast<double>(f.replies_total());
  if (sort == "answered") return f.answered_share();
  if (sort == "first_reply") return f.median_first_reply_seconds;
  return static_cast<double>(f.feedback_open());  // feedback_open
}

store::EngagementScope ScopeOf(const Association& assoc, GroupId group, const Period& p) {
  store::EngagementScope s;
  s.association = assoc.id;
  s.group = group;
  s.from = FromUnix(int64_t{p.from.days()} * 86400);
  s.to = FromUnix(int64_t{p.to.AddDays(1).days()} * 86400);
  s.grace_days = assoc.grace_days;
  return s;
}

// The period's totals from the store's counts of the whole span.
EngagementFigures Totals(const store::GroupEngagementCounts* counts) {
  EngagementFigures f;
  if (counts == nullptr) return f;
  static_cast<store::EngagementCounts&>(f) = counts->period;
  f.members_total = counts->members_before + counts->period.members_new;
  return f;
}

}  // namespace

std::optional<double> EngagementFigures::answered_share() const {
  return Share(questions_answered, questions());
}

std::optional<double> EngagementFigures::replied_share() const {
  return Share(questions_replied, questions());
}

Result<Period> ParsePeriod(std::string_view from, std::string_view to, Date today) {
  Period p;
  if (to.empty()) {
    p.to = today;
  } else if (auto d = Date::ParseIso(to)) {
    p.to = std::min(*d, today);
  } else {
    return DateError("to");
  }
  if (from.empty()) {
    YearMonth start = AddMonths(Split(p.to), -11);
    p.from = Date::FromYmd(start.year, start.month, 1);
  } else if (auto d = Date::ParseIso(from)) {
    p.from = *d;
  } else {
    return DateError("from");
  }
  if (p.from > p.to) {
    return MakeError(ErrorKind::kRuleBroken, "period_reversed",
                     "The start of the period must come before its end, and no later than "
                     "today (" +
                         today.Iso() + ").",
                     "from");
  }
  YearMonth f = Split(p.from);
  // 29 February has no fifth anniversary: 28 February stands for it.
  Date limit =
      Date::FromYmd(f.year + kMaxPeriodYears, f.month, std::min(f.day, f.month == 2 ? 28 : 31));
  if (p.to >= limit) {
    return MakeError(ErrorKind::kRuleBroken, "period_too_long",
                     "Choose a period of at most " + std::to_string(kMaxPeriodYears) + " years.",
                     "to");
  }
  return p;
}

std::vector<std::string> MonthsOf(const Period& p) {
  std::vector<std::string> out;
  YearMonth first = Split(p.from);
  YearMonth last = Split(p.to);
  int n = (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1;
  out.reserve(std::max(n, 0));
  for (int i = 0; i < n; ++i) out.push_back(MonthKey(AddMonths(first, i)));
  return out;
}

void FillMonths(const Period& p, const store::GroupEngagementCounts* counts,
                EngagementReport& report) {
  report.period = p;
  report.totals = Totals(counts);
  report.months.clear();
  int64_t members = counts ? counts->members_before : 0;
  for (std::string& month : MonthsOf(p)) {
    MonthFigures m;
    m.month = std::move(month);
    if (counts != nullptr) {
      auto it = counts->months.find(m.month);
      if (it != counts->months.end()) {
        static_cast<store::EngagementCounts&>(m.figures) = it->second;
      }
    }
    members += m.figures.members_new;
    m.figures.members_total = members;
    report.months.push_back(std::move(m));
  }
}

Result<GroupAccess> EngagementService::Authorise(store::Store& db, const Viewer& viewer,
                                                 const std::string& slug) {
  RT_ASSIGN_OR_RETURN(GroupAccess g, LoadGroupAccess(ctx_, db, viewer, slug));
  policy::Decision may = policy::CanSeeGroupOutcomes(g.actor, g.group());
  if (may.allowed) return g;
  if (may.reason == policy::reason::kNotStaff) {
    return MakeError(ErrorKind::kForbidden, "not_staff",
                     "Only the group's staff liaisons and the association's administrators "
                     "can see its dashboard.");
  }
  return RefusalError(may.reason, g.association, g.standing);
}

Result<GroupView> EngagementService::MaySee(const Viewer& viewer, const std::string& slug) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess g, Authorise(*db, viewer, slug));
  return MakeGroupView(std::move(g.listing), g.actor, g.association);
}

Result<EngagementReport> EngagementService::ForGroup(const Viewer& viewer, const std::string& slug,
                                                     const Period& period) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess g, Authorise(*db, viewer, slug));
  RT_ASSIGN_OR_RETURN(std::vector<store::GroupEngagementCounts> counts,
                      db->engagement().Count(ScopeOf(g.association, g.group().id, period)));
  EngagementReport report;
  FillMonths(period, counts.empty() ? nullptr : &counts.front(), report);
  report.group = MakeGroupView(std::move(g.listing), g.actor, g.association);
  return report;
}

Status EngagementService::MaySeeAssociation(const Viewer& viewer) {
  policy::Decision may = policy::CanManageAssociation(MakeActor(viewer, {}, GroupRole::kNone));
  if (may.allowed) return OkStatus();
  if (may.reason == policy::reason::kNotSignedIn) {
    return MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                     "Sign in as an association admin to compare the groups.");
  }
  return MakeError(ErrorKind::kNotFound, "not_found", "We could not find that.");
}

Result<AssociationEngagement> EngagementService::ForAssociation(const Viewer& viewer,
                                                                const Period& period,
                                                                std::string_view sort) {
  RT_RETURN_IF_ERROR(MaySeeAssociation(viewer));
  if (sort.empty()) sort = "name";
  if (std::find(std::begin(kEngagementSorts), std::end(kEngagementSorts), sort) ==
      std::end(kEngagementSorts)) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_sort",
                     "Sort by name, members, active, threads, replies, answered, first_reply "
                     "or feedback_open.",
                     "sort");
  }
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  AssociationEngagement out;
  RT_ASSIGN_OR_RETURN(out.association, LoadAssociation(ctx_, *db));
  out.period = period;
  out.sort = std::string(sort);
  RT_ASSIGN_OR_RETURN(std::vector<store::GroupListing> listings,
                      db->groups().ListWithStats(out.association.id));
  RT_ASSIGN_OR_RETURN(std::vector<store::GroupEngagementCounts> counts,
                      db->engagement().Count(ScopeOf(out.association, GroupId{}, period)));
  std::unordered_map<int64_t, const store::GroupEngagementCounts*> by_group;
  for (const auto& c : counts) by_group[c.group.value] = &c;
  out.groups.reserve(listings.size());
  for (store::GroupListing& l : listings) {
    auto it = by_group.find(l.group.id.value);
    GroupEngagementRow row{std::move(l), Totals(it == by_group.end() ? nullptr : it->second)};
    out.groups.push_back(std::move(row));
  }
  if (sort != "name") {
    const bool smaller_first = sort == "first_reply";
    std::stable_sort(out.groups.begin(), out.groups.end(),
                     [&](const GroupEngagementRow& a, const GroupEngagementRow& b) {
                       return Before(SortValue(a.totals, sort), SortValue(b.totals, sort),
                                     smaller_first);
                     });
  } else {
    std::stable_sort(out.groups.begin(), out.groups.end(),
                     [](const GroupEngagementRow& a, const GroupEngagementRow& b) {
                       return a.listing.group.name < b.listing.group.name;
                     });
  }
  return out;
}

}  // namespace rt::app
