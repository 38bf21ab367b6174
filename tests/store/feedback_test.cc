// Feedback to a group's staff liaison (migration 017). The TEST_P tests
// join the engine-parameterised StoreTest suite instantiated in
// store_test.cc.

#include <string>
#include <vector>

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

Feedback NewFeedbackRow(GroupId group, AccountId author, AccountId liaison,
                        FeedbackCategory category = FeedbackCategory::kIdea) {
  Feedback f;
  f.group_id = group;
  f.author_id = author;
  f.liaison_id = liaison;
  f.category = category;
  f.body = "More evening sessions, please.";
  f.created_at = kNow;
  f.updated_at = kNow;
  return f;
}

TEST_P(StoreTest, FeedbackIsStoredWithNamesAndListedNewestFirst) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "rare-books", "Rare Books", 1);
  Group other = MakeGroup(assoc, "maps", "Maps", 2);
  Account ada = MakeAccount("ada@example.org", "Ada");
  Account bob = MakeAccount("bob@example.org", "Bob");
  Account lee = MakeAccount("lee@example.org", "Lee Liaison");
  ASSERT_TRUE(
      store_->groups().SetRole(g.id, lee.id, GroupRole::kLiaison, kNow).ok());

  auto first = store_->feedback().Create(NewFeedbackRow(g.id, ada.id, lee.id));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->id.valid());
  Feedback concern =
      NewFeedbackRow(g.id, bob.id, AccountId{}, FeedbackCategory::kConcern);
  concern.quote_consent = true;
  auto second = store_->feedback().Create(concern);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(store_->feedback()
                  .Create(NewFeedbackRow(other.id, ada.id, AccountId{}))
                  .ok());

  auto found = store_->feedback().Find(first->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  const FeedbackView& v = **found;
  EXPECT_EQ(v.author_name, "Ada");
  EXPECT_EQ(v.liaison_name, "Lee Liaison");
  EXPECT_EQ(v.group_slug, "rare-books");
  EXPECT_EQ(v.feedback.status, FeedbackStatus::kNew);
  EXPECT_EQ(v.feedback.category, FeedbackCategory::kIdea);
  EXPECT_FALSE(v.feedback.quote_consent);
  EXPECT_EQ(v.feedback.created_at, kNow);

  auto all = store_->feedback().List(g.id, {}, FeedbackId{}, 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].feedback.id, second->id);  // newest first
  EXPECT_TRUE((*all)[0].feedback.quote_consent);
  EXPECT_EQ((*all)[0].liaison_name, "");

  FeedbackFilter mine;
  mine.author = ada.id;
  auto adas = store_->feedback().List(g.id, mine, FeedbackId{}, 10);
  ASSERT_TRUE(adas.ok());
  ASSERT_EQ(adas->size(), 1u);
  EXPECT_EQ((*adas)[0].feedback.id, first->id);

  // Status filter and keyset paging.
  ASSERT_TRUE(store_->feedback()
                  .SetStatus(first->id, FeedbackStatus::kResolved, kNow)
                  .ok());
  FeedbackFilter resolved;
  resolved.status = FeedbackStatus::kResolved;
  auto r = store_->feedback().List(g.id, resolved, FeedbackId{}, 10);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].feedback.id, first->id);
  auto page = store_->feedback().List(g.id, {}, second->id, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].feedback.id, first->id);

  // FindMany keeps to the group.
  auto many = store_->feedback().FindMany(
      g.id, {first->id, second->id, FeedbackId{999}});
  ASSERT_TRUE(many.ok());
  EXPECT_EQ(many->size(), 2u);
  auto none = store_->feedback().FindMany(other.id, {first->id});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  EXPECT_EQ(store_->feedback()
                .SetStatus(FeedbackId{999}, FeedbackStatus::kNew, kNow)
                .error()
                .kind,
            ErrorKind::kNotFound);
}

TEST_P(StoreTest, FeedbackRepliesCountAndUpdateTheItem) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "rare-books", "Rare Books", 1);
  Account ada = MakeAccount("ada@example.org", "Ada");
  Account lee = MakeAccount("lee@example.org", "Lee");
  auto f = store_->feedback().Create(NewFeedbackRow(g.id, ada.id, lee.id));
  ASSERT_TRUE(f.ok());
  TimePoint later = kNow + std::chrono::hours(2);
  FeedbackReply reply;
  reply.feedback_id = f->id;
  reply.author_id = lee.id;
  reply.body = "Thank you, we will try Tuesdays.";
  reply.created_at = later;
  ASSERT_TRUE(store_->feedback().AddReply(reply).ok());
  reply.author_id = ada.id;
  reply.body = "Tuesdays work.";
  ASSERT_TRUE(store_->feedback().AddReply(reply).ok());
  auto replies = store_->feedback().Replies(f->id, 10);
  ASSERT_TRUE(replies.ok());
  ASSERT_EQ(replies->size(), 2u);
  EXPECT_EQ((*replies)[0].author_name, "Lee");
  EXPECT_EQ((*replies)[1].reply.body, "Tuesdays work.");
  auto v = store_->feedback().Find(f->id);
  ASSERT_TRUE(v.ok() && v->has_value());
  EXPECT_EQ((*v)->reply_count, 2);
  EXPECT_EQ((*v)->feedback.updated_at, later);
}

TEST_P(StoreTest, OpenFeedbackMovesWhenItsLiaisonStopsBeingOne) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "rare-books", "Rare Books", 1);
  Account ada = MakeAccount("ada@example.org", "Ada");
  Account lee = MakeAccount("lee@example.org", "Lee");
  Account max = MakeAccount("max@example.org", "Max");
  ASSERT_TRUE(
      store_->groups().SetRole(g.id, lee.id, GroupRole::kLiaison, kNow).ok());
  auto open = store_->feedback().Create(NewFeedbackRow(g.id, ada.id, lee.id));
  auto done = store_->feedback().Create(NewFeedbackRow(g.id, ada.id, lee.id));
  auto unowned =
      store_->feedback().Create(NewFeedbackRow(g.id, ada.id, AccountId{}));
  ASSERT_TRUE(open.ok() && done.ok() && unowned.ok());
  ASSERT_TRUE(store_->feedback()
                  .SetStatus(done->id, FeedbackStatus::kResolved, kNow)
                  .ok());
  auto owner = [&](FeedbackId id) {
    return (*store_->feedback().Find(id))->feedback.liaison_id;
  };

  // Lee is still the only liaison: the unowned item goes to Lee.
  auto moved = store_->feedback().RehomeOpen(g.id, AccountId{}, kNow);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 1);
  EXPECT_EQ(owner(unowned->id), lee.id);

  // Max becomes a liaison and Lee stops being one: open items go to Max,
  // the resolved one stays with Lee (history).
  ASSERT_TRUE(
      store_->groups().SetRole(g.id, max.id, GroupRole::kLiaison, kNow).ok());
  ASSERT_TRUE(
      store_->groups().SetRole(g.id, lee.id, GroupRole::kMember, kNow).ok());
  moved = store_->feedback().RehomeOpen(g.id, AccountId{}, kNow);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 2);
  EXPECT_EQ(owner(open->id), max.id);
  EXPECT_EQ(owner(unowned->id), max.id);
  EXPECT_EQ(owner(done->id), lee.id);

  // No liaison left: open items wait unowned; nothing moves twice.
  ASSERT_TRUE(
      store_->groups().SetRole(g.id, max.id, GroupRole::kMember, kNow).ok());
  moved = store_->feedback().RehomeOpen(g.id, AccountId{}, kNow);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 2);
  EXPECT_FALSE(owner(open->id).valid());
  moved = store_->feedback().RehomeOpen(g.id, AccountId{}, kNow);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 0);

  // The preferred new liaison takes them, even with a lower id around.
  ASSERT_TRUE(
      store_->groups().SetRole(g.id, lee.id, GroupRole::kLiaison, kNow).ok());
  ASSERT_TRUE(
      store_->groups().SetRole(g.id, max.id, GroupRole::kLiaison, kNow).ok());
  moved = store_->feedback().RehomeOpen(g.id, max.id, kNow);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 2);
  EXPECT_EQ(owner(open->id), max.id);
  auto liaisons = store_->feedback().Liaisons(g.id);
  ASSERT_TRUE(liaisons.ok());
  ASSERT_EQ(liaisons->size(), 2u);
  EXPECT_EQ((*liaisons)[0].id, lee.id);
}

TEST_P(StoreTest, FeedbackNotificationsCarryTheGroupAndAuthor) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "rare-books", "Rare Books", 1);
  Account ada = MakeAccount("ada@example.org", "Ada");
  Account lee = MakeAccount("lee@example.org", "Lee");
  auto f = store_->feedback().Create(NewFeedbackRow(g.id, ada.id, lee.id));
  ASSERT_TRUE(f.ok());
  Notification n;
  n.account_id = ada.id;
  n.kind = NotificationKind::kFeedback;
  n.actor_id = lee.id;
  n.feedback_id = f->id;
  n.created_at = kNow;
  ASSERT_TRUE(store_->notifications().Create(n).ok());
  auto list = store_->notifications().List(ada.id, NotificationId{}, 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].notification.kind, NotificationKind::kFeedback);
  EXPECT_EQ((*list)[0].notification.feedback_id, f->id);
  EXPECT_EQ((*list)[0].feedback_group, "Rare Books");
  EXPECT_EQ((*list)[0].feedback_author, ada.id);
  EXPECT_EQ((*list)[0].actor_name, "Lee");
  // The switch for the new kind is stored like the others.
  EmailSwitches off;
  off.set(NotificationKind::kFeedback, false);
  ASSERT_TRUE(store_->delivery().SetEmailSwitches(ada.id, off).ok());
  auto s = store_->delivery().EmailSwitchesOf(ada.id);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->enabled(NotificationKind::kFeedback));
  EXPECT_TRUE(s->enabled(NotificationKind::kReply));
}

}  // namespace
}  // namespace rt::store::testing
