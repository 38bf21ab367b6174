// Incoming mail already handled (InboundMailRepository in store/store.h).

#include <optional>
#include <string>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_util.h"

namespace rt::store::sqlite {

Result<std::optional<InboundRecord>> SqliteInboundMail::Find(const std::string& dedupe_key) {
  return Guard([&]() -> Result<std::optional<InboundRecord>> {
    Stmt s = c_.Prepare(
        "SELECT dedupe_key, message_id, sender, recipient, outcome, reason, post_id, "
        "answered_to, answered_account, received_at FROM inbound_messages WHERE dedupe_key = ?");
    s->bind(1, dedupe_key);
    if (!s->executeStep()) return std::optional<InboundRecord>();
    InboundRecord r;
    r.dedupe_key = s->getColumn(0).getString();
    r.message_id = s->getColumn(1).getString();
    r.sender = s->getColumn(2).getString();
    r.recipient = s->getColumn(3).getString();
    r.outcome = s->getColumn(4).getString();
    r.reason = s->getColumn(5).getString();
    r.post = ReadId<PostId>(*s, 6);
    r.answered_to = s->getColumn(7).getString();  // NULL reads as ""
    r.answered_account = s->getColumn(8).getInt() == 1;
    r.received_at = ReadTime(*s, 9);
    return std::optional<InboundRecord>(std::move(r));
  });
}

Status SqliteInboundMail::Record(const InboundRecord& r) {
  return Guard(
      [&]() -> Status {
        Stmt s = c_.Prepare(
            "INSERT INTO inbound_messages (dedupe_key, message_id, sender, recipient, outcome, "
            "reason, post_id, answered_to, answered_account, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        s->bind(1, r.dedupe_key);
        s->bind(2, r.message_id);
        s->bind(3, r.sender);
        s->bind(4, r.recipient);
        s->bind(5, r.outcome);
        s->bind(6, r.reason);
        BindId(s, 7, r.post);
        if (r.answered_to.empty()) {
          s->bind(8);
          s->bind(9);
        } else {
          s->bind(8, r.answered_to);
          s->bind(9, r.answered_account ? 1 : 0);
        }
        s->bind(10, ToUnix(r.received_at));
        s->exec();
        return OkStatus();
      },
      "inbound_duplicate", "This message was handled already.");
}

Result<int64_t> SqliteInboundMail::CountAnswers(const std::string& address, TimePoint since) {
  return Guard([&]() -> Result<int64_t> {
    Stmt s = c_.Prepare(
        "SELECT COUNT(*) FROM inbound_messages INDEXED BY inbound_messages_answered "
        "WHERE answered_to = ? AND received_at >= ?");
    s->bind(1, address);
    s->bind(2, ToUnix(since));
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

Result<int64_t> SqliteInboundMail::CountAnswersToStrangers(TimePoint since) {
  return Guard([&]() -> Result<int64_t> {
    Stmt s = c_.Prepare(
        "SELECT COUNT(*) FROM inbound_messages INDEXED BY inbound_messages_strangers "
        "WHERE answered_to IS NOT NULL AND answered_account = 0 AND received_at >= ?");
    s->bind(1, ToUnix(since));
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

Result<int> SqliteInboundMail::Prune(TimePoint before, int limit) {
  return Guard([&]() -> Result<int> {
    Stmt s = c_.Prepare(
        "DELETE FROM inbound_messages WHERE id IN (SELECT id FROM inbound_messages "
        "WHERE received_at < ? ORDER BY received_at LIMIT ?)");
    s->bind(1, ToUnix(before));
    s->bind(2, limit);
    return s->exec();
  });
}

}  // namespace rt::store::sqlite
