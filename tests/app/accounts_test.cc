#include "app/accounts.h"

#include <gtest/gtest.h>

#include "support/app_fixture.h"

namespace rt::app {
namespace {

class AccountsTest : public testing::AppTest {
 protected:
  AccountsService accounts_{ctx_};
};

TEST_F(AccountsTest, RegisterValidatesAndRefusesDuplicates) {
  auto a = accounts_.Register({"Ana Active", " Ana@Example.org ", "correct horse battery"});
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->email, "ana@example.org");
  auto dup = accounts_.Register({"Other", "ANA@example.org", "another long password"});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(dup.error().code, "email_taken");
  auto short_pw = accounts_.Register({"Bo", "bo@example.org", "short"});
  ASSERT_FALSE(short_pw.ok());
  EXPECT_EQ(short_pw.error().field, "password");
  EXPECT_FALSE(db().accounts().FindByEmail("bo@example.org")->has_value());
}

TEST_F(AccountsTest, SignInDoesNotRevealWhetherAnEmailExists) {
  ASSERT_TRUE(accounts_.Register({"Ana", "ana@example.org", "correct horse battery"}).ok());
  auto wrong = accounts_.SignIn("ana@example.org", "wrong password!!");
  auto unknown = accounts_.SignIn("nobody@example.org", "wrong password!!");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, unknown.error().code);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(wrong.error().kind, ErrorKind::kUnauthenticated);
}

TEST_F(AccountsTest, SignInGivesAFreshSessionEachTime) {
  ASSERT_TRUE(accounts_.Register({"Ana", "ana@example.org", "correct horse battery"}).ok());
  auto s1 = accounts_.SignIn("ANA@example.org", "correct horse battery");
  auto s2 = accounts_.SignIn("ana@example.org", "correct horse battery");
  ASSERT_TRUE(s1.ok());
  ASSERT_TRUE(s2.ok());
  EXPECT_NE(s1->token, s2->token);
  auto found = accounts_.Authenticate(s1->token);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->account.email, "ana@example.org");
  EXPECT_EQ((*found)->csrf_token, s1->csrf_token);
  EXPECT_FALSE(accounts_.Authenticate("not-a-token")->has_value());
}

TEST_F(AccountsTest, SessionsExpire) {
  ASSERT_TRUE(accounts_.Register({"Ana", "ana@example.org", "correct horse battery"}).ok());
  auto s = accounts_.SignIn("ana@example.org", "correct horse battery");
  ASSERT_TRUE(s.ok());
  clock_.Set(clock_.Now() + std::chrono::hours(24 * kSessionDays + 1));
  EXPECT_FALSE(accounts_.Authenticate(s->token)->has_value());
}

TEST_F(AccountsTest, ChangePasswordEndsEveryOtherSession) {
  ASSERT_TRUE(accounts_.Register({"Ana", "ana@example.org", "correct horse battery"}).ok());
  auto here = accounts_.SignIn("ana@example.org", "correct horse battery");
  auto elsewhere = accounts_.SignIn("ana@example.org", "correct horse battery");
  ASSERT_TRUE(here.ok() && elsewhere.ok());
  auto session = accounts_.Authenticate(here->token);
  ASSERT_TRUE(session.ok() && session->has_value());

  Status wrong = accounts_.ChangePassword(**session, "not my password", "a brand new passphrase");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "current_password");

  ASSERT_TRUE(accounts_.ChangePassword(**session, "correct horse battery", "a brand new passphrase").ok());
  EXPECT_TRUE(accounts_.Authenticate(here->token)->has_value());
  EXPECT_FALSE(accounts_.Authenticate(elsewhere->token)->has_value());
  EXPECT_FALSE(accounts_.SignIn("ana@example.org", "correct horse battery").ok());
  EXPECT_TRUE(accounts_.SignIn("ana@example.org", "a brand new passphrase").ok());
}

TEST_F(AccountsTest, SignOutEndsTheSession) {
  ASSERT_TRUE(accounts_.Register({"Ana", "ana@example.org", "correct horse battery"}).ok());
  auto s = accounts_.SignIn("ana@example.org", "correct horse battery");
  auto info = accounts_.Authenticate(s->token);
  ASSERT_TRUE(info.ok() && info->has_value());
  ASSERT_TRUE(accounts_.SignOut((*info)->token_hash).ok());
  EXPECT_FALSE(accounts_.Authenticate(s->token)->has_value());
}

TEST_F(AccountsTest, UpdateProfile) {
  auto a = accounts_.Register({"Ana", "ana@example.org", "correct horse battery"});
  ASSERT_TRUE(a.ok());
  auto saved = accounts_.UpdateProfile(a->id, {"Ana Active", "Librarian", "Springfield PL", "Ohio"});
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->organisation, "Springfield PL");
  auto bad = accounts_.UpdateProfile(a->id, {"", "", "", ""});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "name");
  EXPECT_EQ((*db().accounts().FindById(a->id))->name, "Ana Active");
}

}  // namespace
}  // namespace rt::app
