#ifndef RT_APP_ACCOUNT_MAIL_H_
#define RT_APP_ACCOUNT_MAIL_H_

#include <string>

#include "app/accounts.h"
#include "app/context.h"
#include "domain/accounts/account.h"
#include "domain/accounts/account_token.h"
#include "store/store.h"

// Account mail (issue 5, point 2): address verification, password reset,
// email change, and notices when the password or the address changed.
//
// Every link carries a fresh random token; only its hash is stored, scoped
// to one purpose, bound to the address it was sent to, expiring
// (TokenLifetime) and single-use. Opening a link reads (Inspect); only the
// POST behind the page's button acts. Mail is queued as an outbox row in the
// same transaction as the change it reports (app/mail_queue.h), and the
// outbox signal is rung after the commit.
namespace rt::app {

// What a link's page shows before anything changes.
struct LinkInfo {
  TokenPurpose purpose = TokenPurpose::kVerify;
  std::string email;  // the address the link was sent to (and confirms)
  TimePoint expires_at;
};

// Stateless apart from the context; thread-safe.
class AccountMailService {
 public:
  explicit AccountMailService(const AppContext& ctx) : ctx_(ctx) {}

  // Mails a new verification link to the account's address, unless
  // kMaxMailsPerAddress links went there within the last hour: then it
  // sends nothing and still answers ok, like every other request here.
  // Errors: kConflict "already_verified".
  Status ResendVerification(AccountId account);

  // Checks a link for its page without changing anything. Errors (the same
  // for every purpose): kNotFound "link_not_found" for an unknown token or
  // one made for another purpose; kRuleBroken "link_used" or
  // "link_expired", each saying how to get a new link.
  Result<LinkInfo> Inspect(TokenPurpose purpose, const std::string& token);

  // Uses a verification link: the address it was sent to becomes verified,
  // and the association memberships recorded for it attach to the account.
  // Errors: Inspect's, and kRuleBroken "link_outdated" when the account's
  // address has changed since the link was sent.
  Result<Account> Verify(const std::string& token);

  // Mails a reset link when an account uses `email` (and the address is
  // under its hourly limit). Answers ok either way, after the same work, so
  // the answer does not tell whether the address has an account. Errors:
  // kInvalidInput "invalid_email" (field email) for a malformed address.
  Status RequestPasswordReset(const std::string& email);

  // Uses a reset link: sets the new password (the registration rules,
  // field "password"), ends every session of the account, ends its other
  // reset links, and mails a notice. Errors: Inspect's, the password rules.
  Status ResetPassword(const std::string& token, const std::string& password);

  // Starts a change of the account's address: checks the current password,
  // then mails a confirmation link to `new_email`. The account keeps its
  // address until the link is used. Answers ok without sending when another
  // account uses `new_email` (so the form cannot probe for addresses) or the
  // address is over its hourly limit. Errors: kInvalidInput "invalid_email"
  // (field email), "same_email" (field email), "wrong_password" (field
  // current_password).
  Status RequestEmailChange(const SessionInfo& session, const std::string& new_email,
                            const std::string& current_password);

  // Uses an email-change link: the account's address becomes the one the
  // link was sent to (verified), memberships recorded for it attach, and
  // the old address is told. Errors: Inspect's, kConflict "email_taken"
  // when another account took the address meanwhile.
  Result<Account> ConfirmEmailChange(const std::string& token);

  // What VerifyByOperator did.
  struct OperatorVerified {
    std::string email;  // normalised
    int memberships_attached = 0;
  };

  // For support (`roundtable accounts verify`): marks the address verified
  // (again is fine) and attaches its memberships. Errors: kInvalidInput
  // "invalid_email", kNotFound "account_not_found".
  Result<OperatorVerified> VerifyByOperator(const std::string& email);

 private:
  // The stored token behind `token` while it works for `purpose`; the
  // errors of Inspect.
  Result<AccountToken> UsableToken(store::Store& db, TokenPurpose purpose,
                                   const std::string& token);
  struct UsedToken {
    AccountToken token;
    Account account;
  };
  // Inside a transaction: UsableToken, then marks it used (only if nobody
  // did first) with the account's other links of its purpose.
  Result<UsedToken> UseToken(store::Store& db, TokenPurpose purpose, const std::string& token,
                             TimePoint now);
  const AppContext& ctx_;
};

// Inside the caller's transaction on `db`: creates a verification token for
// the account's address and queues the mail with its link. The caller rings
// ctx.OutboxChanged() after the commit.
Status QueueVerificationMail(const AppContext& ctx, store::Store& db, const Account& account,
                             TimePoint now);

// Inside the caller's transaction: queues the notice that the account's
// password was changed (with the way back if it was not them).
Status QueuePasswordChangedMail(const AppContext& ctx, store::Store& db, const Account& account,
                                TimePoint now);

}  // namespace rt::app

#endif  // RT_APP_ACCOUNT_MAIL_H_
