// Invitations in the store (migration 018). The TEST_P tests join the
// engine-parameterised StoreTest suite instantiated in store_test.cc.
#include <string>

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

using namespace std::chrono_literals;

Invitation MakeInvitation(GroupId group, AccountId inviter,
                          const std::string& email, const std::string& hash,
                          TimePoint created) {
  Invitation inv;
  inv.token_hash = hash;
  inv.group = group;
  inv.inviter = inviter;
  inv.email = email;
  inv.note = "Come along";
  inv.created_at = created;
  inv.expires_at = created + kInvitationLifetime;
  return inv;
}

TEST_P(StoreTest, InvitationsAreFoundByHashWithTheirNames) {
  AssociationId pla = MakeAssociation("pla");
  Group g = MakeGroup(pla, "health", "Health", 1);
  Account ana = MakeAccount("ana@example.org", "Ana");
  auto created = store_->invitations().Create(
      MakeInvitation(g.id, ana.id, "sam@example.org", "hash-1", kNow));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(created->id.valid());

  auto found = store_->invitations().FindByTokenHash("hash-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  const InvitationView& v = **found;
  EXPECT_EQ(v.invitation.id, created->id);
  EXPECT_EQ(v.invitation.email, "sam@example.org");
  EXPECT_EQ(v.invitation.note, "Come along");
  EXPECT_EQ(v.invitation.created_at, kNow);
  EXPECT_EQ(v.invitation.expires_at, kNow + kInvitationLifetime);
  EXPECT_FALSE(v.invitation.opened_at);
  EXPECT_FALSE(v.invitation.accepted_at);
  EXPECT_EQ(v.group_slug, "health");
  EXPECT_EQ(v.group_name, "Health");
  EXPECT_EQ(v.inviter_name, "Ana");
  EXPECT_FALSE((*store_->invitations().FindByTokenHash("nope")).has_value());

  // A token hash is unique.
  EXPECT_FALSE(
      store_->invitations()
          .Create(MakeInvitation(g.id, ana.id, "x@example.org", "hash-1", kNow))
          .ok());
}

TEST_P(StoreTest, InvitationsOpenOnceAndAreAcceptedOnce) {
  AssociationId pla = MakeAssociation("pla");
  Group g = MakeGroup(pla, "health", "Health", 1);
  Account ana = MakeAccount("ana@example.org", "Ana");
  Account sam = MakeAccount("sam@example.org", "Sam");
  Invitation inv = *store_->invitations().Create(
      MakeInvitation(g.id, ana.id, sam.email, "h", kNow));
  ASSERT_TRUE(store_->invitations().MarkOpened(inv.id, kNow + 1h).ok());
  ASSERT_TRUE(store_->invitations().MarkOpened(inv.id, kNow + 2h).ok());
  auto v = **store_->invitations().FindByTokenHash("h");
  EXPECT_EQ(v.invitation.opened_at, kNow + 1h);

  EXPECT_TRUE(*store_->invitations().MarkAccepted(inv.id, sam.id, kNow + 3h));
  EXPECT_FALSE(*store_->invitations().MarkAccepted(inv.id, ana.id, kNow + 4h));
  v = **store_->invitations().FindByTokenHash("h");
  EXPECT_EQ(v.invitation.accepted_at, kNow + 3h);
  EXPECT_EQ(v.invitation.accepted_by, sam.id);
  EXPECT_EQ(StateAt(v.invitation, kNow + 1000h), InvitationState::kJoined);
}

TEST_P(StoreTest, PendingMembersAndCountsAreReadForManyAddressesAtOnce) {
  AssociationId pla = MakeAssociation("pla");
  Group g = MakeGroup(pla, "health", "Health", 1);
  Group other = MakeGroup(pla, "social-work", "Social Work", 2);
  Account ana = MakeAccount("ana@example.org", "Ana");
  Account bo = MakeAccount("bo@example.org", "Bo");
  ASSERT_TRUE(
      store_->groups().AddMember(g.id, bo.id, GroupRole::kMember, kNow).ok());
  auto& inv = store_->invitations();
  ASSERT_TRUE(
      inv.Create(MakeInvitation(g.id, ana.id, "sam@example.org", "a", kNow))
          .ok());
  ASSERT_TRUE(inv.Create(MakeInvitation(g.id, ana.id, "old@example.org", "b",
                                        kNow - kInvitationLifetime))
                  .ok());
  ASSERT_TRUE(
      inv.Create(MakeInvitation(other.id, ana.id, "kim@example.org", "c", kNow))
          .ok());
  Invitation used =
      *inv.Create(MakeInvitation(g.id, ana.id, "lou@example.org", "d", kNow));
  ASSERT_TRUE(inv.MarkAccepted(used.id, ana.id, kNow).ok());

  std::vector<std::string> asked = {"sam@example.org", "old@example.org",
                                    "kim@example.org", "lou@example.org",
                                    "bo@example.org",  "a\"b@example.org"};
  auto pending = inv.PendingAmong(g.id, asked, kNow + 1s);
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  EXPECT_EQ(*pending, (std::unordered_set<std::string>{"sam@example.org"}));
  auto members = inv.MemberEmailsAmong(g.id, asked);
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(*members, (std::unordered_set<std::string>{"bo@example.org"}));

  EXPECT_EQ(*inv.CountSentSince(ana.id, kNow - 24h), 3);
  EXPECT_EQ(*inv.CountSentSince(bo.id, kNow - 24h), 0);

  auto to_sam = inv.PendingForEmail("sam@example.org", kNow, 10);
  ASSERT_TRUE(to_sam.ok());
  ASSERT_EQ(to_sam->size(), 1u);
  EXPECT_EQ((*to_sam)[0].group_slug, "health");
  EXPECT_TRUE((*inv.PendingForEmail("old@example.org", kNow, 10)).empty());
}

TEST_P(StoreTest, InviterListsPageNewestFirst) {
  AssociationId pla = MakeAssociation("pla");
  Group g = MakeGroup(pla, "health", "Health", 1);
  Account ana = MakeAccount("ana@example.org", "Ana");
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        store_->invitations()
            .Create(MakeInvitation(
                g.id, ana.id, "p" + std::to_string(i) + "@example.org",
                "h" + std::to_string(i), kNow + std::chrono::seconds(i)))
            .ok());
  }
  auto first = *store_->invitations().ListByInviter(ana.id, InvitationId{}, 3);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].invitation.email, "p4@example.org");
  EXPECT_EQ(first[2].invitation.email, "p2@example.org");
  auto rest = *store_->invitations().ListByInviter(
      ana.id, first.back().invitation.id, 3);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].invitation.email, "p1@example.org");
  EXPECT_EQ(rest[1].invitation.email, "p0@example.org");
}

TEST_P(StoreTest, MembershipsRememberTheInvitationTheyCameFrom) {
  AssociationId pla = MakeAssociation("pla");
  Group g = MakeGroup(pla, "health", "Health", 1);
  Account ana = MakeAccount("ana@example.org", "Ana");
  Account sam = MakeAccount("sam@example.org", "Sam");
  Invitation inv = *store_->invitations().Create(
      MakeInvitation(g.id, ana.id, sam.email, "h", kNow));
  EXPECT_FALSE(*store_->invitations().SetJoinedVia(g.id, sam.id,
                                                   inv.id));  // not in it yet
  ASSERT_TRUE(
      store_->groups().AddMember(g.id, sam.id, GroupRole::kMember, kNow).ok());
  ASSERT_TRUE(
      store_->groups().AddMember(g.id, ana.id, GroupRole::kMember, kNow).ok());
  EXPECT_EQ(*store_->invitations().CountJoinedVia(g.id), 0);
  EXPECT_TRUE(*store_->invitations().SetJoinedVia(g.id, sam.id, inv.id));
  EXPECT_EQ(*store_->invitations().CountJoinedVia(g.id), 1);
  // Leaving takes the membership, and its count, away.
  ASSERT_TRUE(store_->groups().RemoveMember(g.id, sam.id).ok());
  EXPECT_EQ(*store_->invitations().CountJoinedVia(g.id), 0);
}

}  // namespace
}  // namespace rt::store::testing
