#include "web/engagement_view.h"

#include <cmath>
#include <cstdio>

namespace rt::web {

namespace {

using F = app::EngagementFigures;
using charts::Format;

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};

std::optional<double> N(int64_t v) { return static_cast<double>(v); }

constexpr int kDiscussion = static_cast<int>(ThreadKind::kDiscussion);
constexpr int kQuestion = static_cast<int>(ThreadKind::kQuestion);
constexpr int kStory = static_cast<int>(ThreadKind::kStory);

const FigureColumn kColumns[] = {
    {"members_total", "Members at the end",
     "Members at the end of the period: current members who had joined by then (people who "
     "left are not recorded, so they are not counted)",
     Format::kCount, [](const F& f) { return N(f.members_total); }},
    {"members_new", "New members", "Members who joined in the period and are still members",
     Format::kCount, [](const F& f) { return N(f.members_new); }},
    {"members_active", "Active people",
     "People who posted, replied or recommended a post in the group in the period (each "
     "counted once)",
     Format::kCount, [](const F& f) { return N(f.members_active); }},
    {"members_lapsed", "Lapsed members",
     "Members of a members-only group whose association membership lapsed in the period "
     "(the day after their paid-through date plus the grace days)",
     Format::kCount, [](const F& f) { return N(f.members_lapsed); }},
    {"threads", "Threads started", "Threads started in the period, of every kind", Format::kCount,
     [](const F& f) { return N(f.threads_total()); }},
    {"threads_discussion", "Discussions started", "Discussions started in the period",
     Format::kCount, [](const F& f) { return N(f.threads[kDiscussion]); }},
    {"threads_question", "Questions asked", "Questions asked in the period", Format::kCount,
     [](const F& f) { return N(f.threads[kQuestion]); }},
    {"threads_story", "Stories shared", "Stories shared in the period", Format::kCount,
     [](const F& f) { return N(f.threads[kStory]); }},
    {"replies", "Replies", "Replies written in the period that are still shown (not deleted)",
     Format::kCount, [](const F& f) { return N(f.replies_total()); }},
    {"replies_discussion", "Replies in discussions", "Of those replies, the ones in discussions",
     Format::kCount, [](const F& f) { return N(f.replies[kDiscussion]); }},
    {"replies_question", "Replies to questions", "Of those replies, the ones to questions",
     Format::kCount, [](const F& f) { return N(f.replies[kQuestion]); }},
    {"replies_story", "Replies to stories", "Of those replies, the ones to stories", Format::kCount,
     [](const F& f) { return N(f.replies[kStory]); }},
    {"questions_answered", "Questions with an accepted answer",
     "Questions asked in the period that now have an accepted answer", Format::kCount,
     [](const F& f) { return N(f.questions_answered); }},
    {"questions_answered_share", "Share of questions answered",
     "Share (0 to 1) of the questions asked in the period that now have an accepted answer; "
     "empty when none was asked",
     Format::kPercent, [](const F& f) { return f.answered_share(); }},
    {"questions_replied_share", "Share of questions with a reply",
     "Share (0 to 1) of the questions asked in the period that now have at least one reply; "
     "empty when none was asked",
     Format::kPercent, [](const F& f) { return f.replied_share(); }},
    {"first_reply_threads", "Threads with a reply from someone else",
     "Threads started in the period that someone other than their author has replied to",
     Format::kCount, [](const F& f) { return N(f.first_reply_threads); }},
    {"median_first_reply_seconds", "Median time to a first reply",
     "Median time in seconds from the start of those threads to their first reply from "
     "someone else (for an even number, the mean of the middle two); empty when none",
     Format::kDuration, [](const F& f) { return f.median_first_reply_seconds; }},
    {"resources_shared", "Resources shared",
     "Files and links shared in the group's library in the period", Format::kCount,
     [](const F& f) { return N(f.resources_shared); }},
    {"invitations_sent", "Invitations sent", "Invitations to the group sent in the period",
     Format::kCount, [](const F& f) { return N(f.invitations_sent); }},
    {"invitations_accepted", "Invitations accepted",
     "Invitations to the group accepted in the period", Format::kCount,
     [](const F& f) { return N(f.invitations_accepted); }},
    {"feedback_received", "Feedback received", "Feedback to the staff sent in the period",
     Format::kCount, [](const F& f) { return N(f.feedback_received); }},
    {"feedback_resolved", "Feedback resolved", "Of that feedback, the items now resolved",
     Format::kCount, [](const F& f) { return N(f.feedback_resolved); }},
    {"feedback_open", "Feedback still open", "Of that feedback, the items not resolved yet",
     Format::kCount, [](const F& f) { return N(f.feedback_open()); }},
};

}  // namespace

std::span<const FigureColumn> EngagementColumns() { return kColumns; }

nlohmann::json FiguresJson(const app::EngagementFigures& f) {
  nlohmann::json out = nlohmann::json::object();
  for (const FigureColumn& c : kColumns) {
    std::optional<double> v = c.value(f);
    if (!v) {
      out[c.name] = nullptr;
    } else if (c.format == Format::kCount) {
      out[c.name] = static_cast<int64_t>(std::llround(*v));
    } else if (c.format == Format::kPercent) {
      out[c.name] = std::round(*v * 10000) / 10000;
    } else {
      out[c.name] = std::round(*v * 10) / 10;
    }
  }
  return out;
}

std::string CsvNumber(std::optional<double> v, Format f) {
  if (!v) return "";
  char buf[32];
  if (f == Format::kPercent) {
    std::snprintf(buf, sizeof buf, "%.4f", *v);
  } else {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(std::llround(*v)));
  }
  return buf;
}

std::string MonthText(std::string_view month) {
  int y = 0, m = 0;
  std::string s(month);
  if (s.size() != 7 || std::sscanf(s.c_str(), "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12) {
    return s;
  }
  return std::string(kMonths[m - 1]) + " " + s.substr(0, 4);
}

charts::AxisLabel MonthAxisLabel(std::string_view month, bool first) {
  charts::AxisLabel l;
  l.text = MonthText(month);
  if (l.text.size() > 5 && l.text != month) {
    l.axis = l.text.substr(0, 3);
    if (first || month.ends_with("-01")) l.axis_second = std::string(month.substr(0, 4));
  } else {
    l.axis = l.text;
  }
  return l;
}

}  // namespace rt::web
