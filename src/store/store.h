#ifndef RT_STORE_STORE_H_
#define RT_STORE_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"
#include "domain/accounts/account.h"
#include "domain/accounts/account_token.h"
#include "domain/discussions/email_switches.h"
#include "domain/groups/group.h"
#include "domain/members/membership.h"
#include "store/checkins.h"
#include "store/discussions.h"
#include "store/engagement.h"
#include "store/invitations.h"
#include "store/feedback.h"
#include "store/resources.h"

// Repository interfaces. They say nothing about the engine: SQLite
// (store/sqlite/) implements them today and PostgreSQL will implement the
// same interfaces and pass the same tests (tests/store/).
//
// Errors every method may return: kUnavailable "database_unavailable" (with
// retry_after_seconds) when the engine cannot be reached or stays busy, and
// kInternal for anything unexpected. Other errors are listed per method.
namespace rt::store {

struct NewAccount {
  std::string email;  // normalised
  std::string name;
  std::string password_hash;
  bool is_admin = false;
  bool is_demo = false;  // created by seed-demo; never outside demo data
  bool email_verified = false;  // verified at creation (operator, demo)
};

// An account with its password hash, for sign-in only.
struct AccountCredentials {
  Account account;
  std::string password_hash;
};

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  // Errors: kConflict "email_taken" when the email is in use.
  virtual Result<Account> Create(const NewAccount& a, TimePoint now) = 0;
  virtual Result<std::optional<Account>> FindById(AccountId id) = 0;
  virtual Result<std::optional<Account>> FindByEmail(const std::string& email) = 0;
  virtual Result<std::optional<AccountCredentials>> FindCredentials(
      const std::string& email) = 0;
  // Errors: kNotFound "account_not_found".
  virtual Status UpdateProfile(AccountId id, const Profile& p, TimePoint now) = 0;
  virtual Status SetPasswordHash(AccountId id, const std::string& hash, TimePoint now) = 0;
  virtual Status SetAdmin(AccountId id, bool is_admin) = 0;
  // Pauses mail to the account (its address was refused for good), keeping
  // `reason` (what the mail server said, cut to 500 bytes) to show the
  // member. Pausing a paused account keeps the first time and reason.
  // Errors: kNotFound "account_not_found".
  virtual Status PauseMail(AccountId id, const std::string& reason, TimePoint now) = 0;
  // Lets mail go to the account again. Resuming an account that is not
  // paused changes nothing. Errors: kNotFound "account_not_found".
  virtual Status ResumeMail(AccountId id) = 0;
  // Records that the account's address is verified; keeps an earlier time.
  virtual Status MarkEmailVerified(AccountId id, TimePoint now) = 0;
  // Switches the account to `email` (normalised), verified at `now`.
  // Errors: kConflict "email_taken", kNotFound "account_not_found".
  virtual Status ChangeEmail(AccountId id, const std::string& email, TimePoint now) = 0;
  // How many demo (or, with demo=false, real) accounts exist.
  virtual Result<int64_t> CountAccounts(bool demo) = 0;
};

struct SessionRecord {
  std::string token_hash;  // crypto::HashToken of the secret token
  AccountId account_id;
  std::string csrf_token;
  TimePoint created_at;
  TimePoint expires_at;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual Status Create(const SessionRecord& s) = 0;
  // The session if it exists and has not expired at `now`.
  virtual Result<std::optional<SessionRecord>> Find(const std::string& token_hash,
                                                    TimePoint now) = 0;
  // Find and the session's account in one read (every signed-in request
  // does this); nullopt when either is missing or the session expired.
  virtual Result<std::optional<std::pair<SessionRecord, Account>>> FindWithAccount(
      const std::string& token_hash, TimePoint now) = 0;
  virtual Status Delete(const std::string& token_hash) = 0;
  // Ends every session of the account except `keep_hash` (may be empty).
  virtual Status DeleteAllForAccount(AccountId id, const std::string& keep_hash) = 0;
  virtual Status DeleteExpired(TimePoint now) = 0;
};

// Tokens of the links in account mail (hashed; see AccountToken).
class AccountTokenRepository {
 public:
  virtual ~AccountTokenRepository() = default;
  virtual Status Create(const AccountToken& t) = 0;
  virtual Result<std::optional<AccountToken>> Find(const std::string& token_hash) = 0;
  // Marks the token used at `now`. Returns false (and changes nothing) when
  // it was used already, so of two racing requests only one proceeds.
  virtual Result<bool> MarkUsed(const std::string& token_hash, TimePoint now) = 0;
  // Marks every unused token of the account for `purpose` used: once one
  // link worked, the older ones of its kind stop working.
  virtual Status UseAll(AccountId account, TokenPurpose purpose, TimePoint now) = 0;
  // How many tokens for `purpose` were sent to `email` after `since`.
  virtual Result<int> CountSentSince(const std::string& email, TokenPurpose purpose,
                                     TimePoint since) = 0;
};

class AssociationRepository {
 public:
  virtual ~AssociationRepository() = default;
  // Inserts or updates by slug; returns the stored row with its id.
  virtual Result<Association> Upsert(const Association& a) = 0;
  virtual Result<std::optional<Association>> FindBySlug(const std::string& slug) = 0;
  virtual Result<std::optional<Association>> FindById(AssociationId id) = 0;
};

class MembershipRepository {
 public:
  virtual ~MembershipRepository() = default;
  virtual Result<std::optional<Membership>> FindByEmail(AssociationId assoc,
                                                        const std::string& email) = 0;
  virtual Result<std::optional<Membership>> FindForAccount(AssociationId assoc,
                                                           AccountId account) = 0;
  // Inserts `m` (id ignored); returns it with its id. account_id may be set.
  // Errors: kConflict "membership_exists" for a second row for the same email.
  virtual Result<Membership> Insert(const Membership& m, TimePoint now) = 0;
  // Updates member_type, paid_through, source and account_id of row m.id.
  virtual Status Update(const Membership& m, TimePoint now) = 0;
  // Attaches every unattached membership recorded for `email` to `account`.
  // Returns how many were attached.
  virtual Result<int> AttachToAccount(const std::string& email, AccountId account) = 0;
};

// A group with what the groups page shows beside it.
struct GroupListing {
  Group group;
  int64_t member_count = 0;
  // The group's first liaison (lowest account id), if it has one.
  std::optional<Account> liaison;
};

// One row of a group's member list.
struct MemberListing {
  Account account;
  GroupRole role = GroupRole::kMember;
  TimePoint joined_at;
};

// Keyset cursor for member lists, ordered by (lower-case name, account id).
struct MemberCursor {
  std::string name_key;
  AccountId after;
};

class GroupRepository {
 public:
  virtual ~GroupRepository() = default;
  // Inserts or updates by (association, slug); returns the stored group.
  virtual Result<Group> Upsert(const Group& g) = 0;
  virtual Result<std::optional<Group>> FindBySlug(AssociationId assoc,
                                                  const std::string& slug) = 0;
  virtual Result<std::optional<Group>> FindById(GroupId id) = 0;
  // All groups of the association ordered by position then name, each with
  // its member count and liaison, in a constant number of queries.
  virtual Result<std::vector<GroupListing>> ListWithStats(AssociationId assoc) = 0;
  // A number that changes in the same transaction as any write to what
  // ListWithStats and FindListing return (associations, groups, their
  // members and the liaisons' accounts), whichever process writes: equal
  // numbers mean unchanged listings. 0 when the database cannot tell (not
  // migrated); callers must then not cache.
  virtual Result<int64_t> ListingsVersion() = 0;
  // The listing of one group.
  virtual Result<std::optional<GroupListing>> FindListing(AssociationId assoc,
                                                          const std::string& slug) = 0;
  // kNone when the account is not in the group.
  virtual Result<GroupRole> RoleOf(GroupId group, AccountId account) = 0;
  // The account's role in every group of the association it belongs to.
  virtual Result<std::unordered_map<GroupId, GroupRole>> RolesOf(AssociationId assoc,
                                                                 AccountId account) = 0;
  // Adds the account with `role`; returns false (and changes nothing) when it
  // is already in the group.
  virtual Result<bool> AddMember(GroupId group, AccountId account, GroupRole role,
                                 TimePoint now) = 0;
  // How members who join from now on get the group's mail; members already
  // in keep their own setting. Errors: kNotFound "group_not_found".
  virtual Status SetDefaultDelivery(GroupId group, Delivery delivery) = 0;
  // Sets the role, adding the account when it is not in the group.
  virtual Status SetRole(GroupId group, AccountId account, GroupRole role,
                         TimePoint now) = 0;
  // Returns false when the account was not in the group.
  virtual Result<bool> RemoveMember(GroupId group, AccountId account) = 0;
  // Up to `limit` members after `cursor` (from the start when nullopt),
  // ordered by name.
  virtual Result<std::vector<MemberListing>> ListMembers(
      GroupId group, const std::optional<MemberCursor>& cursor, int limit) = 0;
  // Members of the group whose lower-case name is one of `name_keys` (for
  // @mentions). At most 50 keys are looked up.
  virtual Result<std::vector<Account>> FindMembersByNameKeys(
      GroupId group, const std::vector<std::string>& name_keys) = 0;
  // Which of `accounts` are in the group (one query), by id value.
  virtual Result<std::unordered_set<int64_t>> MembersAmong(
      GroupId group, const std::vector<AccountId>& accounts) = 0;
};

// One group an account is in, with how it hears from the group by email.
struct GroupDelivery {
  Group group;
  GroupRole role = GroupRole::kMember;
  Delivery delivery = Delivery::kDaily;
};

// Email delivery settings: per group membership (group_members) and per
// kind of notification (EmailSwitches). Joining sets a membership's
// delivery to the group's default_delivery (GroupRepository::AddMember and
// SetRole do it), so there is nothing to create here.
class DeliveryRepository {
 public:
  virtual ~DeliveryRepository() = default;
  // The account's delivery in the group; nullopt when it is not in it.
  virtual Result<std::optional<Delivery>> DeliveryOf(GroupId group, AccountId account) = 0;
  // Sets the account's delivery in the group. Returns false (and changes
  // nothing) when it is not in the group.
  virtual Result<bool> SetDelivery(GroupId group, AccountId account, Delivery delivery) = 0;
  // Every group of the association the account is in, in the groups page's
  // order (position, then name), in one query.
  virtual Result<std::vector<GroupDelivery>> ListForAccount(AssociationId assoc,
                                                            AccountId account) = 0;
  // The members of the group whose delivery is `delivery`, by account id
  // (the real-time mail of a new post goes to them).
  virtual Result<std::vector<AccountId>> MembersWithDelivery(GroupId group,
                                                             Delivery delivery) = 0;
  // Which kinds of notification the account wants by email (all, until it
  // says otherwise).
  virtual Result<EmailSwitches> EmailSwitchesOf(AccountId account) = 0;
  // Stores all of `switches` for the account.
  virtual Status SetEmailSwitches(AccountId account, const EmailSwitches& switches) = 0;
};

// When digests go out (migration 013): at `hour` local time, every day for
// daily digests and on `weekday` (0 Sunday .. 6 Saturday) for weekly ones,
// in each account's time zone or else `time_zone` (an IANA name).
struct DigestSchedule {
  int hour = 7;
  int weekday = 1;
  std::string time_zone = "America/Chicago";
};

// One group membership whose delivery is a digest period, with everything
// deciding and addressing that person's digest needs (one row per group).
struct DigestSubscription {
  AccountId account;
  std::string email;
  std::string name;
  std::string time_zone;  // "" : the association's
  bool is_admin = false;
  bool mail_paused = false;
  GroupId group;
  GroupRole role = GroupRole::kMember;
  // The account's membership of the association, when it has one.
  std::optional<Membership> membership;
  // The last digest of this period built for the account (digest_state).
  std::optional<Date> last_local_date;
  std::optional<TimePoint> last_window_end;
};

// A visible post of a group, with its thread, for digests.
struct DigestPost {
  PostId id;
  ThreadId thread;
  GroupId group;
  std::string thread_title;
  ThreadKind thread_kind = ThreadKind::kDiscussion;
  PostId first_post;
  bool answered = false;  // the thread has an accepted answer
  int reply_count = 0;    // the thread's visible replies, now
  AccountId author;
  std::string author_name;
  AccountId reply_to_author;  // author of the post it answers; invalid if none
  std::string body_source;    // its first kDigestBodyChars characters
  bool body_longer = false;   // the body has more than kDigestBodyChars
  TimePoint created_at;
};

// How much of each body digests load: more than any excerpt they show
// (app::kDigestExcerptChars), so that the excerpt can still be cut at a word
// once runs of spaces are folded, and no more, so that a long post costs a
// digest run no more than a short one.
inline constexpr int kDigestBodyChars = 1000;

// What digests read and record. Built for one pass over all subscribers:
// every method is one query (or one per post), never one per person.
class DigestRepository {
 public:
  virtual ~DigestRepository() = default;
  virtual Result<DigestSchedule> ScheduleOf(AssociationId assoc) = 0;
  // Errors: kInvalidInput "digest_schedule_invalid" for an hour or weekday
  // out of range (the zone name is the caller's to check).
  virtual Status SetSchedule(AssociationId assoc, const DigestSchedule& s) = 0;
  // Every membership of a group of `assoc` whose delivery is `period`
  // (kDaily or kWeekly), ordered by account then group position, with that
  // account's digest_state row for `period`. One query.
  virtual Result<std::vector<DigestSubscription>> Subscriptions(AssociationId assoc,
                                                                Delivery period) = 0;
  // The group's visible posts (not deleted) created in (after, until],
  // oldest first, with their threads. One query.
  virtual Result<std::vector<DigestPost>> PostsBetween(GroupId group, TimePoint after,
                                                       TimePoint until) = 0;
  // Accounts that real-time mail about `post` was queued for (outbox rows
  // "mail:post:<post>:to:<account>", whatever became of them).
  virtual Result<std::vector<AccountId>> PostMailRecipients(PostId post) = 0;
  // Records the digest of `period` built for `account` (sent or empty).
  virtual Status RecordDigest(AccountId account, Delivery period, Date local_date,
                              TimePoint window_end, int posts) = 0;
  // The account's own time zone; "" when it uses the association's.
  virtual Result<std::string> TimeZoneOf(AccountId account) = 0;
  // Sets it ("" : the association's). The caller validates the name.
  // Errors: kNotFound "account_not_found".
  virtual Status SetTimeZone(AccountId account, const std::string& time_zone) = 0;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Records who did what. `actor` may be invalid for operator commands.
  virtual Status Record(AccountId actor, const std::string& action,
                        const std::string& detail, TimePoint now) = 0;
};

// Server-side secret keys, made by migrations (see 009_mail_foundation.sql).
class SecretRepository {
 public:
  virtual ~SecretRepository() = default;
  // The raw bytes of secret `name`. Errors: kNotFound "secret_not_found".
  virtual Result<std::string> Get(const std::string& name) = 0;
};

// An incoming message that `mail ingest` acted on (migration 012).
struct InboundRecord {
  std::string dedupe_key;  // unique; see app::MailIngestService
  std::string message_id;  // may be empty
  std::string sender;      // From address, lower-case
  std::string recipient;   // the address it was handled as
  std::string outcome;     // "posted", "dropped", "bounce" or "refused"
  std::string reason;      // snake_case code
  PostId post;             // invalid unless posted
  std::string answered_to;        // where our automatic answer went; "" none
  bool answered_account = false;  // whether that address has an account
  TimePoint received_at;
};

class InboundMailRepository {
 public:
  virtual ~InboundMailRepository() = default;
  // The record with `dedupe_key`, if any.
  virtual Result<std::optional<InboundRecord>> Find(const std::string& dedupe_key) = 0;
  // Stores `r`. Errors: kConflict "inbound_duplicate" when its key exists.
  virtual Status Record(const InboundRecord& r) = 0;
  // How many records since `since` (inclusive) were answered to `address`.
  virtual Result<int64_t> CountAnswers(const std::string& address, TimePoint since) = 0;
  // How many since `since` were answered to addresses without an account.
  virtual Result<int64_t> CountAnswersToStrangers(TimePoint since) = 0;
  // Deletes up to `limit` of the oldest records received before `before`;
  // returns how many went.
  virtual Result<int> Prune(TimePoint before, int limit) = 0;
};

// Rows that have served their purpose, each kind older than its cutoff.
struct PurgeCutoffs {
  TimePoint sessions_expired;  // sessions that expired at or before this
  TimePoint tokens_done;       // account tokens expired or used before this
  TimePoint outbox_sent;       // outbox rows sent before this (given-up rows stay)
  TimePoint idempotency;       // idempotency keys stored before this
  int limit = 2000;            // rows per kind per call, so no call holds the writer long
};

// How many rows of each kind one Purge deleted.
struct PurgeCounts {
  int64_t sessions = 0;
  int64_t tokens = 0;
  int64_t outbox = 0;
  int64_t idempotency = 0;
  int64_t total() const { return sessions + tokens + outbox + idempotency; }
};

// Housekeeping of tables that only grow otherwise.
class MaintenanceRepository {
 public:
  virtual ~MaintenanceRepository() = default;
  // Deletes up to `c.limit` rows of each kind past its cutoff, oldest first.
  // Call inside a transaction. Errors: the store's.
  virtual Result<PurgeCounts> Purge(const PurgeCutoffs& c) = 0;
};

// One connection to the database with its repositories. Not thread-safe:
// each thread uses its own Store (see StorePool).
class Store {
 public:
  virtual ~Store() = default;
  virtual AccountRepository& accounts() = 0;
  virtual SessionRepository& sessions() = 0;
  virtual AccountTokenRepository& account_tokens() = 0;
  virtual AssociationRepository& associations() = 0;
  virtual MembershipRepository& memberships() = 0;
  virtual GroupRepository& groups() = 0;
  virtual AuditLog& audit() = 0;
  virtual ThreadRepository& threads() = 0;
  virtual PostRepository& posts() = 0;
  virtual FollowRepository& follows() = 0;
  virtual NotificationRepository& notifications() = 0;
  virtual ConversationRepository& conversations() = 0;
  virtual IdempotencyRepository& idempotency() = 0;
  virtual DeliveryRepository& delivery() = 0;
  virtual OutboxRepository& outbox() = 0;
  virtual SecretRepository& secrets() = 0;
  virtual InboundMailRepository& inbound_mail() = 0;
  virtual DigestRepository& digests() = 0;
  virtual MaintenanceRepository& maintenance() = 0;
  virtual InvitationRepository& invitations() = 0;
  virtual FeedbackRepository& feedback() = 0;
  virtual ResourceRepository& resources() = 0;
  // Outcome check-ins (issue 7).
  virtual CheckinRepository& checkins() = 0;
  // Engagement figures (issue 7).
  virtual EngagementRepository& engagement() = 0;

  // Runs `fn` in one write transaction, serialised with other writers:
  // commits when it returns ok, rolls back otherwise (and on exceptions).
  // Returns only once the outcome is durable. Nested calls join the outer
  // transaction (a failing nested call undoes only its own writes).
  // Concurrent outermost calls may be committed together (group commit):
  // `fn` may then run on another thread while this one blocks, so it must
  // reach the database only through this Store (or the pool's store of
  // whichever thread runs it), must not rely on thread-local state, and
  // must not wait for another thread's transaction.
  virtual Status InTransaction(const std::function<Status()>& fn) = 0;

  // Until EndRead, reads on this store see one snapshot of the database
  // (cheaper than a snapshot per statement). A write ends the snapshot
  // first, so later reads see it. Best effort: if the snapshot cannot start,
  // reads simply run one by one. EndRead never fails.
  virtual void BeginRead() = 0;
  virtual void EndRead() = 0;

  // Applies every migration not yet applied; returns how many ran.
  virtual Result<int> Migrate() = 0;
  // Ok when the database answers and every migration is applied; otherwise
  // kUnavailable "database_unavailable" or "migrations_pending".
  virtual Status CheckReady() = 0;
};

// Opens a store for `url`: "sqlite:PATH" (creates the file and its folder).
// Errors: kInvalidInput "unsupported_database" for other schemes,
// kUnavailable when the database cannot be opened.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

// Hands each thread its own Store for one database URL, opened on first use.
// Thread-safe. Stores live as long as the pool.
class StorePool {
 public:
  explicit StorePool(std::string url);
  ~StorePool();
  // This thread's store, opening it if needed.
  Result<Store*> ForThisThread();
  const std::string& url() const { return url_; }

 private:
  std::string url_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rt::store

#endif  // RT_STORE_STORE_H_
