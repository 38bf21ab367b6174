#include "domain/resources/resource.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

using namespace resources;

TEST(ResourceTest, TagsAreNormalisedDedupedAndBounded) {
  auto t = NormaliseTags(" Early Years, grants,,early-years , Story_Time ");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t,
            (std::vector<std::string>{"early-years", "grants", "story-time"}));
  EXPECT_TRUE(NormaliseTags("")->empty());
  EXPECT_EQ(NormaliseTags("lecture, café")->at(1), "café");
  EXPECT_EQ(NormaliseTags("a<b").error().code, "invalid_tag");
  EXPECT_EQ(NormaliseTags("../etc").error().code, "invalid_tag");
  EXPECT_EQ(NormaliseTags(std::string(40, 'a')).error().code, "tag_too_long");
  EXPECT_EQ(NormaliseTags("a,b,c,d,e,f,g,h,i").error().code, "too_many_tags");
  EXPECT_EQ(NormaliseTags("a,b,c,d,e,f,g,h,a").value().size(), 8u);
  EXPECT_EQ(NormaliseTag("Story Time"), "story-time");
  EXPECT_FALSE(NormaliseTag("  "));
}

TEST(ResourceTest, OnlyWebLinksAreAccepted) {
  EXPECT_EQ(*ValidateLinkUrl(" https://example.org/a?b=c#d "),
            "https://example.org/a?b=c#d");
  EXPECT_EQ(*ValidateLinkUrl("HTTP://Example.org"), "HTTP://Example.org");
  for (const char* bad :
       {"javascript:alert(1)", "JaVa\tScRiPt:alert(1)", "data:text/html,x",
        "ftp://example.org", "vbscript:x", "file:///etc/passwd"}) {
    auto r = ValidateLinkUrl(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kRuleBroken) << bad;
    EXPECT_EQ(r.error().code, "url_scheme_not_allowed") << bad;
    EXPECT_EQ(r.error().field, "url");
  }
  for (const char* bad : {"example.org", "/relative", "https:/x", "https:///x",
                          "https://a b", "https://a\x01"}) {
    auto r = ValidateLinkUrl(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput) << bad;
  }
  EXPECT_EQ(ValidateLinkUrl("").error().code, "url_required");
  EXPECT_EQ(
      ValidateLinkUrl("https://e.org/" + std::string(3000, 'a')).error().code,
      "url_too_long");
}

TEST(ResourceTest, FileNamesAreCleanedForDisplayOnly) {
  EXPECT_EQ(CleanFileName("report.pdf"), "report.pdf");
  EXPECT_EQ(CleanFileName("../../etc/passwd"), "passwd");
  EXPECT_EQ(CleanFileName("..\\..\\boot.ini"), "boot.ini");
  EXPECT_EQ(CleanFileName(std::string("a\0b.pdf", 7)), "ab.pdf");
  EXPECT_EQ(CleanFileName("bad\r\nname.txt"), "badname.txt");
  // U+202E RIGHT-TO-LEFT OVERRIDE would show "evil\u202Efdp.exe" as
  // "evilexe.pdf".
  EXPECT_EQ(CleanFileName("evil\xE2\x80\xAE"
                          "fdp.exe"),
            "evilfdp.exe");
  EXPECT_EQ(CleanFileName("x\xE2\x81\xA6y.pdf"), "xy.pdf");  // U+2066 isolate
  EXPECT_EQ(CleanFileName(".hidden"), "hidden");
  EXPECT_EQ(CleanFileName(".."), "file");
  EXPECT_EQ(CleanFileName(""), "file");
  EXPECT_EQ(CleanFileName("say \"hi\".txt"), "say 'hi'.txt");
  EXPECT_EQ(CleanFileName("bad\xff.pdf"), "bad\xEF\xBF\xBD.pdf");
  EXPECT_LE(CleanFileName(std::string(400, 'a') + ".pdf").size(),
            kMaxFileNameBytes);
  EXPECT_EQ(FileExtension("A.Report.PDF"), "pdf");
  EXPECT_EQ(FileExtension("noext"), "");
}

TEST(ResourceTest, TitlesDescriptionsLicencesAndStaleness) {
  EXPECT_EQ(*ValidateTitle("  A guide "), "A guide");
  EXPECT_EQ(ValidateTitle(" ").error().code, "title_required");
  EXPECT_EQ(ValidateTitle(std::string(201, 'a')).error().code,
            "title_too_long");
  EXPECT_EQ(ValidateTitle("a\x01").error().code, "invalid_title");
  EXPECT_EQ(ValidateDescription(std::string(20001, 'a')).error().kind,
            ErrorKind::kTooLarge);
  EXPECT_TRUE(ValidateDescription("line\nline").ok());
  EXPECT_EQ(AllLicenses().size(), 8u);
  for (License l : AllLicenses()) EXPECT_EQ(ParseLicense(ToString(l)), l);
  EXPECT_FALSE(ParseLicense("gpl"));
  EXPECT_EQ(LicenseUrl(License::kAllRightsReserved), "");
  TimePoint now = FromUnix(1772366400);
  EXPECT_FALSE(IsStale(now - std::chrono::hours(24 * 364), now));
  EXPECT_TRUE(IsStale(now - std::chrono::hours(24 * 366), now));
}

}  // namespace
}  // namespace rt
