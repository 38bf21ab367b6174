#include "mail/address.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rt::mail {
namespace {

TEST(MailAddressTest, AcceptsOrdinaryAddresses) {
  for (const char* a :
       {"ana@example.org", "a.b-c+tag@sub.example.co.uk", "o'neil@example.ie",
        "x@xn--caf-dma.example", "reply+AbC_12-3@mail.example.org",
        "UPPER@EXAMPLE.ORG"}) {
    EXPECT_TRUE(ValidateAddress(a, "to").ok()) << a;
  }
}

TEST(MailAddressTest, RefusesWhatWeDoNotSend) {
  for (const std::string& a :
       std::vector<std::string>{"",
                                "ana",
                                "ana@",
                                "@example.org",
                                "ana@localhost",
                                "ana@example..org",
                                "ana@-example.org",
                                "ana@example-.org",
                                ".ana@example.org",
                                "ana.@example.org",
                                "a..b@example.org",
                                "\"quoted\"@example.org",
                                "ana@[127.0.0.1]",
                                "ana (c)@example.org",
                                "ana @example.org",
                                "ana@exa mple.org",
                                "anä@example.org",
                                "ana@exämple.org",
                                "ana@example.org\r\nRCPT TO:<x@y.org>",
                                "ana@example.org>",
                                "<ana@example.org>",
                                "a,b@example.org",
                                "ana@example.org\n",
                                std::string("ana\0@example.org", 16)}) {
    Status s = ValidateAddress(a, "to");
    ASSERT_FALSE(s.ok()) << a;
    EXPECT_EQ(s.error().code, "mail_invalid_address");
    EXPECT_EQ(s.error().field, "to");
  }
}

TEST(MailAddressTest, EnforcesRfc5321Lengths) {
  std::string local64(64, 'a');
  EXPECT_TRUE(ValidateAddress(local64 + "@example.org", "to").ok());
  EXPECT_FALSE(ValidateAddress(local64 + "a@example.org", "to").ok());
  std::string label63(63, 'b');
  EXPECT_TRUE(ValidateAddress("a@" + label63 + ".org", "to").ok());
  EXPECT_FALSE(ValidateAddress("a@" + label63 + "b.org", "to").ok());
  // 254 in all is the most; 255 is refused.
  std::string domain =
      label63 + "." + label63 + "." + label63 + "." + std::string(60, 'c');
  ASSERT_EQ(("a@" + domain).size(), 254u);
  EXPECT_TRUE(ValidateAddress("a@" + domain, "to").ok());
  EXPECT_FALSE(ValidateAddress("ab@" + domain, "to").ok());
}

TEST(MailAddressTest, DisplayNamesAreCleaned) {
  EXPECT_EQ(CleanDisplayName("Ana Ruiz"), "Ana Ruiz");
  EXPECT_EQ(CleanDisplayName("  Ana \r\n Ruiz\t"), "Ana Ruiz");
  EXPECT_EQ(CleanDisplayName(std::string("Ana\0Bcc: x", 10)), "Ana Bcc: x");
  EXPECT_EQ(CleanDisplayName("Ana\xc2\x85Ruiz"), "Ana Ruiz");  // NEL
  EXPECT_EQ(CleanDisplayName("Zoë 山田"), "Zoë 山田");
  EXPECT_EQ(CleanDisplayName("\r\n"), "");
  std::string long_name;
  for (int i = 0; i < 150; ++i) long_name += "é";  // 300 bytes
  std::string cut = CleanDisplayName(long_name);
  EXPECT_LE(cut.size(), kMaxDisplayNameBytes);
  EXPECT_EQ(cut.size() % 2, 0u);  // whole code points only
}

}  // namespace
}  // namespace rt::mail
