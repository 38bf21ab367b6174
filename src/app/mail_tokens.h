#ifndef RT_APP_MAIL_TOKENS_H_
#define RT_APP_MAIL_TOKENS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "core/result.h"
#include "domain/discussions/conversation.h"
#include "store/store.h"

namespace rt::app {

// Where a reply address (reply+TOKEN@mail-domain) leads.
struct ReplyTarget {
  AccountId account;
  ThreadId thread;
};

// Whose mail an unsubscribe link stops. An invalid (0) group means every
// group: the link of a digest, which spans them all.
struct UnsubscribeTarget {
  AccountId account;
  GroupId group;
};

// Whose email about one kind of notification a notification mail's
// unsubscribe link turns off.
struct KindUnsubscribeTarget {
  AccountId account;
  NotificationKind kind;
};

// Tokens for links and addresses in mail that must work without signing in.
// Each names what it stands for and carries an HMAC-SHA256 (truncated to
// 128 bits) of that under the database's "mail_tokens" secret, bound to its
// purpose: a reply token cannot be used as an unsubscribe, kind-unsubscribe
// or bounce token, nor any of them as another. So they
// need no table, and every mail to one person about one thread carries the
// same Reply-To. They do not expire and cannot be revoked one by one: what
// they allow is checked again when they are used (is the account still in
// the group, may it still post), which is what a replay after leaving meets.
// Tokens are 43 characters of base64url, case-sensitive.
//
// Thread-safe: const after construction.
class MailTokens {
 public:
  // `key` is the secret's bytes (at least 32).
  explicit MailTokens(std::string key);
  // Reads the secret from the database. Errors: the store's.
  static Result<MailTokens> Load(store::Store& db);

  std::string ReplyToken(AccountId account, ThreadId thread) const;
  // nullopt for anything that is not a reply token made with this key.
  std::optional<ReplyTarget> OpenReplyToken(std::string_view token) const;

  std::string UnsubscribeToken(AccountId account, GroupId group) const;
  std::optional<UnsubscribeTarget> OpenUnsubscribeToken(std::string_view token) const;

  // The List-Unsubscribe token of a notification mail: it turns off email
  // for that one kind of notification, for that account.
  std::string KindUnsubscribeToken(AccountId account, NotificationKind kind) const;
  // nullopt for anything that is not a kind-unsubscribe token made with
  // this key, or that names no known kind.
  std::optional<KindUnsubscribeTarget> OpenKindUnsubscribeToken(std::string_view token) const;

  // The token of an account's bounce address (bounces+TOKEN@mail domain),
  // the SMTP envelope sender of its mail (VERP): a delivery report that
  // arrives there is about mail we sent to that account, so it cannot be
  // forged without having received our mail.
  std::string BounceToken(AccountId account) const;
  // nullopt for anything that is not a bounce token made with this key.
  std::optional<AccountId> OpenBounceToken(std::string_view token) const;

 private:
  std::string Make(char purpose, int64_t a, int64_t b) const;
  bool Open(char purpose, std::string_view token, int64_t* a, int64_t* b) const;

  std::string key_;
};

}  // namespace rt::app

#endif  // RT_APP_MAIL_TOKENS_H_
