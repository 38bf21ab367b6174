#include <string>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_util.h"

namespace rt::store::sqlite {

Result<DigestSchedule> SqliteDigests::ScheduleOf(AssociationId assoc) {
  return Guard([&]() -> Result<DigestSchedule> {
    Stmt s = c_.Prepare(
        "SELECT digest_hour, digest_weekday, time_zone FROM associations WHERE id = ?");
    s->bind(1, assoc.value);
    DigestSchedule out;
    if (!s->executeStep()) return out;
    out.hour = s->getColumn(0).getInt();
    out.weekday = s->getColumn(1).getInt();
    out.time_zone = s->getColumn(2).getString();
    return out;
  });
}

Status SqliteDigests::SetSchedule(AssociationId assoc, const DigestSchedule& sched) {
  if (sched.hour < 0 || sched.hour > 23 || sched.weekday < 0 || sched.weekday > 6) {
    return MakeError(ErrorKind::kInvalidInput, "digest_schedule_invalid",
                     "The digest hour must be 0-23 and the weekday 0-6.");
  }
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE associations SET digest_hour = ?, digest_weekday = ?, time_zone = ? "
        "WHERE id = ?");
    s->bind(1, sched.hour);
    s->bind(2, sched.weekday);
    s->bind(3, sched.time_zone);
    s->bind(4, assoc.value);
    s->exec();
    return OkStatus();
  });
}

Result<std::vector<DigestSubscription>> SqliteDigests::Subscriptions(AssociationId assoc,
                                                                     Delivery period) {
  return Guard([&]() -> Result<std::vector<DigestSubscription>> {
    // One pass over group_members (no index on delivery: every row of the
    // association is read once, which is what a digest run needs anyway);
    // the membership comes from memberships_account per row, as
    // MembershipRepository::FindForAccount picks it (latest paid-through).
    Stmt s = c_.Prepare(
        "SELECT m.account_id, a.email, a.name, COALESCE(a.time_zone, ''), a.is_admin, "
        "a.mail_paused_at IS NOT NULL, m.group_id, m.role, "
        "(SELECT ms.paid_through FROM memberships ms WHERE ms.account_id = a.id "
        " AND ms.association_id = g.association_id ORDER BY ms.paid_through DESC, ms.id "
        " LIMIT 1), "
        "d.local_date, d.window_end "
        "FROM group_members m JOIN interest_groups g ON g.id = m.group_id "
        "JOIN accounts a ON a.id = m.account_id "
        "LEFT JOIN digest_state d ON d.account_id = m.account_id AND d.period = ? "
        "WHERE g.association_id = ? AND m.delivery = ? "
        "ORDER BY m.account_id, g.position, g.name, g.id");
    const std::string p(ToString(period));
    s->bind(1, p);
    s->bind(2, assoc.value);
    s->bind(3, p);
    std::vector<DigestSubscription> out;
    while (s->executeStep()) {
      DigestSubscription d;
      d.account = AccountId{s->getColumn(0).getInt64()};
      d.email = s->getColumn(1).getString();
      d.name = s->getColumn(2).getString();
      d.time_zone = s->getColumn(3).getString();
      d.is_admin = s->getColumn(4).getInt() != 0;
      d.mail_paused = s->getColumn(5).getInt() != 0;
      d.group = GroupId{s->getColumn(6).getInt64()};
      d.role = CheckedEnum(ParseGroupRole(s->getColumn(7).getString()));
      if (!s->getColumn(8).isNull()) {
        Membership m;
        m.association_id = assoc;
        m.account_id = d.account;
        m.paid_through = CheckedEnum(Date::ParseIso(s->getColumn(8).getString()));
        d.membership = m;
      }
      if (!s->getColumn(9).isNull()) {
        d.last_local_date = CheckedEnum(Date::ParseIso(s->getColumn(9).getString()));
        d.last_window_end = ReadTime(*s, 10);
      }
      out.push_back(std::move(d));
    }
    return out;
  });
}

Result<std::vector<DigestPost>> SqliteDigests::PostsBetween(GroupId group, TimePoint after,
                                                            TimePoint until) {
  return Guard([&]() -> Result<std::vector<DigestPost>> {
    // threads_list narrows to the group's threads active since `after`;
    // posts_thread then finds each one's posts.
    Stmt s = c_.Prepare(
        "SELECT p.id, t.id, t.title, t.kind, t.first_post_id, t.accepted_post_id IS NOT NULL, "
        "t.reply_count, p.author_id, a.name, COALESCE(r.author_id, 0), "
        "substr(p.body_source, 1, ?1), length(p.body_source) > ?1, p.created_at "
        "FROM threads t JOIN posts p ON p.thread_id = t.id "
        "JOIN accounts a ON a.id = p.author_id "
        "LEFT JOIN posts r ON r.id = p.reply_to "
        "WHERE t.group_id = ? AND t.last_activity_at > ? AND p.created_at > ? "
        "AND p.created_at <= ? AND p.deleted = 0 "
        "ORDER BY p.created_at, p.id");
    s->bind(1, kDigestBodyChars);
    s->bind(2, group.value);
    s->bind(3, ToUnix(after));
    s->bind(4, ToUnix(after));
    s->bind(5, ToUnix(until));
    std::vector<DigestPost> out;
    while (s->executeStep()) {
      DigestPost p;
      p.id = ReadId<PostId>(*s, 0);
      p.thread = ReadId<ThreadId>(*s, 1);
      p.group = group;
      p.thread_title = s->getColumn(2).getString();
      p.thread_kind = CheckedEnum(ParseThreadKind(s->getColumn(3).getString()));
      p.first_post = ReadId<PostId>(*s, 4);
      p.answered = s->getColumn(5).getInt() != 0;
      p.reply_count = s->getColumn(6).getInt();
      p.author = ReadId<AccountId>(*s, 7);
      p.author_name = s->getColumn(8).getString();
      p.reply_to_author = ReadId<AccountId>(*s, 9);
      p.body_source = s->getColumn(10).getString();
      p.body_longer = s->getColumn(11).getInt() != 0;
      p.created_at = ReadTime(*s, 12);
      out.push_back(std::move(p));
    }
    return out;
  });
}

Result<std::vector<AccountId>> SqliteDigests::PostMailRecipients(PostId post) {
  return Guard([&]() -> Result<std::vector<AccountId>> {
    // A range of the outbox's unique dedupe_key index: only this post's rows.
    const std::string prefix = "mail:post:" + std::to_string(post.value) + ":to:";
    Stmt s = c_.Prepare(
        "SELECT substr(dedupe_key, ?) FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ?");
    s->bind(1, static_cast<int>(prefix.size()) + 1);
    s->bind(2, prefix);
    s->bind(3, prefix.substr(0, prefix.size() - 1) + ";");  // ':' + 1
    std::vector<AccountId> out;
    while (s->executeStep()) {
      const std::string id = s->getColumn(0).getString();
      if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) continue;
      out.push_back(AccountId{std::stoll(id)});
    }
    return out;
  });
}

Status SqliteDigests::RecordDigest(AccountId account, Delivery period, Date local_date,
                                   TimePoint window_end, int posts) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "INSERT INTO digest_state (account_id, period, local_date, window_end, posts) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, period) DO UPDATE SET "
        "local_date = excluded.local_date, window_end = excluded.window_end, "
        "posts = excluded.posts");
    s->bind(1, account.value);
    s->bind(2, std::string(ToString(period)));
    s->bind(3, local_date.Iso());
    s->bind(4, ToUnix(window_end));
    s->bind(5, posts);
    s->exec();
    return OkStatus();
  });
}

Result<std::string> SqliteDigests::TimeZoneOf(AccountId account) {
  return Guard([&]() -> Result<std::string> {
    Stmt s = c_.Prepare("SELECT COALESCE(time_zone, '') FROM accounts WHERE id = ?");
    s->bind(1, account.value);
    if (!s->executeStep()) return std::string();
    return s->getColumn(0).getString();
  });
}

Status SqliteDigests::SetTimeZone(AccountId account, const std::string& time_zone) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare("UPDATE accounts SET time_zone = ? WHERE id = ?");
    if (time_zone.empty()) {
      s->bind(1);
    } else {
      s->bind(1, time_zone);
    }
    s->bind(2, account.value);
    if (s->exec() == 0) {
      return MakeError(ErrorKind::kNotFound, "account_not_found", "There is no such account.");
    }
    return OkStatus();
  });
}

}  // namespace rt::store::sqlite
