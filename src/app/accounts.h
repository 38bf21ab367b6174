#ifndef RT_APP_ACCOUNTS_H_
#define RT_APP_ACCOUNTS_H_

#include <optional>
#include <string>

#include "app/context.h"
#include "domain/accounts/account.h"

namespace rt::app {

// A signed-in session as the web layer needs it.
struct SessionInfo {
  Account account;
  std::string token_hash;
  std::string csrf_token;
};

// The result of signing in: the secret token is shown once, to the client.
struct SignedIn {
  Account account;
  std::string token;
  std::string csrf_token;
};

struct RegisterInput {
  std::string name;
  std::string email;
  std::string password;
};

// Account use cases. Stateless apart from the context; thread-safe.
class AccountsService {
 public:
  explicit AccountsService(const AppContext& ctx) : ctx_(ctx) {}

  // Creates an account with an unverified address and queues the mail with
  // its verification link (app/account_mail.h); association memberships
  // recorded for the address attach once it is verified. Errors:
  // kInvalidInput naming the field, kConflict "email_taken".
  Result<Account> Register(const RegisterInput& in);

  // Creates an account from the operator's command line (may be an admin).
  // The operator vouches for the address: it counts as verified, and the
  // memberships recorded for it attach at once. Same errors as Register.
  Result<Account> CreateByOperator(const RegisterInput& in, bool is_admin);

  // Checks the password and opens a new session (a fresh id every time).
  // Errors: kUnauthenticated "invalid_credentials" for an unknown email and a
  // wrong password alike, after the same amount of work.
  Result<SignedIn> SignIn(const std::string& email, const std::string& password);

  // The live session for a secret token, or nullopt when there is none.
  Result<std::optional<SessionInfo>> Authenticate(const std::string& token);

  // Ends the session (no error when it has already ended).
  Status SignOut(const std::string& token_hash);

  // Changes the password, ends every other session of the account, and
  // mails the account a notice.
  // Errors: kInvalidInput "wrong_password" (field current_password), and
  // the password rules (field new_password).
  Status ChangePassword(const SessionInfo& session, const std::string& current,
                        const std::string& replacement);

  // Validates and saves the profile. Errors: kInvalidInput naming the field.
  Result<Account> UpdateProfile(AccountId id, const Profile& profile);

 private:
  // Demo and operator-made accounts are created verified.
  Result<Account> Create(const RegisterInput& in, bool is_admin, bool is_demo,
                         bool by_operator);
  friend class DemoSeeder;

  const AppContext& ctx_;
};

// The account's credentials when `password` is its current password.
// Errors: kInvalidInput "wrong_password" (field current_password).
Result<store::AccountCredentials> CheckCurrentPassword(store::Store& db, const Account& account,
                                                       const std::string& password);

// How long a session lasts.
inline constexpr int kSessionDays = 30;

}  // namespace rt::app

#endif  // RT_APP_ACCOUNTS_H_
