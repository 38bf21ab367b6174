#include <stdexcept>

#include "core/text.h"
#include "store/sqlite/content_cache.h"
#include "store/sqlite/sqlite_cache.h"
#include "store/sqlite/sqlite_store.h"

namespace rt::store::sqlite {

namespace {

Error AccountNotFound() {
  return MakeError(ErrorKind::kNotFound, "account_not_found", "No such account.");
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
            "is_admin, is_demo, created_at, updated_at, email_verified_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        s->bind(1, a.email);
        s->bind(2, a.name);
        s->bind(3, text::ToLowerAscii(a.name));
        s->bind(4, a.password_hash);
        s->bind(5, a.is_admin ? 1 : 0);
        s->bind(6, a.is_demo ? 1 : 0);
        s->bind(7, ToUnix(now));
        s->bind(8, ToUnix(now));
        if (a.email_verified) {
          s->bind(9, ToUnix(now));
        } else {
          s->bind(9);
        }
        s->exec();
        Account out;
        out.id = AccountId{c_.db().getLastInsertRowid()};
        out.email = a.email;
        out.name = a.name;
        out.is_admin = a.is_admin;
        out.created_at = FromUnix(ToUnix(now));  // as stored: whole seconds
        if (a.email_verified) out.email_verified_at = out.created_at;
        return out;
      },
      "email_taken", "An account with this email address already exists.");
}

Result<std::optional<Account>> SqliteAccounts::FindById(AccountId id) {
  return Guard([&]() -> Result<std::optional<Account>> {
    Stmt s = c_.Prepare("SELECT " RT_ACCOUNT_COLUMNS " FROM accounts a WHERE a.id = ?");
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

Result<std::optional<Account>> SqliteAccounts::FindByEmail(const std::string& email) {
  return Guard([&]() -> Result<std::optional<Account>> {
    Stmt s = c_.Prepare("SELECT " RT_ACCOUNT_COLUMNS " FROM accounts a WHERE a.email = ?");
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
    return std::optional<AccountCredentials>(
        AccountCredentials{ReadAccount(*s), s->getColumn(kAccountColumnCount).getString()});
  });
}

Status SqliteAccounts::UpdateProfile(AccountId id, const Profile& p, TimePoint now) {
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

Status SqliteAccounts::SetPasswordHash(AccountId id, const std::string& hash, TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare("UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?");
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

Status SqliteAccounts::MarkEmailVerified(AccountId id, TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE accounts SET email_verified_at = ? WHERE id = ? AND "
        "email_verified_at IS NULL");
    s->bind(1, ToUnix(now));
    s->bind(2, id.value);
    s->exec();
    return OkStatus();
  });
}

Status SqliteAccounts::ChangeEmail(AccountId id, const std::string& email, TimePoint now) {
  return Guard(
      [&]() -> Status {
        Stmt s = c_.Prepare(
            "UPDATE accounts SET email = ?, email_verified_at = ?, "
            "updated_at = ? WHERE id = ?");
        s->bind(1, email);
        s->bind(2, ToUnix(now));
        s->bind(3, ToUnix(now));
        s->bind(4, id.value);
        if (s->exec() == 0) return AccountNotFound();
        return OkStatus();
      },
      "email_taken", "An account with this email address already exists.");
}

Status SqliteAccountTokens::Create(const AccountToken& t) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "INSERT INTO account_tokens (token_hash, purpose, account_id, email, "
        "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)");
    s->bind(1, t.token_hash);
    s->bind(2, std::string(ToString(t.purpose)));
    s->bind(3, t.account.value);
    s->bind(4, t.email);
    s->bind(5, ToUnix(t.created_at));
    s->bind(6, ToUnix(t.expires_at));
    s->exec();
    return OkStatus();
  });
}

Result<std::optional<AccountToken>> SqliteAccountTokens::Find(const std::string& token_hash) {
  return Guard([&]() -> Result<std::optional<AccountToken>> {
    Stmt s = c_.Prepare(
        "SELECT purpose, account_id, email, created_at, expires_at, used_at "
        "FROM account_tokens WHERE token_hash = ?");
    s->bind(1, token_hash);
    if (!s->executeStep()) return std::optional<AccountToken>();
    std::optional<TokenPurpose> purpose = ParseTokenPurpose(s->getColumn(0).getString());
    if (!purpose) throw std::runtime_error("corrupt account token row");
    AccountToken t;
    t.token_hash = token_hash;
    t.purpose = *purpose;
    t.account = AccountId{s->getColumn(1).getInt64()};
    t.email = s->getColumn(2).getString();
    t.created_at = FromUnix(s->getColumn(3).getInt64());
    t.expires_at = FromUnix(s->getColumn(4).getInt64());
    if (!s->getColumn(5).isNull()) t.used_at = FromUnix(s->getColumn(5).getInt64());
    return std::optional<AccountToken>(std::move(t));
  });
}

Result<bool> SqliteAccountTokens::MarkUsed(const std::string& token_hash, TimePoint now) {
  return Guard([&]() -> Result<bool> {
    Stmt s = c_.Prepare(
        "UPDATE account_tokens SET used_at = ? WHERE token_hash = ? AND "
        "used_at IS NULL");
    s->bind(1, ToUnix(now));
    s->bind(2, token_hash);
    return s->exec() == 1;
  });
}

Status SqliteAccountTokens::UseAll(AccountId account, TokenPurpose purpose, TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE account_tokens SET used_at = ? WHERE account_id = ? AND "
        "purpose = ? AND used_at IS NULL");
    s->bind(1, ToUnix(now));
    s->bind(2, account.value);
    s->bind(3, std::string(ToString(purpose)));
    s->exec();
    return OkStatus();
  });
}

Result<int> SqliteAccountTokens::CountSentSince(const std::string& email, TokenPurpose purpose,
                                                TimePoint since) {
  return Guard([&]() -> Result<int> {
    Stmt s = c_.Prepare(
        "SELECT COUNT(*) FROM account_tokens WHERE email = ? AND purpose = ? "
        "AND created_at > ?");
    s->bind(1, email);
    s->bind(2, std::string(ToString(purpose)));
    s->bind(3, ToUnix(since));
    s->executeStep();
    return s->getColumn(0).getInt();
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

Result<std::optional<SessionRecord>> SqliteSessions::Find(const std::string& token_hash,
                                                          TimePoint now) {
  return Guard([&]() -> Result<std::optional<SessionRecord>> {
    Stmt s = c_.Prepare(
        "SELECT account_id, csrf_token, created_at, expires_at FROM sessions "
        "WHERE token_hash = ? AND expires_at > ?");
    s->bind(1, token_hash);
    s->bind(2, ToUnix(now));
    if (!s->executeStep()) return std::optional<SessionRecord>();
    return std::optional<SessionRecord>(SessionRecord{
        token_hash, AccountId{s->getColumn(0).getInt64()}, s->getColumn(1).getString(),
        FromUnix(s->getColumn(2).getInt64()), FromUnix(s->getColumn(3).getInt64())});
  });
}

namespace {

using SessionWithAccount = std::pair<SessionRecord, Account>;

// Every signed-in request looks its token up: the process keeps the
// answers under the "sessions" version (migration 023, which every write to
// sessions or accounts bumps), as content_cache.h keeps thread contents.
VersionedCache<SessionWithAccount>& SessionCache() {
  static auto* cache = new VersionedCache<SessionWithAccount>(512 << 10);
  return *cache;
}

size_t ApproximateBytes(const SessionWithAccount& s) {
  const Account& a = s.second;
  return sizeof(s) + s.first.token_hash.size() + s.first.csrf_token.size() + a.email.size() +
         a.name.size() + a.job_title.size() + a.organisation.size() + a.location.size();
}

}  // namespace

Result<std::optional<std::pair<SessionRecord, Account>>> SqliteSessions::FindWithAccount(
    const std::string& token_hash, TimePoint now) {
  using Found = std::optional<std::pair<SessionRecord, Account>>;
  return Guard([&]() -> Result<Found> {
    const ContentVersion version{VersionsFor(c_).sessions, 0, 0};
    std::string key;
    if (version.valid()) {
      key = DatabaseFile(c_);
      key.push_back('\0');
      key += token_hash;
      if (auto hit = SessionCache().Find(key, version)) {
        if (hit->first.expires_at <= now) return Found();
        return Found(*hit);
      }
    }
    Stmt s = c_.Prepare("SELECT " RT_ACCOUNT_COLUMNS
                        ", s.csrf_token, s.created_at, s.expires_at "
                        "FROM sessions s JOIN accounts a ON a.id = s.account_id "
                        "WHERE s.token_hash = ? AND s.expires_at > ?");
    s->bind(1, token_hash);
    s->bind(2, ToUnix(now));
    if (!s->executeStep()) return Found();
    Account a = ReadAccount(*s);
    SessionRecord r{token_hash, a.id, s->getColumn(kAccountColumnCount).getString(),
                    FromUnix(s->getColumn(kAccountColumnCount + 1).getInt64()),
                    FromUnix(s->getColumn(kAccountColumnCount + 2).getInt64())};
    Found found(std::make_pair(std::move(r), std::move(a)));
    if (version.valid() && MayFill(c_)) {
      auto copy = std::make_shared<const SessionWithAccount>(*found);
      SessionCache().Keep(key, version, copy, ApproximateBytes(*copy));
    }
    return found;
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

Status SqliteSessions::DeleteAllForAccount(AccountId id, const std::string& keep_hash) {
  return Guard([&]() -> Status {
    // An empty keep_hash matches no row, so every session goes.
    Stmt s = c_.Prepare("DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?");
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
