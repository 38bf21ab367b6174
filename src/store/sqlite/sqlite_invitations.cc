#include "store/sqlite/sqlite_invitations.h"

#include "store/sqlite/sqlite_util.h"

namespace rt::store::sqlite {

namespace {

// The columns ReadView reads, for invitations i joined to interest_groups g
// and the inviter's account a.
#define RT_INVITATION_COLUMNS                                                 \
  "i.id, i.token_hash, i.group_id, i.inviter_id, i.email, i.note, "           \
  "i.created_at, "                                                            \
  "i.expires_at, i.opened_at, i.accepted_at, i.accepted_by, g.slug, g.name, " \
  "a.name"
#define RT_INVITATION_JOINS                                         \
  " FROM invitations i JOIN interest_groups g ON g.id = i.group_id" \
  " JOIN accounts a ON a.id = i.inviter_id "

std::optional<TimePoint> OptionalTime(const SQLite::Statement& s, int i) {
  if (s.getColumn(i).isNull()) return std::nullopt;
  return ReadTime(s, i);
}

InvitationView ReadView(const SQLite::Statement& s) {
  InvitationView v;
  Invitation& inv = v.invitation;
  inv.id = ReadId<InvitationId>(s, 0);
  inv.token_hash = s.getColumn(1).getString();
  inv.group = ReadId<GroupId>(s, 2);
  inv.inviter = ReadId<AccountId>(s, 3);
  inv.email = s.getColumn(4).getString();
  inv.note = s.getColumn(5).getString();
  inv.created_at = ReadTime(s, 6);
  inv.expires_at = ReadTime(s, 7);
  inv.opened_at = OptionalTime(s, 8);
  inv.accepted_at = OptionalTime(s, 9);
  inv.accepted_by = ReadId<AccountId>(s, 10);
  v.group_slug = s.getColumn(11).getString();
  v.group_name = s.getColumn(12).getString();
  v.inviter_name = s.getColumn(13).getString();
  return v;
}

std::vector<InvitationView> ReadViews(Stmt& s) {
  std::vector<InvitationView> out;
  while (s->executeStep()) out.push_back(ReadView(*s));
  return out;
}

// Addresses as a JSON array for `IN (SELECT value FROM json_each(?))`.
std::string JsonStringArray(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char ch : values[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  out += ']';
  return out;
}

std::unordered_set<std::string> ReadStrings(Stmt& s) {
  std::unordered_set<std::string> out;
  while (s->executeStep()) out.insert(s->getColumn(0).getString());
  return out;
}

}  // namespace

Result<Invitation> SqliteInvitations::Create(const Invitation& inv) {
  return Guard([&]() -> Result<Invitation> {
    Stmt s = c_.Prepare(
        "INSERT INTO invitations (token_hash, group_id, inviter_id, email, "
        "note, "
        "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    s->bind(1, inv.token_hash);
    s->bind(2, inv.group.value);
    s->bind(3, inv.inviter.value);
    s->bind(4, inv.email);
    s->bind(5, inv.note);
    s->bind(6, ToUnix(inv.created_at));
    s->bind(7, ToUnix(inv.expires_at));
    s->exec();
    Invitation out = inv;
    out.id = InvitationId{c_.db().getLastInsertRowid()};
    out.created_at = Stored(inv.created_at);
    out.expires_at = Stored(inv.expires_at);
    return out;
  });
}

Result<std::optional<InvitationView>> SqliteInvitations::FindByTokenHash(
    const std::string& token_hash) {
  return Guard([&]() -> Result<std::optional<InvitationView>> {
    Stmt s = c_.Prepare("SELECT " RT_INVITATION_COLUMNS RT_INVITATION_JOINS
                        "WHERE i.token_hash = ?");
    s->bind(1, token_hash);
    if (!s->executeStep()) return std::optional<InvitationView>();
    return std::optional<InvitationView>(ReadView(*s));
  });
}

Result<std::optional<InvitationView>> SqliteInvitations::FindById(InvitationId id) {
  return Guard([&]() -> Result<std::optional<InvitationView>> {
    Stmt s = c_.Prepare("SELECT " RT_INVITATION_COLUMNS RT_INVITATION_JOINS "WHERE i.id = ?");
    s->bind(1, id.value);
    if (!s->executeStep()) return std::optional<InvitationView>();
    return std::optional<InvitationView>(ReadView(*s));
  });
}

Result<std::vector<InvitationView>> SqliteInvitations::PendingForGroup(GroupId group,
                                                                       const std::string& email,
                                                                       TimePoint now) {
  return Guard([&]() -> Result<std::vector<InvitationView>> {
    Stmt s = c_.Prepare("SELECT " RT_INVITATION_COLUMNS RT_INVITATION_JOINS
                        "WHERE i.email = ? AND i.group_id = ? AND "
                        "i.accepted_at IS NULL AND i.expires_at > ? "
                        "ORDER BY i.id");
    s->bind(1, email);
    s->bind(2, group.value);
    s->bind(3, ToUnix(now));
    return ReadViews(s);
  });
}

Result<int> SqliteInvitations::CountSentSince(AccountId inviter,
                                              TimePoint since) {
  return Guard([&]() -> Result<int> {
    Stmt s = c_.Prepare(
        "SELECT COUNT(*) FROM invitations WHERE inviter_id = ? AND created_at "
        "> ?");
    s->bind(1, inviter.value);
    s->bind(2, ToUnix(since));
    s->executeStep();
    return s->getColumn(0).getInt();
  });
}

Result<std::unordered_set<std::string>> SqliteInvitations::PendingAmong(
    GroupId group, const std::vector<std::string>& emails, TimePoint now) {
  return Guard([&]() -> Result<std::unordered_set<std::string>> {
    Stmt s = c_.Prepare(
        "SELECT DISTINCT email FROM invitations WHERE group_id = ? AND "
        "accepted_at IS NULL "
        "AND expires_at > ? AND email IN (SELECT value FROM json_each(?))");
    s->bind(1, group.value);
    s->bind(2, ToUnix(now));
    s->bind(3, JsonStringArray(emails));
    return ReadStrings(s);
  });
}

Result<std::unordered_set<std::string>> SqliteInvitations::MemberEmailsAmong(
    GroupId group, const std::vector<std::string>& emails) {
  return Guard([&]() -> Result<std::unordered_set<std::string>> {
    Stmt s = c_.Prepare(
        "SELECT a.email FROM accounts a JOIN group_members m ON m.account_id = "
        "a.id "
        "WHERE m.group_id = ? AND a.email IN (SELECT value FROM json_each(?))");
    s->bind(1, group.value);
    s->bind(2, JsonStringArray(emails));
    return ReadStrings(s);
  });
}

Status SqliteInvitations::MarkOpened(InvitationId id, TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE invitations SET opened_at = ? WHERE id = ? AND opened_at IS "
        "NULL");
    s->bind(1, ToUnix(now));
    s->bind(2, id.value);
    s->exec();
    return OkStatus();
  });
}

Result<bool> SqliteInvitations::MarkAccepted(InvitationId id, AccountId account,
                                             TimePoint now) {
  return Guard([&]() -> Result<bool> {
    // Accepting implies the link was opened, even if only through the API.
    Stmt s = c_.Prepare(
        "UPDATE invitations SET accepted_at = ?, accepted_by = ?, "
        "opened_at = coalesce(opened_at, ?) WHERE id = ? AND accepted_at IS "
        "NULL");
    s->bind(1, ToUnix(now));
    s->bind(2, account.value);
    s->bind(3, ToUnix(now));
    s->bind(4, id.value);
    return s->exec() == 1;
  });
}

Result<std::vector<InvitationView>> SqliteInvitations::ListByInviter(
    AccountId inviter, InvitationId before, int limit) {
  return Guard([&]() -> Result<std::vector<InvitationView>> {
    Stmt s = c_.Prepare(
        "SELECT " RT_INVITATION_COLUMNS RT_INVITATION_JOINS
        "WHERE i.inviter_id = ? AND i.id < ? ORDER BY i.id DESC LIMIT ?");
    s->bind(1, inviter.value);
    s->bind(2, before.valid() ? before.value : INT64_MAX);
    s->bind(3, limit);
    return ReadViews(s);
  });
}

Result<std::vector<InvitationView>> SqliteInvitations::PendingForEmail(
    const std::string& email, TimePoint now, int limit) {
  return Guard([&]() -> Result<std::vector<InvitationView>> {
    Stmt s = c_.Prepare(
        "SELECT " RT_INVITATION_COLUMNS RT_INVITATION_JOINS
        "WHERE i.email = ? AND i.accepted_at IS NULL AND i.expires_at > ? "
        "ORDER BY i.id DESC LIMIT ?");
    s->bind(1, email);
    s->bind(2, ToUnix(now));
    s->bind(3, limit);
    return ReadViews(s);
  });
}

Result<bool> SqliteInvitations::SetJoinedVia(GroupId group, AccountId account,
                                             InvitationId via) {
  return Guard([&]() -> Result<bool> {
    Stmt s = c_.Prepare(
        "UPDATE group_members SET joined_via_invitation = ? WHERE group_id = ? "
        "AND "
        "account_id = ?");
    s->bind(1, via.value);
    s->bind(2, group.value);
    s->bind(3, account.value);
    return s->exec() == 1;
  });
}

Result<int64_t> SqliteInvitations::CountJoinedVia(GroupId group) {
  return Guard([&]() -> Result<int64_t> {
    Stmt s = c_.Prepare(
        "SELECT COUNT(*) FROM group_members WHERE group_id = ? AND "
        "joined_via_invitation IS NOT NULL");
    s->bind(1, group.value);
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

}  // namespace rt::store::sqlite
