#include "app/accounts.h"

#include "app/account_mail.h"
#include "core/crypto.h"

namespace rt::app {

namespace {
Error InvalidCredentials() {
  return MakeError(ErrorKind::kUnauthenticated, "invalid_credentials",
                   "The email address or password is not right.");
}
}  // namespace

Result<Account> AccountsService::Register(const RegisterInput& in) {
  return Create(in, /*is_admin=*/false, /*is_demo=*/false, /*by_operator=*/false);
}

Result<Account> AccountsService::CreateByOperator(const RegisterInput& in, bool is_admin) {
  return Create(in, is_admin, /*is_demo=*/false, /*by_operator=*/true);
}

Result<Account> AccountsService::Create(const RegisterInput& in, bool is_admin, bool is_demo,
                                        bool by_operator) {
  store::NewAccount na;
  RT_ASSIGN_OR_RETURN(na.name, ValidateName(in.name));
  RT_ASSIGN_OR_RETURN(na.email, NormalizeEmail(in.email));
  RT_RETURN_IF_ERROR(ValidatePassword(in.password));
  na.is_admin = is_admin;
  na.is_demo = is_demo;
  // An operator vouches for the address; demo addresses receive no mail.
  // Everyone else proves theirs with the link we mail them.
  na.email_verified = by_operator || is_demo;
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  // Fail fast on a taken email before spending time on the hash.
  RT_ASSIGN_OR_RETURN(std::optional<Account> existing, db->accounts().FindByEmail(na.email));
  if (existing) {
    return MakeError(ErrorKind::kConflict, "email_taken",
                     "An account with this email address already exists.", "email");
  }
  RT_ASSIGN_OR_RETURN(na.password_hash, crypto::HashPassword(in.password));
  std::optional<Account> created;
  TimePoint now = ctx_.Now();
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(Account a, db->accounts().Create(na, now));
    // A membership is the association's record of an address, so it
    // attaches only once the address is shown to be the account's.
    if (a.email_verified()) {
      RT_RETURN_IF_ERROR(db->memberships().AttachToAccount(a.email, a.id));
    } else {
      RT_RETURN_IF_ERROR(QueueVerificationMail(ctx_, *db, a, now));
    }
    RT_RETURN_IF_ERROR(db->audit().Record(a.id, "account.create", a.email, now));
    created = std::move(a);
    return OkStatus();
  }));
  if (!created) return MakeError(ErrorKind::kInternal, "internal", "Account was not created.");
  if (!created->email_verified()) ctx_.OutboxChanged();
  return *std::move(created);
}

Result<store::AccountCredentials> CheckCurrentPassword(store::Store& db, const Account& account,
                                                       const std::string& password) {
  RT_ASSIGN_OR_RETURN(std::optional<store::AccountCredentials> cred,
                      db.accounts().FindCredentials(account.email));
  if (!cred || !crypto::VerifyPassword(cred->password_hash, password)) {
    return MakeError(ErrorKind::kInvalidInput, "wrong_password",
                     "Your current password is not right.", "current_password");
  }
  return *std::move(cred);
}

Result<SignedIn> AccountsService::SignIn(const std::string& email,
                                         const std::string& password) {
  auto normalized = NormalizeEmail(email);
  if (!normalized.ok() || password.size() > kMaxPasswordLength * 4) {
    crypto::VerifyDummyPassword(password.substr(0, 64));
    return InvalidCredentials();
  }
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(std::optional<store::AccountCredentials> cred,
                      db->accounts().FindCredentials(*normalized));
  if (!cred) {
    crypto::VerifyDummyPassword(password);
    return InvalidCredentials();
  }
  if (!crypto::VerifyPassword(cred->password_hash, password)) return InvalidCredentials();

  SignedIn out{cred->account, crypto::RandomToken(), crypto::RandomToken()};
  TimePoint now = ctx_.Now();
  store::SessionRecord s{crypto::HashToken(out.token), cred->account.id, out.csrf_token, now,
                         now + std::chrono::hours(24 * kSessionDays)};
  RT_RETURN_IF_ERROR(db->sessions().Create(s));
  return out;
}

Result<std::optional<SessionInfo>> AccountsService::Authenticate(const std::string& token) {
  if (token.empty() || token.size() > 128) return std::optional<SessionInfo>();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  std::string hash = crypto::HashToken(token);
  RT_ASSIGN_OR_RETURN(auto found, db->sessions().FindWithAccount(hash, ctx_.Now()));
  if (!found) return std::optional<SessionInfo>();
  return std::optional<SessionInfo>(
      SessionInfo{std::move(found->second), hash, std::move(found->first.csrf_token)});
}

Status AccountsService::SignOut(const std::string& token_hash) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  return db->sessions().Delete(token_hash);
}

Status AccountsService::ChangePassword(const SessionInfo& session, const std::string& current,
                                       const std::string& replacement) {
  RT_RETURN_IF_ERROR(ValidatePassword(replacement, "new_password"));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(store::AccountCredentials cred,
                      CheckCurrentPassword(*db, session.account, current));
  RT_ASSIGN_OR_RETURN(std::string hash, crypto::HashPassword(replacement));
  TimePoint now = ctx_.Now();
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_RETURN_IF_ERROR(db->accounts().SetPasswordHash(session.account.id, hash, now));
    RT_RETURN_IF_ERROR(db->sessions().DeleteAllForAccount(session.account.id, session.token_hash));
    RT_RETURN_IF_ERROR(db->audit().Record(session.account.id, "account.password_change", "", now));
    return QueuePasswordChangedMail(ctx_, *db, cred.account, now);
  }));
  ctx_.OutboxChanged();
  return OkStatus();
}

Result<Account> AccountsService::UpdateProfile(AccountId id, const Profile& profile) {
  RT_ASSIGN_OR_RETURN(Profile clean, ValidateProfile(profile));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_RETURN_IF_ERROR(db->accounts().UpdateProfile(id, clean, ctx_.Now()));
  RT_ASSIGN_OR_RETURN(std::optional<Account> a, db->accounts().FindById(id));
  if (!a) return MakeError(ErrorKind::kNotFound, "account_not_found", "No such account.");
  return *std::move(a);
}

}  // namespace rt::app
