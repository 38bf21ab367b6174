// Outcome check-ins for members: the notice on the group page, the check-in
// form, its confirmation, and "your check-ins" with a delete step. The same
// use cases as api_checkins.cc (app/checkins.h).
#include <array>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "http/error_status.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

constexpr std::array<const char*, 5> kScaleLabels = {
    "Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"};

const char* MomentLabel(CheckinMoment m) {
  return m == CheckinMoment::kImmediate ? "first" : "six-week";
}

// The form's fields as answers: a statement's radio as a number (or,
// when not one of 1..5 in digits, as something else for the use case to
// refuse), an open question's text when not empty. Other fields are the
// form's own.
std::vector<app::AnswerIn> AnswersFromForm(const RequestContext& c,
                                           const std::vector<app::CheckinQuestion>& questions) {
  std::vector<app::AnswerIn> out;
  for (const app::CheckinQuestion& q : questions) {
    std::string v = c.Field(q.id);
    if (v.empty()) continue;
    app::AnswerIn a;
    a.id = q.id;
    if (!q.scale) {
      a.type = app::AnswerIn::Type::kText;
      a.text = std::move(v);
    } else if (v.size() == 1 && v[0] >= '1' && v[0] <= '5') {
      a.type = app::AnswerIn::Type::kNumber;
      a.number = v[0] - '0';
    }
    out.push_back(std::move(a));
  }
  return out;
}

// The check-in form with what was chosen and typed, and every error.
Data CheckinData(const RequestContext& c, const app::CheckinForm& f,
                 const std::vector<app::AnswerIn>& answers, bool quote_consent,
                 const std::string& idempotency_key, const std::vector<Error>& errors) {
  Data d;
  const Group& g = f.group.listing.group;
  d["slug"] = g.slug;
  d["group"] = g.name;
  d["csrf"] = c.Csrf();
  d["idempotency_key"] = idempotency_key;
  d["moment"] = Data::Borrow(ToString(f.moment));
  if (f.moment == CheckinMoment::kImmediate) {
    d["heading"] = "Is " + g.name + " helping you?";
    d["intro"] =
        "Tell us how far you agree with each statement about what the group has done "
        "for you so far. It takes about two minutes.";
  } else {
    d["heading"] = "Six weeks on: " + g.name;
    d["intro"] =
        "Since your first check-in, have you been able to use what you got from the "
        "group? Tell us how far you agree with each statement now.";
  }
  auto error_for = [&](const std::string& field) -> const Error* {
    for (const Error& e : errors) {
      if (e.field == field) return &e;
    }
    return nullptr;
  };
  auto answer_for = [&](const std::string& id) -> const app::AnswerIn* {
    for (const app::AnswerIn& a : answers) {
      if (a.id == id) return &a;
    }
    return nullptr;
  };
  Data items = Data::List(f.questions.size());
  Data open = Data::List(2);
  Data summary = Data::List(errors.size());
  for (const app::CheckinQuestion& q : f.questions) {
    const Error* e = error_for(q.id);
    const app::AnswerIn* a = answer_for(q.id);
    if (e != nullptr) {
      Data& s = summary.AppendObject();
      s["message"] = e->message;
      s["href"] = q.scale ? "#answer-" + q.id + "-1" : "#field-" + q.id;
    }
    if (!q.scale) {
      Data& o = open.AppendObject();
      o["id"] = q.id;
      o["text"] = q.text;
      if (a != nullptr) o["value"] = a->text;
      if (e != nullptr) o["error"] = e->message;
      continue;
    }
    Data& item = items.AppendObject();
    item["id"] = q.id;
    item["text"] = q.text;
    if (e != nullptr) item["error"] = e->message;
    Data options = Data::List(kScaleLabels.size());
    for (size_t i = 0; i < kScaleLabels.size(); ++i) {
      Data& o = options.AppendObject();
      o["name"] = q.id;
      o["input_id"] = "answer-" + q.id + "-" + std::to_string(i + 1);
      o["value"] = std::to_string(i + 1);
      o["label"] = kScaleLabels[i];
      if (a != nullptr && a->type == app::AnswerIn::Type::kNumber &&
          a->number == static_cast<int64_t>(i + 1)) {
        o["checked"] = true;
      }
    }
    item["options"] = std::move(options);
  }
  for (const Error& e : errors) {
    if (e.field.empty() || e.field == "answers" || e.field == "moment") {
      Data& s = summary.AppendObject();
      s["message"] = e.message;
      s["href"] = "#field-quote-consent";
    }
  }
  d["items"] = std::move(items);
  d["open"] = std::move(open);
  if (quote_consent) d["quote_consent"] = true;
  if (!errors.empty()) {
    d["has_errors"] = true;
    d["errors"] = std::move(summary);
  }
  return d;
}

std::string Title(const app::CheckinForm& f) { return "Check-in — " + f.group.listing.group.name; }

std::optional<CheckinId> CheckinIdOf(const RequestContext& c) {
  auto v = ParseId(c.req.Param("id"));
  if (!v) return std::nullopt;
  return CheckinId{*v};
}

std::string AnswerText(const store::CheckinAnswer& a) {
  if (a.value >= kScaleMin && a.value <= kScaleMax) return kScaleLabels[a.value - 1];
  return a.text;
}

}  // namespace

void WebApp::AddCheckinNotice(const RequestContext& c, const app::GroupView& g, Data& d) {
  if (!c.session) return;
  auto status = checkins_.StatusFor(c.viewer, g);
  // A convenience, like the delivery line: a failed read leaves it out.
  if (!status.ok()) return;
  if (status->due) {
    d["checkin_moment"] = Data::Borrow(ToString(*status->due));
    d["checkin_due"] = *status->due == CheckinMoment::kImmediate
                           ? "Tell the group's staff whether it is giving you what you hoped for."
                           : "It is six weeks since your last check-in: have you been able to "
                             "use what you learned?";
  } else if (status->open) {
    d["checkin_open"] = Data::Borrow(ToString(*status->open));
  }
}

http::Response WebApp::CheckinPage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  auto form = checkins_.Form(c.viewer, slug, c.req.QueryParam("moment"));
  if (!form.ok()) return Fail(c, form.error());
  if (!*form) {
    // Nothing due: the first moment still open, which the member may
    // answer of their own accord.
    for (CheckinMoment m : kCheckinMoments) {
      form = checkins_.Form(c.viewer, slug, std::string(ToString(m)));
      if (form.ok() || form.error().kind != ErrorKind::kConflict) break;
    }
    if (!form.ok()) return Fail(c, form.error());
  }
  const app::CheckinForm& f = **form;
  return Page(
      c, 200, Title(f),
      Templates::Fragment("checkin", CheckinData(c, f, {}, false, crypto::FormToken(), {})));
}

http::Response WebApp::CheckinAnswerForm(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode("/groups/" + slug));
  std::string moment = c.Field("moment");
  auto form = checkins_.Form(c.viewer, slug, moment.empty() ? "immediate" : moment);
  if (!form.ok()) return Fail(c, form.error());
  const app::CheckinForm& f = **form;
  app::NewCheckin in;
  in.moment = moment;
  in.answers = AnswersFromForm(c, f.questions);
  in.quote_consent = c.Field("quote_consent") == "1";
  // Every problem at once, as the use case would find them one by one.
  std::vector<Error> errors = app::CheckAnswers(f.questions, in.answers);
  if (errors.empty()) {
    auto saved = checkins_.Answer(c.viewer, slug, in, c.Field("idempotency_key"));
    if (saved.ok()) {
      return Redirect("/groups/" + slug + "/checkin/thanks");
    }
    if (saved.error().field.empty()) return Fail(c, saved.error());
    errors.push_back(saved.error());
  }
  return Page(c, 422, "Error: " + Title(f),
              Templates::Fragment("checkin", CheckinData(c, f, in.answers, in.quote_consent,
                                                         c.Field("idempotency_key"), errors)));
}

http::Response WebApp::CheckinSkipForm(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode("/groups/" + slug));
  auto skipped = checkins_.Skip(c.viewer, slug, c.Field("moment"));
  if (!skipped.ok()) return Fail(c, skipped.error());
  return Redirect("/groups/" + slug + "?notice=checkin_skipped");
}

http::Response WebApp::CheckinThanksPage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  auto g = groups_.Get(c.viewer, slug);
  if (!g.ok()) return Fail(c, g.error());
  Data d;
  d["slug"] = g->listing.group.slug;
  d["group"] = g->listing.group.name;
  return Page(c, 200, "Thank you — " + g->listing.group.name,
              Templates::Fragment("checkin_thanks", std::move(d)));
}

http::Response WebApp::MyCheckinsPage(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  CheckinId before;
  if (std::string b = c.req.QueryParam("before"); !b.empty()) {
    auto v = ParseId(b);
    if (!v) {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_cursor",
                               "That page link is not valid.", "before"));
    }
    before = CheckinId{*v};
  }
  auto mine = checkins_.Mine(c.viewer, before);
  if (!mine.ok()) return Fail(c, mine.error());
  Data d;
  Data items = Data::List(mine->items.size());
  for (const store::CheckinView& v : mine->items) {
    Data& it = items.AppendObject();
    it["id"] = std::to_string(v.checkin.id.value);
    it["slug"] = Data::Borrow(v.group_slug);
    it["group"] = Data::Borrow(v.group_name);
    it["moment_label"] = std::string(MomentLabel(v.checkin.moment));
    it["date"] = Date::FromTime(v.checkin.created_at).Long();
    if (v.checkin.quote_consent) it["quoted"] = true;
    Data scale = Data::List(v.checkin.answers.size());
    Data open = Data::List(2);
    for (const store::CheckinAnswer& a : v.checkin.answers) {
      Data& row = (a.value > 0 ? scale : open).AppendObject();
      row["question"] = Data::Borrow(a.question);
      row["answer"] = AnswerText(a);
    }
    if (!open.list_value().empty()) it["has_open"] = true;
    it["scale"] = std::move(scale);
    it["open"] = std::move(open);
  }
  if (mine->items.empty()) d["empty"] = true;
  d["items"] = std::move(items);
  if (mine->next) d["next"] = "/me/checkins?before=" + std::to_string(mine->next->value);
  if (before.valid()) d["first"] = true;
  return Page(c, 200, "Your check-ins", Templates::Fragment("my_checkins", std::move(d)));
}

http::Response WebApp::DeleteCheckinPage(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  auto id = CheckinIdOf(c);
  if (!id) {
    return Fail(c,
                MakeError(ErrorKind::kNotFound, "not_found", "We could not find that check-in."));
  }
  auto v = checkins_.Get(c.viewer, *id);
  if (!v.ok()) return Fail(c, v.error());
  Data d;
  d["id"] = std::to_string(id->value);
  d["csrf"] = c.Csrf();
  d["group"] = Data::Borrow(v->group_name);
  d["moment_label"] = std::string(MomentLabel(v->checkin.moment));
  d["date"] = Date::FromTime(v->checkin.created_at).Long();
  return Page(c, 200, "Delete your answers?", Templates::Fragment("checkin_delete", std::move(d)));
}

http::Response WebApp::DeleteCheckinForm(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=/me/checkins");
  auto id = CheckinIdOf(c);
  if (!id) {
    return Fail(c,
                MakeError(ErrorKind::kNotFound, "not_found", "We could not find that check-in."));
  }
  Status s = checkins_.Delete(c.viewer, *id);
  if (!s.ok()) return Fail(c, s.error());
  return Redirect("/me/checkins?notice=checkin_deleted");
}

}  // namespace rt::web
