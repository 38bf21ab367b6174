// Notifications (with the outbox rows of single ones), private
// conversations and idempotency keys.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_util.h"

#define RT_CONVERSATION_COLUMNS \
  "c.id, c.account_a, c.account_b, c.created_at, c.last_message_at"

namespace rt::store::sqlite {

namespace {

constexpr int kConversationColumnCount = 5;
constexpr int64_t kNoUpperBound = std::numeric_limits<int64_t>::max();

// How much of the last message the inbox shows.
constexpr size_t kSnippetBytes = 120;

std::optional<NotificationKind> ParseNotificationKind(std::string_view s) {
  if (s == "reply") return NotificationKind::kReply;
  if (s == "answer_accepted") return NotificationKind::kAnswerAccepted;
  if (s == "private_message") return NotificationKind::kPrivateMessage;
  if (s == "mention") return NotificationKind::kMention;
  if (s == "feedback") return NotificationKind::kFeedback;
  return std::nullopt;
}

Conversation ReadConversation(const SQLite::Statement& s) {
  Conversation c;
  c.id = ReadId<ConversationId>(s, 0);
  c.a = ReadId<AccountId>(s, 1);
  c.b = ReadId<AccountId>(s, 2);
  c.created_at = ReadTime(s, 3);
  c.last_message_at = ReadTime(s, 4);
  return c;
}

// `bytes` holds up to kSnippetBytes + 1 bytes of the text: the extra byte
// tells whether the cut at kSnippetBytes falls inside a character.
std::string Snippet(std::string bytes) {
  if (bytes.size() <= kSnippetBytes) return bytes;
  size_t n = kSnippetBytes;
  // Back up while the byte after the cut continues a character.
  while (n > 0 && (static_cast<unsigned char>(bytes[n]) & 0xC0) == 0x80) --n;
  bytes.resize(n);
  return bytes;
}

// Binds parameters 2 to 9 of a notifications insert in column order (kind,
// actor_id, thread_id, post_id, conversation_id, read, created_at,
// feedback_id); the caller binds 1, the recipient(s).
void BindAllButRecipient(Stmt& s, const Notification& n) {
  s->bind(2, std::string(ToString(n.kind)));
  s->bind(3, n.actor_id.value);
  BindId(s, 4, n.thread_id);
  BindId(s, 5, n.post_id);
  BindId(s, 6, n.conversation_id);
  s->bind(7, n.read ? 1 : 0);
  s->bind(8, ToUnix(n.created_at));
  BindId(s, 9, n.feedback_id);
}

}  // namespace

// ---------------------------------------------------------------------------
// Notifications

Result<Notification> SqliteNotifications::Create(const Notification& n) {
  return Guard([&]() -> Result<Notification> {
    return Atomically(c_, [&]() -> Result<Notification> {
      Notification out = n;
      out.created_at = Stored(n.created_at);
      const std::string kind(ToString(n.kind));
      {
        Stmt s = c_.Prepare(
            "INSERT INTO notifications (account_id, kind, actor_id, "
            "thread_id, post_id, conversation_id, read, created_at, feedback_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        s->bind(1, n.account_id.value);
        BindAllButRecipient(s, n);
        s->exec();
        out.id = NotificationId{c_.db().getLastInsertRowid()};
      }
      // The payload names the notification rather than copying it, so the
      // sender reads current data. Every value is a number or one of the
      // fixed kind names, so no escaping is needed.
      char key[48];
      std::snprintf(key, sizeof(key), "notification:%lld",
                    static_cast<long long>(out.id.value));
      char payload[160];
      std::snprintf(payload, sizeof(payload),
                    "{\"notification_id\":%lld,\"account_id\":%lld,"
                    "\"kind\":\"%s\"}",
                    static_cast<long long>(out.id.value),
                    static_cast<long long>(n.account_id.value), kind.c_str());
      Stmt s = c_.Prepare(
          "INSERT INTO outbox (kind, dedupe_key, payload, created_at, "
          "next_attempt_at) VALUES ('notification', ?, ?, ?, ?)");
      s->bind(1, key);
      s->bind(2, payload);
      s->bind(3, ToUnix(n.created_at));
      s->bind(4, ToUnix(n.created_at));
      s->exec();
      return out;
    });
  });
}

Status SqliteNotifications::CreateMany(const std::vector<Notification>& ns) {
  if (ns.empty()) return OkStatus();
  return Guard([&]() -> Status {
    return Atomically(c_, [&]() -> Status {
      // Consecutive notifications that differ only in recipient (a reply's
      // followers, then its mentions) go in one statement: the recipients
      // travel as a JSON array of integers and everything else as bound
      // parameters. Sending whole rows as JSON arrays cost ~10k
      // instructions a row to take apart again (eight ->> extractions),
      // and ORDER BY key a temp B-tree; json_each already yields the array
      // in order.
      auto same_but_recipient = [](const Notification& a, const Notification& b) {
        return a.kind == b.kind && a.actor_id == b.actor_id && a.thread_id == b.thread_id &&
               a.post_id == b.post_id && a.conversation_id == b.conversation_id &&
               a.feedback_id == b.feedback_id && a.read == b.read && ToUnix(a.created_at) == ToUnix(b.created_at);
      };
      int64_t first = 0;
      int64_t last = 0;
      std::string recipients;
      for (size_t begin = 0; begin < ns.size();) {
        size_t end = begin + 1;
        while (end < ns.size() && same_but_recipient(ns[begin], ns[end])) ++end;
        recipients.assign(1, '[');
        for (size_t i = begin; i < end; ++i) {
          if (i > begin) recipients += ',';
          recipients += std::to_string(ns[i].account_id.value);
        }
        recipients += ']';
        Stmt s = c_.Prepare(
            "INSERT INTO notifications (account_id, kind, actor_id, thread_id, post_id, "
            "conversation_id, read, created_at, feedback_id) "
            "SELECT value, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM json_each(?1)");
        s->bind(1, recipients);
        BindAllButRecipient(s, ns[begin]);
        s->exec();
        last = c_.db().getLastInsertRowid();
        if (begin == 0) first = last - static_cast<int64_t>(end - begin) + 1;
        begin = end;
      }
      // AUTOINCREMENT hands the rows consecutive ids: nobody else inserts
      // while this transaction holds the write lock.
      if (last - first + 1 != static_cast<int64_t>(ns.size())) {
        return MakeError(ErrorKind::kInternal, "internal",
                         "Something went wrong on our side. Please try again later.");
      }
      return OkStatus();
    });
  });
}

Result<std::vector<NotificationView>> SqliteNotifications::List(
    AccountId account, NotificationId before, int limit) {
  return Guard([&]() -> Result<std::vector<NotificationView>> {
    std::vector<NotificationView> out;
    if (limit <= 0) return out;
    Stmt s = c_.Prepare(
        "SELECT n.id, n.account_id, n.kind, n.actor_id, n.thread_id, "
        "n.post_id, n.conversation_id, n.read, n.created_at, a.name, "
        "COALESCE(t.title, ''), n.feedback_id, COALESCE(fg.name, ''), f.author_id "
        "FROM notifications n "
        "JOIN accounts a ON a.id = n.actor_id "
        "LEFT JOIN threads t ON t.id = n.thread_id "
        "LEFT JOIN feedback f ON f.id = n.feedback_id "
        "LEFT JOIN interest_groups fg ON fg.id = f.group_id "
        "WHERE n.account_id = ? AND n.id < ? ORDER BY n.id DESC LIMIT ?");
    s->bind(1, account.value);
    s->bind(2, before.valid() ? before.value : kNoUpperBound);
    s->bind(3, limit);
    out.reserve(std::min(limit, 100));
    while (s->executeStep()) {
      NotificationView v;
      Notification& n = v.notification;
      n.id = ReadId<NotificationId>(*s, 0);
      n.account_id = ReadId<AccountId>(*s, 1);
      n.kind = CheckedEnum(ParseNotificationKind(s->getColumn(2).getString()));
      n.actor_id = ReadId<AccountId>(*s, 3);
      n.thread_id = ReadId<ThreadId>(*s, 4);
      n.post_id = ReadId<PostId>(*s, 5);
      n.conversation_id = ReadId<ConversationId>(*s, 6);
      n.read = s->getColumn(7).getInt() != 0;
      n.created_at = ReadTime(*s, 8);
      v.actor_name = s->getColumn(9).getString();
      v.thread_title = s->getColumn(10).getString();
      n.feedback_id = ReadId<FeedbackId>(*s, 11);
      v.feedback_group = s->getColumn(12).getString();
      v.feedback_author = ReadId<AccountId>(*s, 13);
      out.push_back(std::move(v));
    }
    return out;
  });
}

Result<int64_t> SqliteNotifications::UnreadCount(AccountId account) {
  return Guard([&]() -> Result<int64_t> {
    Stmt s = c_.Prepare(
        "SELECT COUNT(*) FROM notifications WHERE account_id = ? AND read = 0");
    s->bind(1, account.value);
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

Result<int64_t> SqliteNotifications::UnreadCountUpTo(AccountId account, int64_t cap) {
  return Guard([&]() -> Result<int64_t> {
    Stmt s = c_.Prepare(
        "SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE account_id = ? AND read = 0 "
        "LIMIT ?)");
    s->bind(1, account.value);
    s->bind(2, cap);
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

Status SqliteNotifications::MarkRead(AccountId account, NotificationId upto) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE notifications SET read = 1 "
        "WHERE account_id = ? AND read = 0 AND id <= ?");
    s->bind(1, account.value);
    s->bind(2, upto.valid() ? upto.value : kNoUpperBound);
    s->exec();
    return OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Conversations

Result<Conversation> SqliteConversations::FindOrCreate(AccountId x,
                                                       AccountId y,
                                                       TimePoint now) {
  return Guard([&]() -> Result<Conversation> {
    // Stored in id order so (x, y) and (y, x) meet on the same unique row.
    // x == y fails the table's CHECK: a caller bug, reported as kInternal.
    const AccountId a = std::min(x, y);
    const AccountId b = std::max(x, y);
    {
      // DO NOTHING rather than check-then-insert: two writers racing to
      // start the same conversation both end up reading the one row.
      Stmt s = c_.Prepare(
          "INSERT INTO conversations (account_a, account_b, created_at, "
          "last_message_at) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (account_a, account_b) DO NOTHING");
      s->bind(1, a.value);
      s->bind(2, b.value);
      s->bind(3, ToUnix(now));
      s->bind(4, ToUnix(now));
      s->exec();
    }
    Stmt s = c_.Prepare("SELECT " RT_CONVERSATION_COLUMNS
                        " FROM conversations c "
                        "WHERE c.account_a = ? AND c.account_b = ?");
    s->bind(1, a.value);
    s->bind(2, b.value);
    if (!s->executeStep()) {
      return MakeError(ErrorKind::kInternal, "internal",
                       "Something went wrong on our side. Please try again "
                       "later.");
    }
    return ReadConversation(*s);
  });
}

Result<std::optional<Conversation>> SqliteConversations::Find(
    ConversationId id) {
  return Guard([&]() -> Result<std::optional<Conversation>> {
    Stmt s = c_.Prepare("SELECT " RT_CONVERSATION_COLUMNS
                        " FROM conversations c WHERE c.id = ?");
    s->bind(1, id.value);
    if (!s->executeStep()) return std::optional<Conversation>();
    return std::optional<Conversation>(ReadConversation(*s));
  });
}

Result<Message> SqliteConversations::AddMessage(const Message& m) {
  return Guard([&]() -> Result<Message> {
    return Atomically(c_, [&]() -> Result<Message> {
      Message out = m;
      out.created_at = Stored(m.created_at);
      {
        Stmt s = c_.Prepare(
            "INSERT INTO messages (conversation_id, author_id, about_post, "
            "body_source, body_html, created_at) VALUES (?, ?, ?, ?, ?, ?)");
        s->bind(1, m.conversation_id.value);
        s->bind(2, m.author_id.value);
        BindId(s, 3, m.about_post);
        s->bind(4, m.body_source);
        s->bind(5, m.body_html);
        s->bind(6, ToUnix(m.created_at));
        s->exec();
        out.id = MessageId{c_.db().getLastInsertRowid()};
      }
      Stmt s = c_.Prepare(
          "UPDATE conversations SET last_message_at = ? WHERE id = ?");
      s->bind(1, ToUnix(m.created_at));
      s->bind(2, m.conversation_id.value);
      s->exec();
      return out;
    });
  });
}

namespace {

// One inbox row per conversation of ?1: the correlated subqueries run per
// listed conversation over messages_conversation and the conversation_reads
// key. Unread counts only the other person's messages (one's own are read
// by definition). Conversations without messages (opened, nothing sent)
// have nothing to show and stay out. The snippet is cut in bytes as a BLOB
// so SQLite does not count characters; Snippet() then backs up to a
// character boundary.
#define RT_INBOX_SELECT                                                        \
  "SELECT " RT_CONVERSATION_COLUMNS ", o.id, o.name, "                         \
  "(SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id "           \
  " AND m.author_id <> ?1 AND m.id > COALESCE("                                \
  "  (SELECT r.last_read_message_id FROM conversation_reads r "                \
  "   WHERE r.conversation_id = c.id AND r.account_id = ?1), 0)), "           \
  "(SELECT substr(CAST(m.body_source AS BLOB), 1, ?3) FROM messages m "        \
  " WHERE m.conversation_id = c.id ORDER BY m.id DESC LIMIT 1) "              \
  "FROM conversations c JOIN accounts o ON o.id = "                            \
  " (CASE WHEN c.account_a = ?1 THEN c.account_b ELSE c.account_a END) "       \
  "WHERE (c.account_a = ?1 OR c.account_b = ?1) "                              \
  "AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id) "

ConversationView ReadInboxRow(SQLite::Statement& s) {
  ConversationView v;
  v.conversation = ReadConversation(s);
  v.other_id = ReadId<AccountId>(s, kConversationColumnCount);
  v.other_name = s.getColumn(kConversationColumnCount + 1).getString();
  v.unread = s.getColumn(kConversationColumnCount + 2).getInt64();
  v.last_snippet = Snippet(s.getColumn(kConversationColumnCount + 3).getString());
  return v;
}

}  // namespace

Result<std::vector<ConversationView>> SqliteConversations::Inbox(
    AccountId account, int limit) {
  return Guard([&]() -> Result<std::vector<ConversationView>> {
    std::vector<ConversationView> out;
    if (limit <= 0) return out;
    Stmt s = c_.Prepare(RT_INBOX_SELECT
                        "ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?2");
    s->bind(1, account.value);
    s->bind(2, limit);
    s->bind(3, static_cast<int>(kSnippetBytes + 1));
    out.reserve(std::min(limit, 100));
    while (s->executeStep()) out.push_back(ReadInboxRow(*s));
    return out;
  });
}

Result<std::optional<ConversationView>> SqliteConversations::FindView(
    ConversationId id, AccountId account) {
  return Guard([&]() -> Result<std::optional<ConversationView>> {
    Stmt s = c_.Prepare(RT_INBOX_SELECT "AND c.id = ?2");
    s->bind(1, account.value);
    s->bind(2, id.value);
    s->bind(3, static_cast<int>(kSnippetBytes + 1));
    if (!s->executeStep()) return std::optional<ConversationView>();
    return std::optional<ConversationView>(ReadInboxRow(*s));
  });
}

Result<std::vector<MessageView>> SqliteConversations::Messages(
    ConversationId id, MessageId after, int limit) {
  return Guard([&]() -> Result<std::vector<MessageView>> {
    std::vector<MessageView> out;
    if (limit <= 0) return out;
    Stmt s = c_.Prepare(
        "SELECT m.id, m.conversation_id, m.author_id, m.about_post, "
        "m.body_source, m.body_html, m.created_at, a.name FROM messages m "
        "JOIN accounts a ON a.id = m.author_id "
        "WHERE m.conversation_id = ? AND m.id > ? ORDER BY m.id LIMIT ?");
    s->bind(1, id.value);
    s->bind(2, after.valid() ? after.value : int64_t{0});
    s->bind(3, limit);
    out.reserve(std::min(limit, 100));
    while (s->executeStep()) {
      MessageView v;
      v.message.id = ReadId<MessageId>(*s, 0);
      v.message.conversation_id = ReadId<ConversationId>(*s, 1);
      v.message.author_id = ReadId<AccountId>(*s, 2);
      v.message.about_post = ReadId<PostId>(*s, 3);
      v.message.body_source = s->getColumn(4).getString();
      v.message.body_html = s->getColumn(5).getString();
      v.message.created_at = ReadTime(*s, 6);
      v.author_name = s->getColumn(7).getString();
      out.push_back(std::move(v));
    }
    return out;
  });
}

Status SqliteConversations::MarkRead(ConversationId id, AccountId account,
                                     TimePoint now) {
  return Guard([&]() -> Status {
    // The high-water mark only rises: a MarkRead computed before a newer one
    // committed must not make read messages unread again. (The WHERE clause
    // also keeps SQLite from parsing ON CONFLICT as a join constraint.)
    Stmt s = c_.Prepare(
        "INSERT INTO conversation_reads (conversation_id, account_id, "
        "last_read_message_id, read_at) "
        "SELECT ?1, ?2, COALESCE(MAX(id), 0), ?3 FROM messages "
        "WHERE conversation_id = ?1 "
        "ON CONFLICT (conversation_id, account_id) DO UPDATE SET "
        "last_read_message_id = MAX(last_read_message_id, "
        "excluded.last_read_message_id), read_at = excluded.read_at");
    s->bind(1, id.value);
    s->bind(2, account.value);
    s->bind(3, ToUnix(now));
    s->exec();
    return OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Idempotency keys

Result<std::optional<IdempotentResponse>> SqliteIdempotency::Find(
    AccountId account, const std::string& key) {
  return Guard([&]() -> Result<std::optional<IdempotentResponse>> {
    Stmt s = c_.Prepare(
        "SELECT status, body FROM idempotency_keys "
        "WHERE account_id = ? AND key = ?");
    s->bind(1, account.value);
    s->bind(2, key);
    if (!s->executeStep()) return std::optional<IdempotentResponse>();
    return std::optional<IdempotentResponse>(
        IdempotentResponse{s->getColumn(0).getInt(),
                           s->getColumn(1).getString()});
  });
}

Status SqliteIdempotency::Save(AccountId account, const std::string& key,
                               const IdempotentResponse& response,
                               TimePoint now) {
  return Guard(
      [&]() -> Status {
        // A plain INSERT: a second save under the same key means two
        // requests raced past Find, and the loser must not overwrite the
        // response the winner already returned.
        Stmt s = c_.Prepare(
            "INSERT INTO idempotency_keys (account_id, key, status, body, "
            "created_at) VALUES (?, ?, ?, ?, ?)");
        s->bind(1, account.value);
        s->bind(2, key);
        s->bind(3, response.status);
        s->bind(4, response.body);
        s->bind(5, ToUnix(now));
        s->exec();
        return OkStatus();
      },
      "idempotency_conflict", "This request was already made.");
}

}  // namespace rt::store::sqlite
