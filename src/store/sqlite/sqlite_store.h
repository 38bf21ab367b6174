#ifndef RT_STORE_SQLITE_SQLITE_STORE_H_
#define RT_STORE_SQLITE_SQLITE_STORE_H_

#include <memory>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_checkins.h"
#include "store/sqlite/sqlite_invitations.h"
#include "store/sqlite/sqlite_engagement.h"
#include "store/sqlite/sqlite_resources.h"
#include "store/store.h"

namespace rt::store::sqlite {

class SqliteAccounts final : public AccountRepository {
 public:
  explicit SqliteAccounts(Connection& c) : c_(c) {}
  Result<Account> Create(const NewAccount& a, TimePoint now) override;
  Result<std::optional<Account>> FindById(AccountId id) override;
  Result<std::optional<Account>> FindByEmail(const std::string& email) override;
  Result<std::optional<AccountCredentials>> FindCredentials(
      const std::string& email) override;
  Status UpdateProfile(AccountId id, const Profile& p, TimePoint now) override;
  Status SetPasswordHash(AccountId id, const std::string& hash,
                         TimePoint now) override;
  Status SetAdmin(AccountId id, bool is_admin) override;
  Status MarkEmailVerified(AccountId id, TimePoint now) override;
  Status ChangeEmail(AccountId id, const std::string& email,
                     TimePoint now) override;
  Result<int64_t> CountAccounts(bool demo) override;
  Status PauseMail(AccountId id, const std::string& reason, TimePoint now) override;
  Status ResumeMail(AccountId id) override;

 private:
  Connection& c_;
};

class SqliteSessions final : public SessionRepository {
 public:
  explicit SqliteSessions(Connection& c) : c_(c) {}
  Status Create(const SessionRecord& s) override;
  Result<std::optional<SessionRecord>> Find(const std::string& token_hash,
                                            TimePoint now) override;
  Result<std::optional<std::pair<SessionRecord, Account>>> FindWithAccount(
      const std::string& token_hash, TimePoint now) override;
  Status Delete(const std::string& token_hash) override;
  Status DeleteAllForAccount(AccountId id,
                             const std::string& keep_hash) override;
  Status DeleteExpired(TimePoint now) override;

 private:
  Connection& c_;
};

class SqliteAccountTokens final : public AccountTokenRepository {
 public:
  explicit SqliteAccountTokens(Connection& c) : c_(c) {}
  Status Create(const AccountToken& t) override;
  Result<std::optional<AccountToken>> Find(
      const std::string& token_hash) override;
  Result<bool> MarkUsed(const std::string& token_hash, TimePoint now) override;
  Status UseAll(AccountId account, TokenPurpose purpose,
                TimePoint now) override;
  Result<int> CountSentSince(const std::string& email, TokenPurpose purpose,
                             TimePoint since) override;

 private:
  Connection& c_;
};

class SqliteAssociations final : public AssociationRepository {
 public:
  explicit SqliteAssociations(Connection& c) : c_(c) {}
  Result<Association> Upsert(const Association& a) override;
  Result<std::optional<Association>> FindBySlug(
      const std::string& slug) override;
  Result<std::optional<Association>> FindById(AssociationId id) override;

 private:
  Connection& c_;
};

class SqliteMemberships final : public MembershipRepository {
 public:
  explicit SqliteMemberships(Connection& c) : c_(c) {}
  Result<std::optional<Membership>> FindByEmail(
      AssociationId assoc, const std::string& email) override;
  Result<std::optional<Membership>> FindForAccount(AssociationId assoc,
                                                   AccountId account) override;
  Result<Membership> Insert(const Membership& m, TimePoint now) override;
  Status Update(const Membership& m, TimePoint now) override;
  Result<int> AttachToAccount(const std::string& email,
                              AccountId account) override;

 private:
  Connection& c_;
};

// The columns of interest_groups (aliased g) that ReadGroup reads, in order.
#define RT_GROUP_COLUMNS                                    \
  "g.id, g.association_id, g.slug, g.name, g.summary, "     \
  "g.description, g.join_policy, g.visibility, g.listed, "  \
  "g.position, g.default_delivery"
inline constexpr int kGroupColumnCount = 11;

// The group in the RT_GROUP_COLUMNS of `s`, starting at column `first`.
Group ReadGroup(const SQLite::Statement& s, int first = 0);

class SqliteGroups final : public GroupRepository {
 public:
  explicit SqliteGroups(Connection& c) : c_(c) {}
  Result<Group> Upsert(const Group& g) override;
  Result<std::optional<Group>> FindBySlug(AssociationId assoc,
                                          const std::string& slug) override;
  Result<std::optional<Group>> FindById(GroupId id) override;
  Result<std::vector<GroupListing>> ListWithStats(AssociationId assoc) override;
  Result<int64_t> ListingsVersion() override;
  Result<std::optional<GroupListing>> FindListing(
      AssociationId assoc, const std::string& slug) override;
  Result<GroupRole> RoleOf(GroupId group, AccountId account) override;
  Result<std::unordered_map<GroupId, GroupRole>> RolesOf(
      AssociationId assoc, AccountId account) override;
  Result<bool> AddMember(GroupId group, AccountId account, GroupRole role,
                         TimePoint now) override;
  Status SetDefaultDelivery(GroupId group, Delivery delivery) override;
  Status SetRole(GroupId group, AccountId account, GroupRole role,
                 TimePoint now) override;
  Result<bool> RemoveMember(GroupId group, AccountId account) override;
  Result<std::vector<MemberListing>> ListMembers(
      GroupId group, const std::optional<MemberCursor>& cursor,
      int limit) override;
  Result<std::unordered_set<int64_t>> MembersAmong(
      GroupId group, const std::vector<AccountId>& accounts) override;
  Result<std::vector<Account>> FindMembersByNameKeys(
      GroupId group, const std::vector<std::string>& name_keys) override;

 private:
  Connection& c_;
};

class SqliteAudit final : public AuditLog {
 public:
  explicit SqliteAudit(Connection& c) : c_(c) {}
  Status Record(AccountId actor, const std::string& action,
                const std::string& detail, TimePoint now) override;

 private:
  Connection& c_;
};

class SqliteThreads final : public ThreadRepository {
 public:
  explicit SqliteThreads(Connection& c) : c_(c) {}
  Result<std::pair<Thread, Post>> Create(const Thread& thread,
                                         const Post& first) override;
  Result<std::optional<ThreadListing>> Find(ThreadId id) override;
  Result<std::vector<ThreadListing>> List(
      GroupId group, const ThreadFilter& filter,
      const std::optional<ThreadCursor>& cursor, int limit) override;
  Result<std::shared_ptr<const ThreadContents>> Contents(ThreadId id, PostId after,
                                                         int limit) override;
  Status SetPinned(ThreadId id, bool pinned) override;
  Status SetLocked(ThreadId id, bool locked) override;
  Status SetAcceptedPost(ThreadId id, PostId post) override;
  Status SetConsent(ThreadId id, StoryConsent consent) override;

 private:
  Connection& c_;
};

class SqlitePosts final : public PostRepository {
 public:
  explicit SqlitePosts(Connection& c) : c_(c) {}
  Result<Post> Create(const Post& post) override;
  Result<std::optional<PostView>> Find(PostId id) override;
  Result<std::vector<PostView>> ListForThread(ThreadId thread, PostId after,
                                              int limit) override;
  Status Edit(PostId id, const std::string& source, const std::string& html,
              int render_version, TimePoint now) override;
  Result<std::vector<PostRevision>> Revisions(PostId id) override;
  Status SoftDelete(PostId id, TimePoint now) override;
  Result<std::vector<Post>> ListStale(int current_version, int limit) override;
  Status SetRendered(PostId id, const std::string& html,
                     int render_version) override;
  Result<bool> Recommend(PostId id, AccountId account, TimePoint now) override;
  Result<bool> Unrecommend(PostId id, AccountId account) override;
  Result<std::unordered_set<int64_t>> RecommendedBy(
      AccountId account, const std::vector<PostId>& posts) override;
  Result<std::vector<RecommendedPost>> MostRecommended(GroupId group,
                                                       int limit) override;
  Result<std::vector<AccountId>> ReplyAuthors(ThreadId thread) override;

 private:
  Connection& c_;
};

class SqliteFollows final : public FollowRepository {
 public:
  explicit SqliteFollows(Connection& c) : c_(c) {}
  Status Follow(ThreadId thread, AccountId account, TimePoint now) override;
  Status Unfollow(ThreadId thread, AccountId account) override;
  Result<bool> IsFollowing(ThreadId thread, AccountId account) override;
  Result<std::vector<AccountId>> Followers(ThreadId thread) override;

 private:
  Connection& c_;
};

class SqliteNotifications final : public NotificationRepository {
 public:
  explicit SqliteNotifications(Connection& c) : c_(c) {}
  Result<Notification> Create(const Notification& n) override;
  Status CreateMany(const std::vector<Notification>& ns) override;
  Result<std::vector<NotificationView>> List(AccountId account,
                                             NotificationId before,
                                             int limit) override;
  Result<int64_t> UnreadCount(AccountId account) override;
  Result<int64_t> UnreadCountUpTo(AccountId account, int64_t cap) override;
  Status MarkRead(AccountId account, NotificationId upto) override;

 private:
  Connection& c_;
};

class SqliteConversations final : public ConversationRepository {
 public:
  explicit SqliteConversations(Connection& c) : c_(c) {}
  Result<Conversation> FindOrCreate(AccountId x, AccountId y,
                                    TimePoint now) override;
  Result<std::optional<Conversation>> Find(ConversationId id) override;
  Result<Message> AddMessage(const Message& m) override;
  Result<std::optional<ConversationView>> FindView(ConversationId id,
                                                   AccountId account) override;
  Result<std::vector<ConversationView>> Inbox(AccountId account,
                                              int limit) override;
  Result<std::vector<MessageView>> Messages(ConversationId id, MessageId after,
                                            int limit) override;
  Status MarkRead(ConversationId id, AccountId account, TimePoint now) override;

 private:
  Connection& c_;
};

class SqliteIdempotency final : public IdempotencyRepository {
 public:
  explicit SqliteIdempotency(Connection& c) : c_(c) {}
  Result<std::optional<IdempotentResponse>> Find(
      AccountId account, const std::string& key) override;
  Status Save(AccountId account, const std::string& key,
              const IdempotentResponse& response, TimePoint now) override;

 private:
  Connection& c_;
};

class SqliteSecrets final : public SecretRepository {
 public:
  explicit SqliteSecrets(Connection& c) : c_(c) {}
  Result<std::string> Get(const std::string& name) override;

 private:
  Connection& c_;
};

class SqliteMaintenance final : public MaintenanceRepository {
 public:
  explicit SqliteMaintenance(Connection& c) : c_(c) {}
  Result<PurgeCounts> Purge(const PurgeCutoffs& c) override;

 private:
  Connection& c_;
};

class SqliteDelivery final : public DeliveryRepository {
 public:
  explicit SqliteDelivery(Connection& c) : c_(c) {}
  Result<std::optional<Delivery>> DeliveryOf(GroupId group,
                                             AccountId account) override;
  Result<bool> SetDelivery(GroupId group, AccountId account,
                           Delivery delivery) override;
  Result<std::vector<GroupDelivery>> ListForAccount(
      AssociationId assoc, AccountId account) override;
  Result<std::vector<AccountId>> MembersWithDelivery(GroupId group,
                                                     Delivery delivery) override;
  Result<EmailSwitches> EmailSwitchesOf(AccountId account) override;
  Status SetEmailSwitches(AccountId account,
                          const EmailSwitches& switches) override;

 private:
  Connection& c_;
};

class SqliteOutbox final : public OutboxRepository {
 public:
  explicit SqliteOutbox(Connection& c) : c_(c) {}
  Result<bool> Enqueue(const std::string& kind, const std::string& dedupe_key,
                       const std::string& payload, TimePoint now) override;
  Result<std::vector<OutboxItem>> Due(const std::string& kind, TimePoint now,
                                      int limit) override;
  Result<bool> MarkSent(int64_t id, TimePoint now) override;
  Status MarkFailed(int64_t id, const std::string& error, TimePoint retry_at,
                    bool give_up) override;
  Status Reopen(int64_t id) override;
  Status Note(int64_t id, const std::string& note) override;
  Result<int64_t> PendingCount(const std::string& kind) override;

 private:
  Connection& c_;
};

class SqliteInboundMail final : public InboundMailRepository {
 public:
  explicit SqliteInboundMail(Connection& c) : c_(c) {}
  Result<std::optional<InboundRecord>> Find(const std::string& dedupe_key) override;
  Status Record(const InboundRecord& r) override;
  Result<int64_t> CountAnswers(const std::string& address, TimePoint since) override;
  Result<int64_t> CountAnswersToStrangers(TimePoint since) override;
  Result<int> Prune(TimePoint before, int limit) override;

 private:
  Connection& c_;
};

class SqliteDigests final : public DigestRepository {
 public:
  explicit SqliteDigests(Connection& c) : c_(c) {}
  Result<DigestSchedule> ScheduleOf(AssociationId assoc) override;
  Status SetSchedule(AssociationId assoc, const DigestSchedule& s) override;
  Result<std::vector<DigestSubscription>> Subscriptions(AssociationId assoc,
                                                        Delivery period) override;
  Result<std::vector<DigestPost>> PostsBetween(GroupId group, TimePoint after,
                                               TimePoint until) override;
  Result<std::vector<AccountId>> PostMailRecipients(PostId post) override;
  Status RecordDigest(AccountId account, Delivery period, Date local_date,
                      TimePoint window_end, int posts) override;
  Result<std::string> TimeZoneOf(AccountId account) override;
  Status SetTimeZone(AccountId account, const std::string& time_zone) override;

 private:
  Connection& c_;
};

class SqliteFeedback final : public FeedbackRepository {
 public:
  explicit SqliteFeedback(Connection& c) : c_(c) {}
  Result<Feedback> Create(const Feedback& f) override;
  Result<std::optional<FeedbackView>> Find(FeedbackId id) override;
  Result<std::vector<FeedbackView>> List(GroupId group, const FeedbackFilter& filter,
                                         FeedbackId before, int limit) override;
  Result<std::vector<FeedbackView>> FindMany(GroupId group,
                                             const std::vector<FeedbackId>& ids) override;
  Status SetStatus(FeedbackId id, FeedbackStatus status, TimePoint now) override;
  Status SetLiaison(FeedbackId id, AccountId liaison, TimePoint now) override;
  Status SetQuoteConsent(FeedbackId id, bool consent, TimePoint now) override;
  Status SetSummaryThread(const std::vector<FeedbackId>& ids, ThreadId thread,
                          TimePoint now) override;
  Result<FeedbackReply> AddReply(const FeedbackReply& r) override;
  Result<std::vector<FeedbackReplyView>> Replies(FeedbackId id, int limit) override;
  Result<std::vector<LiaisonName>> Liaisons(GroupId group) override;
  Result<int> RehomeOpen(GroupId group, AccountId preferred, TimePoint now) override;

 private:
  Connection& c_;
};

class SqliteStore final : public Store {
 public:
  // Opens the database at `path`, creating it and its folder.
  // Errors: kUnavailable "database_unavailable".
  static Result<std::unique_ptr<Store>> Open(const std::string& path);

  AccountRepository& accounts() override { return accounts_; }
  SessionRepository& sessions() override { return sessions_; }
  AccountTokenRepository& account_tokens() override { return account_tokens_; }
  AssociationRepository& associations() override { return associations_; }
  MembershipRepository& memberships() override { return memberships_; }
  GroupRepository& groups() override { return groups_; }
  AuditLog& audit() override { return audit_; }
  ThreadRepository& threads() override { return threads_; }
  PostRepository& posts() override { return posts_; }
  FollowRepository& follows() override { return follows_; }
  NotificationRepository& notifications() override { return notifications_; }
  ConversationRepository& conversations() override { return conversations_; }
  IdempotencyRepository& idempotency() override { return idempotency_; }
  DeliveryRepository& delivery() override { return delivery_; }
  SecretRepository& secrets() override { return secrets_; }
  OutboxRepository& outbox() override { return outbox_; }
  InboundMailRepository& inbound_mail() override { return inbound_mail_; }
  DigestRepository& digests() override { return digests_; }
  MaintenanceRepository& maintenance() override { return maintenance_; }
  InvitationRepository& invitations() override { return invitations_; }
  FeedbackRepository& feedback() override { return feedback_; }
  ResourceRepository& resources() override { return resources_; }
  CheckinRepository& checkins() override { return checkins_; }
  EngagementRepository& engagement() override { return engagement_; }

  Status InTransaction(const std::function<Status()>& fn) override;
  void BeginRead() override;
  void EndRead() override;
  Result<int> Migrate() override;
  Status CheckReady() override;

 private:
  explicit SqliteStore(const std::string& path);

  Connection c_;
  SqliteAccounts accounts_{c_};
  SqliteSessions sessions_{c_};
  SqliteAccountTokens account_tokens_{c_};
  SqliteAssociations associations_{c_};
  SqliteMemberships memberships_{c_};
  SqliteGroups groups_{c_};
  SqliteAudit audit_{c_};
  SqliteThreads threads_{c_};
  SqlitePosts posts_{c_};
  SqliteFollows follows_{c_};
  SqliteNotifications notifications_{c_};
  SqliteConversations conversations_{c_};
  SqliteIdempotency idempotency_{c_};
  SqliteDelivery delivery_{c_};
  SqliteSecrets secrets_{c_};
  SqliteOutbox outbox_{c_};
  SqliteInboundMail inbound_mail_{c_};
  SqliteDigests digests_{c_};
  SqliteMaintenance maintenance_{c_};
  SqliteInvitations invitations_{c_};
  SqliteFeedback feedback_{c_};
  SqliteResources resources_{c_};
  SqliteCheckins checkins_{c_};
  SqliteEngagement engagement_{c_};
};

}  // namespace rt::store::sqlite

#endif  // RT_STORE_SQLITE_SQLITE_STORE_H_
