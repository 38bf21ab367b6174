#include "domain/accounts/account.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

TEST(AccountTest, NormalizeEmail) {
  EXPECT_EQ(*NormalizeEmail("  Ana.Active@Example.ORG "), "ana.active@example.org");
  for (const char* bad : {"", "no-at-sign", "@example.org", "a@b", "a@@b.org", "a b@c.org",
                          "a@b..org", "a@.org", "a@b.org."}) {
    auto r = NormalizeEmail(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "email");
  }
  EXPECT_FALSE(NormalizeEmail(std::string(250, 'a') + "@b.org").ok());
  EXPECT_FALSE(NormalizeEmail(std::string("a\0@b.org", 8)).ok());
}

TEST(AccountTest, PasswordLengthCountsCodePoints) {
  EXPECT_FALSE(ValidatePassword("short").ok());
  EXPECT_TRUE(ValidatePassword("twelve chars").ok());
  // 12 code points of three bytes each: long enough although 36 bytes.
  EXPECT_TRUE(ValidatePassword("日本語のパスワードです。").ok());
  // 11 two-byte code points are 22 bytes but still too short.
  EXPECT_EQ(ValidatePassword("ééééééééééé").error().code, "password_too_short");
  EXPECT_TRUE(ValidatePassword(std::string(256, 'x')).ok());
  EXPECT_EQ(ValidatePassword(std::string(257, 'x')).error().code, "password_too_long");
  EXPECT_FALSE(ValidatePassword(std::string("abcdefghijk\0l", 13)).ok());
  EXPECT_FALSE(ValidatePassword("abcdefghijkl\xff").ok());
}

TEST(AccountTest, ProfileIsTrimmedAndLimited) {
  auto p = ValidateProfile({"  Ana  ", " Librarian ", "", ""});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "Ana");
  EXPECT_EQ(p->job_title, "Librarian");
  EXPECT_EQ(ValidateProfile({"", "", "", ""}).error().field, "name");
  EXPECT_EQ(ValidateProfile({"Ana", std::string(121, 'x'), "", ""}).error().field, "job_title");
  EXPECT_EQ(ValidateProfile({"Ana", "", "a\nb", ""}).error().field, "organisation");
  EXPECT_EQ(ValidateProfile({"Ana", "", "", "\xc3"}).error().field, "location");
}

}  // namespace
}  // namespace rt
