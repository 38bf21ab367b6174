// Account mail in the store (migration 011): verified addresses and link
// tokens. The TEST_P tests join the engine-parameterised StoreTest suite
// instantiated in store_test.cc; the TEST at the end upgrades a database
// from before 011.

#include <SQLiteCpp/Database.h>

#include <string>

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

using namespace std::chrono_literals;

AccountToken Token(const std::string& hash, TokenPurpose purpose, AccountId account,
                   const std::string& email, TimePoint created) {
  AccountToken t;
  t.token_hash = hash;
  t.purpose = purpose;
  t.account = account;
  t.email = email;
  t.created_at = created;
  t.expires_at = created + TokenLifetime(purpose);
  return t;
}

TEST_P(StoreTest, AccountsStartUnverifiedUnlessVouchedFor) {
  Account ada = MakeAccount("ada@example.org", "Ada");
  EXPECT_FALSE(ada.email_verified());
  EXPECT_FALSE((*store_->accounts().FindById(ada.id))->email_verified());
  NewAccount vouched{"bo@example.org", "Bo", "h"};
  vouched.email_verified = true;
  Result<Account> bo = store_->accounts().Create(vouched, kNow);
  ASSERT_TRUE(bo.ok());
  EXPECT_EQ(bo->email_verified_at, kNow);
  EXPECT_EQ((*store_->accounts().FindByEmail("bo@example.org"))->email_verified_at, kNow);

  // Verifying again keeps the first time.
  ASSERT_TRUE(store_->accounts().MarkEmailVerified(ada.id, kNow + 1h).ok());
  ASSERT_TRUE(store_->accounts().MarkEmailVerified(ada.id, kNow + 2h).ok());
  EXPECT_EQ((*store_->accounts().FindById(ada.id))->email_verified_at, kNow + 1h);
}

TEST_P(StoreTest, ChangeEmailVerifiesTheNewAddressAndRefusesATakenOne) {
  Account ada = MakeAccount("ada@example.org", "Ada");
  MakeAccount("bo@example.org", "Bo");
  Status taken = store_->accounts().ChangeEmail(ada.id, "bo@example.org", kNow);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, "email_taken");
  ASSERT_TRUE(store_->accounts().ChangeEmail(ada.id, "ada@new.example.org", kNow + 1h).ok());
  std::optional<Account> moved = *store_->accounts().FindById(ada.id);
  EXPECT_EQ(moved->email, "ada@new.example.org");
  EXPECT_EQ(moved->email_verified_at, kNow + 1h);
  EXPECT_EQ(store_->accounts().ChangeEmail(AccountId{999}, "x@example.org", kNow).error().code,
            "account_not_found");
}

TEST_P(StoreTest, TokensAreFoundByHashAndUsedOnce) {
  Account ada = MakeAccount("ada@example.org", "Ada");
  ASSERT_TRUE(store_->account_tokens()
                  .Create(Token("h1", TokenPurpose::kReset, ada.id, "ada@example.org", kNow))
                  .ok());
  std::optional<AccountToken> t = *store_->account_tokens().Find("h1");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->purpose, TokenPurpose::kReset);
  EXPECT_EQ(t->account, ada.id);
  EXPECT_EQ(t->email, "ada@example.org");
  EXPECT_EQ(t->expires_at, kNow + 1h);
  EXPECT_FALSE(t->used_at.has_value());
  EXPECT_FALSE(store_->account_tokens().Find("h2")->has_value());

  EXPECT_TRUE(*store_->account_tokens().MarkUsed("h1", kNow + 1min));
  EXPECT_FALSE(*store_->account_tokens().MarkUsed("h1", kNow + 2min));
  EXPECT_EQ((*store_->account_tokens().Find("h1"))->used_at, kNow + 1min);
}

TEST_P(StoreTest, UseAllEndsOnlyThatAccountsTokensOfThatPurpose) {
  Account ada = MakeAccount("ada@example.org", "Ada");
  Account bo = MakeAccount("bo@example.org", "Bo");
  auto& tokens = store_->account_tokens();
  ASSERT_TRUE(tokens.Create(Token("a1", TokenPurpose::kReset, ada.id, ada.email, kNow)).ok());
  ASSERT_TRUE(tokens.Create(Token("a2", TokenPurpose::kReset, ada.id, ada.email, kNow)).ok());
  ASSERT_TRUE(tokens.Create(Token("a3", TokenPurpose::kVerify, ada.id, ada.email, kNow)).ok());
  ASSERT_TRUE(tokens.Create(Token("b1", TokenPurpose::kReset, bo.id, bo.email, kNow)).ok());
  ASSERT_TRUE(tokens.UseAll(ada.id, TokenPurpose::kReset, kNow + 1min).ok());
  EXPECT_TRUE((*tokens.Find("a1"))->used_at.has_value());
  EXPECT_TRUE((*tokens.Find("a2"))->used_at.has_value());
  EXPECT_FALSE((*tokens.Find("a3"))->used_at.has_value());
  EXPECT_FALSE((*tokens.Find("b1"))->used_at.has_value());
}

TEST_P(StoreTest, CountSentSinceCountsOneAddressAndPurposeInTheWindow) {
  Account ada = MakeAccount("ada@example.org", "Ada");
  auto& tokens = store_->account_tokens();
  ASSERT_TRUE(tokens.Create(Token("t1", TokenPurpose::kReset, ada.id, ada.email, kNow)).ok());
  ASSERT_TRUE(
      tokens.Create(Token("t2", TokenPurpose::kReset, ada.id, ada.email, kNow + 30min)).ok());
  ASSERT_TRUE(
      tokens.Create(Token("t3", TokenPurpose::kVerify, ada.id, ada.email, kNow + 30min)).ok());
  ASSERT_TRUE(tokens
                  .Create(Token("t4", TokenPurpose::kEmailChange, ada.id, "new@example.org",
                                kNow + 30min))
                  .ok());
  EXPECT_EQ(*tokens.CountSentSince(ada.email, TokenPurpose::kReset, kNow - 1min), 2);
  EXPECT_EQ(*tokens.CountSentSince(ada.email, TokenPurpose::kReset, kNow), 1);
  EXPECT_EQ(*tokens.CountSentSince("new@example.org", TokenPurpose::kEmailChange, kNow), 1);
  EXPECT_EQ(*tokens.CountSentSince("new@example.org", TokenPurpose::kReset, kNow), 0);
}

TEST(Migration011Test, AccountsFromBeforeCountAsVerifiedSinceTheirCreation) {
  SqliteTestDatabase dbf;
  std::string path = DatabaseBeforeMigration(dbf, 11);
  {
    SQLite::Database d(path, SQLite::OPEN_READWRITE);
    d.exec("INSERT INTO accounts (email, name, name_key, password_hash, created_at, updated_at) "
           "VALUES ('old@example.org', 'Old', 'old', 'h', 1700000000, 1700000000)");
  }
  Result<std::unique_ptr<Store>> s = OpenStore(dbf.url());
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->Migrate().ok());
  std::optional<Account> old = *(*s)->accounts().FindByEmail("old@example.org");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->email_verified_at, FromUnix(1700000000));
}

}  // namespace
}  // namespace rt::store::testing
