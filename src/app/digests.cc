#include "app/digests.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "app/mail_queue.h"
#include "app/mail_text.h"
#include "core/text.h"
#include "policy/guardian.h"

namespace rt::app {

namespace {

namespace km = kainjow::mustache;

std::chrono::seconds PeriodLength(Delivery period) {
  return std::chrono::hours(period == Delivery::kWeekly ? 7 * 24 : 24);
}

std::string Plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// A person due now, with the groups their digest covers.
struct DuePerson {
  AccountId account;
  mail::Mailbox to;
  Date local_date;
  TimePoint since;
  std::vector<GroupId> groups;  // may receive mail about, in the page's order
};

}  // namespace

DigestContent AssembleDigest(AccountId reader, TimePoint since,
                             const std::vector<GroupPosts>& groups,
                             const std::function<bool(PostId)>& mailed) {
  DigestContent out;
  for (const GroupPosts& g : groups) {
    DigestGroup dg;
    dg.group = g.group;
    std::unordered_map<int64_t, size_t> thread_index;
    for (const store::DigestPost& p : *g.posts) {
      if (p.created_at <= since || p.author == reader) continue;
      if (mailed && mailed(p.id)) continue;
      auto [it, added] = thread_index.emplace(p.thread.value, dg.threads.size());
      if (added) {
        DigestThread t;
        t.id = p.thread;
        t.title = p.thread_title;
        t.question = p.thread_kind == ThreadKind::kQuestion;
        t.unanswered = t.question && !p.answered && p.reply_count == 0;
        dg.threads.push_back(std::move(t));
      }
      DigestThread& t = dg.threads[it->second];
      if (p.id == p.first_post) t.started = true;
      ++t.new_posts;
      ++out.posts;
      // Past the limit a post is only counted: nothing else is done for it.
      if (t.posts.size() < static_cast<size_t>(kDigestMaxPostsPerThread)) {
        t.posts.push_back(&p);
      } else if (!t.first_unlisted.valid()) {
        t.first_unlisted = p.id;
      }
    }
    if (dg.threads.empty()) continue;
    std::stable_sort(dg.threads.begin(), dg.threads.end(),
                     [](const DigestThread& a, const DigestThread& b) {
                       if (a.unanswered != b.unanswered) return a.unanswered;
                       return a.new_posts > b.new_posts;
                     });
    out.groups.push_back(std::move(dg));
  }

  // Share kDigestMaxThreads out between the groups in turn, one thread each
  // per round, unanswered questions in the first rounds, so that a busy
  // group cannot crowd out the others' questions or the others.
  std::vector<size_t> listed(out.groups.size(), 0);
  int budget = kDigestMaxThreads;
  for (bool questions_only : {true, false}) {
    for (bool more = true; more && budget > 0;) {
      more = false;
      for (size_t i = 0; i < out.groups.size() && budget > 0; ++i) {
        const std::vector<DigestThread>& threads = out.groups[i].threads;
        if (listed[i] == threads.size() ||
            listed[i] == static_cast<size_t>(kDigestMaxThreadsPerGroup)) {
          continue;
        }
        if (questions_only && !threads[listed[i]].unanswered) continue;
        ++listed[i];
        --budget;
        more = true;
      }
    }
  }
  for (size_t i = 0; i < out.groups.size(); ++i) {
    DigestGroup& dg = out.groups[i];
    dg.more_threads = static_cast<int>(dg.threads.size() - listed[i]);
    dg.threads.resize(listed[i]);
    for (const DigestThread& t : dg.threads) out.unanswered += t.unanswered ? 1 : 0;
  }
  return out;
}

std::optional<Date> DigestDueDate(Delivery period, const store::DigestSchedule& schedule,
                                  const TimeZone& zone, TimePoint now,
                                  std::optional<Date> last_local_date) {
  LocalTime local = zone.ToLocal(now);
  if (local.hour < schedule.hour) return std::nullopt;
  if (period == Delivery::kWeekly && local.weekday != schedule.weekday) return std::nullopt;
  if (last_local_date && *last_local_date >= local.date) return std::nullopt;
  return local.date;
}

TimePoint DigestWindowStart(Delivery period, TimePoint now,
                            std::optional<TimePoint> last_window_end) {
  const auto length = PeriodLength(period);
  if (last_window_end && *last_window_end >= now - 2 * length && *last_window_end <= now) {
    return *last_window_end;
  }
  return now - length;
}

// The excerpt comes from the Markdown source, in both parts, and never
// from the stored HTML: cutting sanitised HTML short could leave a tag or an
// entity open (invalid, and unsafe to patch up), and rendering each cut
// source again would cost a Markdown pass per post per reader. As text the
// source reads well in both parts (the HTML template escapes it, so that
// part stays valid whatever the post holds), and the post's link shows it
// rendered.
std::string DigestExcerpt(std::string_view body_source, bool longer, bool* cut) {
  std::string folded;
  folded.reserve(body_source.size());
  for (char ch : text::Trim(body_source)) {
    const bool space =
        ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
    if (!space) {
      folded.push_back(ch);
    } else if (folded.back() != ' ') {  // not empty: Trim left no leading space
      folded.push_back(' ');
    }
  }
  std::string out(text::CutAtWord(folded, kDigestExcerptChars));
  *cut = longer || out.size() < folded.size();
  if (*cut) out += " …";
  return out;
}

mail::OutgoingMessage ComposeDigestMail(const DigestMailFacts& f) {
  const MailSettings& s = f.settings;
  const DigestContent& c = *f.content;
  const std::string site = OneLine(f.site_name);
  const std::string period = f.period == Delivery::kWeekly ? "weekly" : "daily";

  mail::OutgoingMessage m;
  m.from = {site, s.from_address};
  m.to = {f.to};
  m.subject = "Your " + period + " digest: " + Plural(c.posts, "new post", "new posts") + " in " +
              Plural(static_cast<int>(c.groups.size()), "group", "groups");
  m.message_id = f.message_id;
  const std::string unsubscribe_url = MailUrl(s, "/unsubscribe/" + f.unsubscribe_token);
  m.list = mail::ListInfo{site + " digest", "digest." + s.domain, unsubscribe_url, ""};
  m.auto_submitted = mail::AutoSubmitted::kAutoGenerated;
  m.date = f.date;

  auto post_url = [&](PostId id) { return MailUrl(s, "/posts/" + std::to_string(id.value)); };
  km::data groups{km::data::type::list};
  for (const DigestGroup& g : c.groups) {
    km::data threads{km::data::type::list};
    for (const DigestThread& t : g.threads) {
      const std::string thread_path = "/threads/" + std::to_string(t.id.value);
      km::data posts{km::data::type::list};
      for (const store::DigestPost* p : t.posts) {
        km::data pd;
        pd.set("author", OneLine(p->author_name));
        pd.set("started", p->id == p->first_post);
        bool cut = false;
        pd.set("excerpt", DigestExcerpt(p->body_source, p->body_longer, &cut));
        pd.set("cut", cut);
        pd.set("post_url", post_url(p->id));
        posts.push_back(pd);
      }
      km::data td;
      td.set("title", OneLine(t.title));
      td.set("thread_url", MailUrl(s, thread_path));
      td.set("reply_url", MailUrl(s, thread_path + "#reply"));
      td.set("unanswered", t.unanswered);
      td.set("count", Plural(t.new_posts, "new post", "new posts"));
      td.set("posts", posts);
      if (t.first_unlisted.valid()) {
        const int more = t.new_posts - static_cast<int>(t.posts.size());
        td.set("more_posts", Plural(more, "more reply", "more replies"));
        td.set("more_posts_url", post_url(t.first_unlisted));
      }
      threads.push_back(td);
    }
    km::data gd;
    gd.set("name", OneLine(g.group->name));
    gd.set("group_url", MailUrl(s, "/groups/" + g.group->slug));
    gd.set("settings_url", SettingsUrl(s, "group-" + g.group->slug));
    gd.set("threads", threads);
    if (g.more_threads > 0) {
      gd.set("more_threads", Plural(g.more_threads, "more thread", "more threads"));
    }
    groups.push_back(gd);
  }
  km::data d;
  d.set("subject", m.subject);
  d.set("site", site);
  d.set("period", period);
  d.set("groups", groups);
  if (c.unanswered > 0) {
    d.set("unanswered", Plural(c.unanswered, "question is", "questions are") +
                            " still waiting for an answer.");
  }
  d.set("settings_url", MailUrl(s, "/settings/notifications"));
  d.set("unsubscribe_url", unsubscribe_url);
  m.text_body = RenderMail("digest_text", d, /*html=*/false);
  m.html_body = RenderMail("digest_html", d, /*html=*/true);
  return m;
}

std::string DigestReport::Summary() const {
  return std::to_string(sent) + " sent, " + std::to_string(skipped) +
         " skipped (nothing new), " + std::to_string(failed) + " failed";
}

Result<DigestReport> DigestService::Send(const DigestRunOptions& o) {
  if (o.period != Delivery::kDaily && o.period != Delivery::kWeekly) {
    return MakeError(ErrorKind::kInvalidInput, "period_invalid",
                     "A digest period is daily or weekly.", "period");
  }
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Association association, LoadAssociation(ctx_, *db));
  RT_ASSIGN_OR_RETURN(store::DigestSchedule schedule,
                      db->digests().ScheduleOf(association.id));
  RT_ASSIGN_OR_RETURN(std::vector<store::GroupListing> listings,
                      db->groups().ListWithStats(association.id));
  RT_ASSIGN_OR_RETURN(std::vector<store::DigestSubscription> subs,
                      db->digests().Subscriptions(association.id, o.period));
  std::unordered_map<int64_t, const Group*> group_by_id;
  for (const store::GroupListing& l : listings) group_by_id[l.group.id.value] = &l.group;

  // Zones by name, each file read once. A zone that no longer loads falls
  // back to the association's, and that one to UTC.
  std::unordered_map<std::string, TimeZone> zones;
  TimeZone fallback;
  if (auto z = TimeZone::Load(schedule.time_zone); z.ok()) fallback = *z;
  auto zone_of = [&](const std::string& name) -> const TimeZone& {
    if (name.empty()) return fallback;
    auto it = zones.find(name);
    if (it == zones.end()) {
      auto z = TimeZone::Load(name);
      it = zones.emplace(name, z.ok() ? *z : fallback).first;
    }
    return it->second;
  };

  // Who is due, and the groups each may receive mail about (rows come
  // ordered by account, so each person's rows are adjacent).
  DigestReport report;
  std::vector<DuePerson> due;
  const Date today = Date::FromTime(o.now);
  for (size_t i = 0; i < subs.size();) {
    size_t end = i;
    while (end < subs.size() && subs[end].account == subs[i].account) ++end;
    const store::DigestSubscription& first = subs[i];
    std::optional<Date> date = DigestDueDate(o.period, schedule, zone_of(first.time_zone), o.now,
                                             first.last_local_date);
    if (!date || first.mail_paused) {
      report.not_due += 1;
      i = end;
      continue;
    }
    DuePerson p;
    p.account = first.account;
    p.to = {first.name, first.email};
    p.local_date = *date;
    p.since = DigestWindowStart(o.period, o.now, first.last_window_end);
    policy::Actor actor;
    actor.account = first.account;
    actor.is_admin = first.is_admin;
    actor.standing = StandingOn(first.membership, association.grace_days, today);
    for (; i < end; ++i) {
      auto g = group_by_id.find(subs[i].group.value);
      if (g == group_by_id.end()) continue;
      actor.role = subs[i].role;
      if (policy::CanReceivePostMail(actor, *g->second, policy::PostMail::kGroupDelivery)
              .allowed) {
        p.groups.push_back(subs[i].group);
      }
    }
    if (p.groups.empty()) {
      report.not_due += 1;  // lapsed, or may read none of them: nothing to build
      continue;
    }
    due.push_back(std::move(p));
  }

  // Each group's posts once, over the widest window anyone due needs.
  std::map<int64_t, TimePoint> group_since;
  for (const DuePerson& p : due) {
    for (GroupId g : p.groups) {
      auto [it, added] = group_since.emplace(g.value, p.since);
      if (!added) it->second = std::min(it->second, p.since);
    }
  }
  std::unordered_map<int64_t, std::vector<store::DigestPost>> posts;
  for (const auto& [group, since] : group_since) {
    RT_ASSIGN_OR_RETURN(posts[group], db->digests().PostsBetween(GroupId{group}, since, o.now));
  }
  // Who got real-time mail about a post, read the first time it matters.
  std::unordered_map<int64_t, std::unordered_set<int64_t>> mailed_to;
  Status mailed_error = OkStatus();
  auto mailed = [&](AccountId reader) {
    return [&, reader](PostId post) {
      auto it = mailed_to.find(post.value);
      if (it == mailed_to.end()) {
        std::unordered_set<int64_t> to;
        auto r = db->digests().PostMailRecipients(post);
        if (r.ok()) {
          for (AccountId a : *r) to.insert(a.value);
        } else {
          mailed_error = r.error();
        }
        it = mailed_to.emplace(post.value, std::move(to)).first;
      }
      return it->second.count(reader.value) > 0;
    };
  };

  const std::string site =
      (association.short_name.empty() ? association.name : association.short_name) +
      " Interest Groups";
  const std::string period_name(ToString(o.period));
  const TimePoint queued_at = ctx_.Now();
  size_t next = 0;
  while (next < due.size()) {
    const size_t batch_end = std::min(due.size(), next + kDigestBatch);
    DigestReport batch;
    auto build_batch = [&]() -> Status {
      for (size_t k = next; k < batch_end; ++k) {
        const DuePerson& p = due[k];
        std::vector<GroupPosts> gp;
        for (GroupId g : p.groups) gp.push_back({group_by_id[g.value], &posts[g.value]});
        DigestContent content = AssembleDigest(p.account, p.since, gp, mailed(p.account));
        RT_RETURN_IF_ERROR(mailed_error);
        auto one = [&]() -> Status {
          if (!content.empty()) {
            DigestMailFacts f;
            f.settings = ctx_.mail;
            f.site_name = site;
            f.period = o.period;
            f.to = p.to;
            f.content = &content;
            f.unsubscribe_token = tokens_.UnsubscribeToken(p.account, GroupId{0});
            RT_ASSIGN_OR_RETURN(f.message_id, mail::NewMessageId(ctx_.mail.domain));
            f.date = queued_at;
            MailJob job;
            job.dedupe_key = "digest:" + period_name + ":" + std::to_string(p.account.value) +
                             ":" + p.local_date.Iso();
            job.account = p.account;
            job.message = ComposeDigestMail(f);
            if (o.dry_run) {
              RT_RETURN_IF_ERROR(mail::Validate(job.message));
            } else {
              RT_ASSIGN_OR_RETURN(bool added, QueueMail(*db, job, queued_at));
              if (!added) return OkStatus();  // another run queued it first
            }
          }
          if (!o.dry_run) {
            RT_RETURN_IF_ERROR(db->digests().RecordDigest(p.account, o.period, p.local_date,
                                                          o.now, content.posts));
          }
          ++(content.empty() ? batch.skipped : batch.sent);
          return OkStatus();
        };
        Status s = o.dry_run ? one() : db->InTransaction(one);
        if (!s.ok()) {
          ++batch.failed;
          spdlog::warn("digest for account {} failed: {} ({})", p.account.value,
                       s.error().message, s.error().code);
        }
      }
      return OkStatus();
    };
    Status s = o.dry_run ? build_batch() : db->InTransaction(build_batch);
    if (s.ok()) {
      report.sent += batch.sent;
      report.skipped += batch.skipped;
      report.failed += batch.failed;
    } else {
      report.failed += static_cast<int>(batch_end - next);
      spdlog::warn("a batch of {} digests failed: {} ({})", batch_end - next, s.error().message,
                   s.error().code);
    }
    next = batch_end;
    if (o.progress) o.progress(static_cast<int>(next), static_cast<int>(due.size()));
  }
  if (!o.dry_run && report.sent > 0) ctx_.OutboxChanged();
  return report;
}

}  // namespace rt::app
