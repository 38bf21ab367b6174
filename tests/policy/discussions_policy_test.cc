// Discussion rules of the Guardian as tables: roles × group settings ×
// thread and post state.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/guardian.h"

namespace rt::policy {
namespace {

enum class Who {
  kVisitor, kAccount, kActiveMember, kLapsedGroupMember, kGroupMember, kAuthor, kModerator,
  kLiaison, kAdmin
};

constexpr AccountId kAuthorId{42};

const char* Name(Who w) {
  switch (w) {
    case Who::kVisitor: return "visitor";
    case Who::kAccount: return "account holder";
    case Who::kActiveMember: return "association member (not in group)";
    case Who::kLapsedGroupMember: return "group member whose membership lapsed";
    case Who::kGroupMember: return "group member";
    case Who::kAuthor: return "author";
    case Who::kModerator: return "moderator";
    case Who::kLiaison: return "liaison";
    case Who::kAdmin: return "admin";
  }
  return "?";
}

Actor MakeActor(Who w) {
  Actor a;
  if (w == Who::kVisitor) return a;
  a.account = w == Who::kAuthor ? kAuthorId : AccountId{7};
  a.standing.state = MembershipStanding::State::kActive;
  switch (w) {
    case Who::kAccount: a.standing.state = MembershipStanding::State::kNone; break;
    case Who::kLapsedGroupMember:
      a.standing.state = MembershipStanding::State::kExpired;
      a.role = GroupRole::kMember;
      break;
    case Who::kGroupMember: case Who::kAuthor: a.role = GroupRole::kMember; break;
    case Who::kModerator: a.role = GroupRole::kModerator; break;
    case Who::kLiaison: a.role = GroupRole::kLiaison; break;
    case Who::kAdmin: a.is_admin = true; break;
    default: break;
  }
  return a;
}

Group MakeGroup(ContentVisibility v, JoinPolicy p = JoinPolicy::kMembersOnly) {
  Group g;
  g.id = GroupId{1};
  g.join_policy = p;
  g.visibility = v;
  return g;
}

Thread MakeThread(ThreadKind kind, bool locked = false) {
  Thread t;
  t.id = ThreadId{5};
  t.kind = kind;
  t.locked = locked;
  t.author_id = kAuthorId;
  t.first_post_id = PostId{100};
  return t;
}

Post MakePost(PostId id, bool deleted = false) {
  Post p;
  p.id = id;
  p.thread_id = ThreadId{5};
  p.author_id = kAuthorId;
  p.deleted = deleted;
  return p;
}

struct Row {
  Who who;
  ContentVisibility visibility;
  bool allowed;
  std::string_view reason;
};

using V = ContentVisibility;
namespace r = reason;

template <typename Fn>
void Check(const char* rule, const std::vector<Row>& rows, Fn fn) {
  for (const Row& row : rows) {
    Decision d = fn(MakeActor(row.who), MakeGroup(row.visibility));
    EXPECT_EQ(d.allowed, row.allowed) << rule << " / " << Name(row.who) << " / "
                                      << ToString(row.visibility);
    EXPECT_EQ(d.reason, row.reason) << rule << " / " << Name(row.who) << " / "
                                    << ToString(row.visibility);
  }
}

TEST(DiscussionPolicyTest, CanReadContent) {
  Check("CanReadContent",
        {
            {Who::kVisitor, V::kPublic, true, r::kOk},
            {Who::kAccount, V::kPublic, true, r::kOk},
            {Who::kVisitor, V::kMembers, false, r::kNotFound},
            {Who::kAccount, V::kMembers, false, r::kNotFound},
            {Who::kActiveMember, V::kMembers, false, r::kNotFound},
            {Who::kLapsedGroupMember, V::kMembers, true, r::kOk},
            {Who::kGroupMember, V::kMembers, true, r::kOk},
            {Who::kLiaison, V::kMembers, true, r::kOk},
            {Who::kAdmin, V::kMembers, true, r::kOk},
        },
        [](const Actor& a, const Group& g) { return CanReadContent(a, g); });
}

TEST(DiscussionPolicyTest, CanPost) {
  Check("CanPost",
        {
            {Who::kVisitor, V::kPublic, false, r::kNotSignedIn},
            {Who::kVisitor, V::kMembers, false, r::kNotFound},
            {Who::kAccount, V::kPublic, false, r::kNotGroupMember},
            {Who::kActiveMember, V::kPublic, false, r::kNotGroupMember},
            {Who::kLapsedGroupMember, V::kMembers, false, r::kMembershipExpired},
            {Who::kLapsedGroupMember, V::kPublic, false, r::kMembershipExpired},
            {Who::kGroupMember, V::kMembers, true, r::kOk},
            {Who::kModerator, V::kMembers, true, r::kOk},
            {Who::kLiaison, V::kMembers, true, r::kOk},
            {Who::kAdmin, V::kMembers, true, r::kOk},
        },
        [](const Actor& a, const Group& g) { return CanPost(a, g); });
}

TEST(DiscussionPolicyTest, LapsedMemberOfAnOpenGroupMayStillPost) {
  Actor lapsed = MakeActor(Who::kLapsedGroupMember);
  EXPECT_TRUE(CanPost(lapsed, MakeGroup(V::kPublic, JoinPolicy::kOpen)).allowed);
}

TEST(DiscussionPolicyTest, CanReplyRespectsLocks) {
  Check("CanReply on a locked thread",
        {
            {Who::kGroupMember, V::kMembers, false, r::kThreadLocked},
            {Who::kAuthor, V::kMembers, false, r::kThreadLocked},
            {Who::kModerator, V::kMembers, true, r::kOk},
            {Who::kLiaison, V::kMembers, true, r::kOk},
            {Who::kLapsedGroupMember, V::kMembers, false, r::kMembershipExpired},
            {Who::kVisitor, V::kMembers, false, r::kNotFound},
        },
        [](const Actor& a, const Group& g) {
          return CanReply(a, g, MakeThread(ThreadKind::kDiscussion, /*locked=*/true));
        });
  EXPECT_TRUE(CanReply(MakeActor(Who::kGroupMember), MakeGroup(V::kMembers),
                       MakeThread(ThreadKind::kDiscussion))
                  .allowed);
}

TEST(DiscussionPolicyTest, CanModerate) {
  Check("CanModerate",
        {
            {Who::kVisitor, V::kPublic, false, r::kNotSignedIn},
            {Who::kGroupMember, V::kMembers, false, r::kNotModerator},
            {Who::kAuthor, V::kMembers, false, r::kNotModerator},
            {Who::kModerator, V::kMembers, true, r::kOk},
            {Who::kLiaison, V::kMembers, true, r::kOk},
            {Who::kAdmin, V::kMembers, true, r::kOk},
            {Who::kAccount, V::kMembers, false, r::kNotFound},
        },
        [](const Actor& a, const Group& g) { return CanModerate(a, g); });
}

TEST(DiscussionPolicyTest, EditAndDeletePosts) {
  Check("CanEditPost",
        {
            {Who::kAuthor, V::kMembers, true, r::kOk},
            {Who::kGroupMember, V::kMembers, false, r::kNotAuthor},
            {Who::kModerator, V::kMembers, false, r::kNotAuthor},
            {Who::kAdmin, V::kMembers, false, r::kNotAuthor},
            {Who::kVisitor, V::kPublic, false, r::kNotSignedIn},
            {Who::kAccount, V::kMembers, false, r::kNotFound},
        },
        [](const Actor& a, const Group& g) { return CanEditPost(a, g, MakePost(PostId{101})); });
  Check("CanDeletePost",
        {
            {Who::kAuthor, V::kMembers, true, r::kOk},
            {Who::kGroupMember, V::kMembers, false, r::kNotAuthor},
            {Who::kModerator, V::kMembers, true, r::kOk},
            {Who::kLiaison, V::kMembers, true, r::kOk},
            {Who::kAdmin, V::kMembers, true, r::kOk},
            {Who::kAccount, V::kMembers, false, r::kNotFound},
        },
        [](const Actor& a, const Group& g) { return CanDeletePost(a, g, MakePost(PostId{101})); });
  Check("CanEditPost on a removed post",
        {{Who::kAuthor, V::kMembers, false, r::kNotFound}},
        [](const Actor& a, const Group& g) {
          return CanEditPost(a, g, MakePost(PostId{101}, /*deleted=*/true));
        });
}

TEST(DiscussionPolicyTest, AcceptAnswer) {
  auto accept = [](ThreadKind kind, PostId post) {
    return [kind, post](const Actor& a, const Group& g) {
      Post p = MakePost(post);
      p.author_id = AccountId{99};
      return CanAcceptAnswer(a, g, MakeThread(kind), p);
    };
  };
  Check("CanAcceptAnswer on a question",
        {
            {Who::kAuthor, V::kMembers, true, r::kOk},
            {Who::kGroupMember, V::kMembers, false, r::kNotTheAsker},
            {Who::kModerator, V::kMembers, true, r::kOk},
            {Who::kLiaison, V::kMembers, true, r::kOk},
            {Who::kVisitor, V::kPublic, false, r::kNotSignedIn},
            {Who::kAccount, V::kMembers, false, r::kNotFound},
        },
        accept(ThreadKind::kQuestion, PostId{101}));
  Check("CanAcceptAnswer on a discussion",
        {{Who::kAuthor, V::kMembers, false, r::kNotAQuestion}},
        accept(ThreadKind::kDiscussion, PostId{101}));
  Check("CanAcceptAnswer on the question itself",
        {{Who::kAuthor, V::kMembers, false, r::kNotAReply}},
        accept(ThreadKind::kQuestion, PostId{100}));
}

TEST(DiscussionPolicyTest, Recommend) {
  Check("CanRecommend someone else's post",
        {
            {Who::kGroupMember, V::kMembers, true, r::kOk},
            {Who::kAuthor, V::kMembers, false, r::kOwnPost},
            {Who::kLapsedGroupMember, V::kMembers, false, r::kMembershipExpired},
            {Who::kVisitor, V::kPublic, false, r::kNotSignedIn},
            {Who::kAccount, V::kPublic, false, r::kNotGroupMember},
        },
        [](const Actor& a, const Group& g) { return CanRecommend(a, g, MakePost(PostId{101})); });
}

TEST(DiscussionPolicyTest, ConsentFilterAndFollow) {
  Check("CanFilterByConsent",
        {
            {Who::kLiaison, V::kMembers, true, r::kOk},
            {Who::kAdmin, V::kMembers, true, r::kOk},
            {Who::kModerator, V::kMembers, false, r::kNotStaff},
            {Who::kGroupMember, V::kMembers, false, r::kNotStaff},
            {Who::kVisitor, V::kPublic, false, r::kNotSignedIn},
        },
        [](const Actor& a, const Group& g) { return CanFilterByConsent(a, g); });
  Check("CanFollow",
        {
            {Who::kAccount, V::kPublic, true, r::kOk},
            {Who::kVisitor, V::kPublic, false, r::kNotSignedIn},
            {Who::kAccount, V::kMembers, false, r::kNotFound},
            {Who::kGroupMember, V::kMembers, true, r::kOk},
        },
        [](const Actor& a, const Group& g) { return CanFollow(a, g); });
}

TEST(DiscussionPolicyTest, ConversationsBelongToTheirTwoParticipants) {
  AccountId a{1}, b{2}, other{3};
  EXPECT_TRUE(CanReadConversation(a, a, b).allowed);
  EXPECT_TRUE(CanReadConversation(b, a, b).allowed);
  EXPECT_EQ(CanReadConversation(other, a, b).reason, r::kNotFound);
  EXPECT_FALSE(CanReadConversation(AccountId{}, a, b).allowed);
}

}  // namespace
}  // namespace rt::policy
