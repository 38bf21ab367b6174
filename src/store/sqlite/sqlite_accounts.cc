#include "core/text.h"
#include "store/sqlite/sqlite_store.h"

namespace rt::store::sqlite {

namespace {

Error AccountNotFound() {
  return MakeError(ErrorKind::kNotFound, "account_not_found",
                   "No such account.");
}

// At most `max` bytes of `s`, not ending inside a UTF-8 sequence.
std::string CutUtf8(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::optional<Account> FirstAccount(Stmt& s) {
  if (!s->executeStep()) return std::nullopt;
  return ReadAccount(*s);
}

}  // namespace

Result<Account> SqliteAccounts::Create(const NewAccount& a, TimePoint now) {
  return Guard(
      [&]() -> Result<Account> {
        Stmt s = c_.Prepare(
            "INSERT INTO accounts (email, name, name_key, password_hash, "
            "is_admin, "
            "is_demo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        s->bind(1, a.email);
        s->bind(2, a.name);
        s->bind(3, text::ToLowerAscii(a.name));
        s->bind(4, a.password_hash);
        s->bind(5, a.is_admin ? 1 : 0);
        s->bind(6, a.is_demo ? 1 : 0);
        s->bind(7, ToUnix(now));
        s->bind(8, ToUnix(now));
        s->exec();
        Account out;
        out.id = AccountId{c_.db().getLastInsertRowid()};
        out.email = a.email;
        out.name = a.name;
        out.is_admin = a.is_admin;
        out.created_at = FromUnix(ToUnix(now));  // as stored: whole seconds
        return out;
      },
      "email_taken", "An account with this email address already exists.");
}

Result<std::optional<Account>> SqliteAccounts::FindById(AccountId id) {
  return Guard([&]() -> Result<std::optional<Account>> {
    Stmt s = c_.Prepare("SELECT " RT_ACCOUNT_COLUMNS
                        " FROM accounts a WHERE a.id = ?");
    s->bind(1, id.value);
    return FirstAccount(s);
  });
}

Result<int64_t> SqliteAccounts::CountAccounts(bool demo) {
  return Guard([&]() -> Result<int64_t> {
    Stmt s = c_.Prepare("SELECT COUNT(*) FROM accounts WHERE is_demo = ?");
    s->bind(1, demo ? 1 : 0);
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

Result<std::optional<Account>> SqliteAccounts::FindByEmail(
    const std::string& email) {
  return Guard([&]() -> Result<std::optional<Account>> {
    Stmt s = c_.Prepare("SELECT " RT_ACCOUNT_COLUMNS
                        " FROM accounts a WHERE a.email = ?");
    s->bind(1, email);
    return FirstAccount(s);
  });
}

Result<std::optional<AccountCredentials>> SqliteAccounts::FindCredentials(
    const std::string& email) {
  return Guard([&]() -> Result<std::optional<AccountCredentials>> {
    Stmt s = c_.Prepare("SELECT " RT_ACCOUNT_COLUMNS
                        ", a.password_hash FROM accounts a WHERE a.email = ?");
    s->bind(1, email);
    if (!s->executeStep()) return std::optional<AccountCredentials>();
    return std::optional<AccountCredentials>(AccountCredentials{
        ReadAccount(*s), s->getColumn(kAccountColumnCount).getString()});
  });
}

Status SqliteAccounts::UpdateProfile(AccountId id, const Profile& p,
                                     TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE accounts SET name = ?, name_key = ?, job_title = ?, "
        "organisation = ?, "
        "location = ?, updated_at = ? WHERE id = ?");
    s->bind(1, p.name);
    s->bind(2, text::ToLowerAscii(p.name));
    s->bind(3, p.job_title);
    s->bind(4, p.organisation);
    s->bind(5, p.location);
    s->bind(6, ToUnix(now));
    s->bind(7, id.value);
    if (s->exec() == 0) return AccountNotFound();
    return OkStatus();
  });
}

Status SqliteAccounts::SetPasswordHash(AccountId id, const std::string& hash,
                                       TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?");
    s->bind(1, hash);
    s->bind(2, ToUnix(now));
    s->bind(3, id.value);
    s->exec();
    return OkStatus();
  });
}

Status SqliteAccounts::SetAdmin(AccountId id, bool is_admin) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare("UPDATE accounts SET is_admin = ? WHERE id = ?");
    s->bind(1, is_admin ? 1 : 0);
    s->bind(2, id.value);
    s->exec();
    return OkStatus();
  });
}

Status SqliteAccounts::PauseMail(AccountId id, const std::string& reason, TimePoint now) {
  return Guard([&]() -> Status {
    // COALESCE keeps the first pause: later refusals say nothing new.
    Stmt s = c_.Prepare(
        "UPDATE accounts SET mail_pause_reason = CASE WHEN mail_paused_at IS NULL "
        "THEN ? ELSE mail_pause_reason END, mail_paused_at = COALESCE(mail_paused_at, ?) "
        "WHERE id = ?");
    s->bind(1, CutUtf8(reason, 500));
    s->bind(2, ToUnix(now));
    s->bind(3, id.value);
    if (s->exec() == 0) return AccountNotFound();
    return OkStatus();
  });
}

Status SqliteAccounts::ResumeMail(AccountId id) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE accounts SET mail_paused_at = NULL, mail_pause_reason = NULL WHERE id = ?");
    s->bind(1, id.value);
    if (s->exec() == 0) return AccountNotFound();
    return OkStatus();
  });
}

Status SqliteSessions::Create(const SessionRecord& r) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, "
        "expires_at) VALUES (?, ?, ?, ?, ?)");
    s->bind(1, r.token_hash);
    s->bind(2, r.account_id.value);
    s->bind(3, r.csrf_token);
    s->bind(4, ToUnix(r.created_at));
    s->bind(5, ToUnix(r.expires_at));
    s->exec();
    return OkStatus();
  });
}

Result<std::optional<SessionRecord>> SqliteSessions::Find(
    const std::string& token_hash, TimePoint now) {
  return Guard([&]() -> Result<std::optional<SessionRecord>> {
    Stmt s = c_.Prepare(
        "SELECT account_id, csrf_token, created_at, expires_at FROM sessions "
        "WHERE token_hash = ? AND expires_at > ?");
    s->bind(1, token_hash);
    s->bind(2, ToUnix(now));
    if (!s->executeStep()) return std::optional<SessionRecord>();
    return std::optional<SessionRecord>(SessionRecord{
        token_hash, AccountId{s->getColumn(0).getInt64()},
        s->getColumn(1).getString(), FromUnix(s->getColumn(2).getInt64()),
        FromUnix(s->getColumn(3).getInt64())});
  });
}

Status SqliteSessions::Delete(const std::string& token_hash) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare("DELETE FROM sessions WHERE token_hash = ?");
    s->bind(1, token_hash);
    s->exec();
    return OkStatus();
  });
}

Status SqliteSessions::DeleteAllForAccount(AccountId id,
                                           const std::string& keep_hash) {
  return Guard([&]() -> Status {
    // An empty keep_hash matches no row, so every session goes.
    Stmt s = c_.Prepare(
        "DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?");
    s->bind(1, id.value);
    s->bind(2, keep_hash);
    s->exec();
    return OkStatus();
  });
}

Status SqliteSessions::DeleteExpired(TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare("DELETE FROM sessions WHERE expires_at <= ?");
    s->bind(1, ToUnix(now));
    s->exec();
    return OkStatus();
  });
}

}  // namespace rt::store::sqlite
