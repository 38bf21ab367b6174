#include "app/members_import.h"

#include <gtest/gtest.h>

#include <sstream>

#include "app/account_mail.h"
#include "app/accounts.h"
#include "support/app_fixture.h"

namespace rt::app {
namespace {

class ImportTest : public testing::AppTest {
 protected:
  void SetUp() override {
    auto a = db().associations().Upsert({AssociationId{}, "pla", "Public Library Association",
                                         "PLA", "", 30});
    ASSERT_TRUE(a.ok());
    pla_ = *a;
  }
  Result<ImportReport> Run(const std::string& csv) {
    std::istringstream in(csv);
    return MembersImporter(ctx_).Import(in, "pla");
  }
  Association pla_;
};

TEST_F(ImportTest, UpsertsAndIsSafeToRunTwice) {
  const std::string csv =
      "email,member_type,paid_through\r\n"
      "ana@example.org,Personal,2026-12-31\r\n"
      "\"Bo@Example.org\",\"Student, part-time\",2027-01-31\r\n";
  auto first = Run(csv);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->Summary(), "2 added, 0 updated, 0 unchanged, 0 rejected");
  auto second = Run(csv);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->Summary(), "0 added, 0 updated, 2 unchanged, 0 rejected");
  auto third = Run("member_type,email,paid_through\nPersonal,ana@example.org,2027-06-30\n");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->Summary(), "0 added, 1 updated, 0 unchanged, 0 rejected");
  auto m = db().memberships().FindByEmail(pla_.id, "bo@example.org");
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ((*m)->member_type, "Student, part-time");
  EXPECT_EQ((*db().memberships().FindByEmail(pla_.id, "ana@example.org"))->paid_through.Iso(),
            "2027-06-30");
}

TEST_F(ImportTest, RejectsBadLinesWithReasonsAndKeepsTheRest) {
  auto r = Run(
      "email,member_type,paid_through\n"
      "not-an-email,Personal,2026-12-31\n"
      "ok@example.org,Personal,2026-12-31\n"
      "date@example.org,Personal,31/12/2026\n"
      "short@example.org,Personal\n"
      "type@example.org,,2026-12-31\n"
      "\"quote@example.org,Personal,2026-12-31\n"
      "utf@example.org,\xff,2026-12-31\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->added, 1);
  ASSERT_EQ(r->rejected.size(), 6u);
  EXPECT_EQ(r->rejected[0].line, 2);
  EXPECT_NE(r->rejected[0].reason.find("invalid email"), std::string::npos);
  EXPECT_EQ(r->rejected[1].line, 4);
  EXPECT_NE(r->rejected[1].reason.find("paid_through"), std::string::npos);
  EXPECT_EQ(r->rejected[2].line, 5);
  EXPECT_EQ(r->rejected[5].reason, "line is not valid UTF-8");
}

TEST_F(ImportTest, MissingColumnsFailTheWholeFile) {
  auto r = Run("email,paid_through\nana@example.org,2026-12-31\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_csv");
}

TEST_F(ImportTest, AttachesToVerifiedAccountsNowAndToOthersOnceVerified) {
  AccountsService accounts(ctx_);
  AccountMailService account_mail(ctx_);
  auto verified = accounts.CreateByOperator({"Vera", "vera@example.org", "correct horse battery"},
                                            /*is_admin=*/false);
  auto early = accounts.Register({"Early", "early@example.org", "correct horse battery"});
  ASSERT_TRUE(verified.ok() && early.ok());
  ASSERT_TRUE(Run("email,member_type,paid_through\nearly@example.org,Personal,2026-12-31\n"
                  "late@example.org,Personal,2026-12-31\nvera@example.org,Personal,2026-12-31\n")
                  .ok());
  EXPECT_TRUE(db().memberships().FindForAccount(pla_.id, verified->id)->has_value());
  // An unverified address has not shown that the membership is its owner's.
  EXPECT_FALSE(db().memberships().FindForAccount(pla_.id, early->id)->has_value());
  ASSERT_EQ(account_mail.VerifyByOperator("early@example.org")->memberships_attached, 1);
  EXPECT_TRUE(db().memberships().FindForAccount(pla_.id, early->id)->has_value());

  auto late = accounts.Register({"Late", "late@example.org", "correct horse battery"});
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(db().memberships().FindForAccount(pla_.id, late->id)->has_value());
  ASSERT_EQ(account_mail.VerifyByOperator("late@example.org")->memberships_attached, 1);
  EXPECT_TRUE(db().memberships().FindForAccount(pla_.id, late->id)->has_value());
}

TEST_F(ImportTest, ReportsProgressOnLargeFiles) {
  std::string csv = "email,member_type,paid_through\n";
  for (int i = 0; i < 5000; ++i) {
    csv += "m" + std::to_string(i) + "@example.org,Personal,2026-12-31\n";
  }
  std::istringstream in(csv);
  int calls = 0;
  auto r = MembersImporter(ctx_).Import(in, "pla", [&](int) { ++calls; });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->added, 5000);
  EXPECT_EQ(calls, 3);  // batches of 2000
}

}  // namespace
}  // namespace rt::app
