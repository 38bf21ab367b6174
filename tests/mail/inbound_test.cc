#include "mail/inbound.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/text.h"
#include "mail/automatic.h"
#include "mail/body_text.h"
#include "mail/reply_address.h"
#include "mail/reply_text.h"
#include "support/mime_reader.h"

namespace rt::mail {
namespace {

constexpr char kDomain[] = "mail.example.org";
constexpr char kToken[] = "Xq7Lm2Pz9Rt4Vb8Nc1Kd5Hf3";

const char* const kFixtures[] = {"apple_mail_iphone.eml",
                                 "bounce_dsn.eml",
                                 "german_reply_latin1.eml",
                                 "gmail_reply.eml",
                                 "mailing_list.eml",
                                 "malformed.eml",
                                 "new_discussion.eml",
                                 "not_a_message.eml",
                                 "out_of_office.eml",
                                 "outlook_desktop.eml",
                                 "outlook_mobile_html_only.eml",
                                 "reply_with_pdf.eml",
                                 "thunderbird_flowed.eml"};

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(RT_SOURCE_DIR) + "/tests/mail/fixtures/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

InboundMessage ParseFixture(const std::string& name) {
  std::string bytes = ReadFixture(name);
  Result<InboundMessage> m = ParseInbound(bytes);
  EXPECT_TRUE(m.ok()) << name << ": " << (m.ok() ? "" : m.error().message);
  return m.ok() ? std::move(m).value() : InboundMessage{};
}

// The reply a member would see posted: body text without quotes.
std::string Reply(const InboundMessage& m) { return ExtractReply(m.text); }

// The HTML alternative of a fixture, read by GMime independently of
// ParseInbound, cleaned the way an HTML-only message would be.
std::string HtmlReply(const std::string& name) {
  rt::testing::ParsedMessage parsed =
      rt::testing::ParseMessage(ReadFixture(name));
  for (const auto& part : parsed.parts) {
    if (part.content_type == "text/html")
      return ExtractReply(HtmlToText(part.text));
  }
  ADD_FAILURE() << name << " has no HTML part";
  return "";
}

std::string Code(const std::optional<AutomaticReason>& r) {
  return r ? r->code : "person";
}

// What every fixture of a person replying without files shares: typed by a
// person, nothing attached, and addressed to the thread's reply address.
void ExpectPersonReplyWithoutFiles(const InboundMessage& m) {
  EXPECT_EQ(Code(ClassifyAutomatic(m)), "person");
  EXPECT_TRUE(m.attachments.empty());
  EXPECT_TRUE(m.skipped.empty());
  auto t = FindTarget(m, kDomain);
  ASSERT_TRUE(t.ok()) << t.error().code;
  EXPECT_EQ(t->kind, TargetKind::kReply);
  EXPECT_EQ(t->token, kToken);
}

const char kGmailReply[] =
    "Hi Ana,\n\nWe saw the same thing when the Northside branch moved. Two "
    "things helped:\n\n- check where the sensor sits relative to the new "
    "entrance\n- compare against circulation for the same weeks\n\nOur "
    "write-up is here: https://riverside.example/reports/door-counts\n\n"
    "It\xE2\x80\x99s worth asking your vendor for the raw hourly data, too.\n\n"
    "Jane";

TEST(MailInboundTest, GmailReply) {
  InboundMessage m = ParseFixture("gmail_reply.eml");
  EXPECT_EQ(m.from.name, "Jane Doe");
  EXPECT_EQ(m.from.address, "jane.doe@riverside.example");
  EXPECT_EQ(m.subject, "Re: Counting visits after the branch move");
  EXPECT_EQ(m.message_id, "CAF3x9Lq+8dWn0QpZ2m@mail.gmail.com");
  EXPECT_EQ(m.in_reply_to, "post-97.k2j3@mail.example.org");
  EXPECT_EQ(m.references,
            (std::vector<std::string>{"thread-42.root@mail.example.org",
                                      "post-97.k2j3@mail.example.org"}));
  ASSERT_TRUE(m.date.has_value());
  EXPECT_EQ(ToUnix(*m.date), 1793715611);  // 2026-11-03T14:20:11Z
  EXPECT_EQ(m.return_path, "jane.doe@riverside.example");
  EXPECT_EQ(m.delivered_to, std::vector<std::string>{std::string("reply+") +
                                                     kToken + "@" + kDomain});
  EXPECT_EQ(m.content_type, "multipart/alternative");
  EXPECT_FALSE(m.text_from_html);
  EXPECT_EQ(Reply(m), kGmailReply);
  EXPECT_EQ(HtmlReply("gmail_reply.eml"), kGmailReply);
  ExpectPersonReplyWithoutFiles(m);
}

TEST(MailInboundTest, OutlookDesktopWindows1252) {
  InboundMessage m = ParseFixture("outlook_desktop.eml");
  EXPECT_EQ(m.subject, "RE: Counting visits after the branch move");
  EXPECT_EQ(
      Reply(m),
      "Hello Ana,\n\nWe saw a drop too. I\xE2\x80\x99ll bring our numbers to "
      "the call on Thursday \xE2\x80\x93 the\ncounter was mounted too high "
      "at the new door.\n\nRegards,\nMarcus\n\nMarcus Bell | Branch "
      "Manager\nLakeview Public Library");
  EXPECT_EQ(
      HtmlReply("outlook_desktop.eml"),
      "Hello Ana,\n\nWe saw a drop too. I\xE2\x80\x99ll bring our numbers to "
      "the call on Thursday \xE2\x80\x93 the counter was mounted too high "
      "at the new door.\n\nRegards,\n\nMarcus");
  ExpectPersonReplyWithoutFiles(m);
}

TEST(MailInboundTest, OutlookMobileHtmlOnly) {
  InboundMessage m = ParseFixture("outlook_mobile_html_only.eml");
  EXPECT_TRUE(m.text_from_html);
  EXPECT_EQ(m.content_type, "text/html");
  EXPECT_EQ(m.text.find("never shown"), std::string::npos);  // script gone
  EXPECT_EQ(
      Reply(m),
      "Thanks Ana & all \xF0\x9F\x99\x82 the hourly export is under Reports "
      "> Traffic.\n\nSteps that worked for us:\n\n1. Export the last 12 "
      "weeks\n2. Drop the days the door was propped open\n\nSee the vendor "
      "note (https://vendor.example/kb/1234).");
  ExpectPersonReplyWithoutFiles(m);
}

TEST(MailInboundTest, AppleMailIphone) {
  InboundMessage m = ParseFixture("apple_mail_iphone.eml");
  const char kWant[] =
      "Yes \xE2\x80\x94 we moved the counters in March and the numbers settled "
      "after\nabout six weeks. I can share our before/after chart.";
  EXPECT_EQ(Reply(m), kWant);
  EXPECT_EQ(
      HtmlReply("apple_mail_iphone.eml"),
      "Yes \xE2\x80\x94 we moved the counters in March and the numbers "
      "settled after about six weeks. I can share our before/after chart.");
  ExpectPersonReplyWithoutFiles(m);
}

TEST(MailInboundTest, ThunderbirdFlowedBottomPost) {
  InboundMessage m = ParseFixture("thunderbird_flowed.eml");
  EXPECT_EQ(
      Reply(m),
      "We had the same after our 2024 move. The new doors are automatic "
      "and the sensor counted each opening twice, so for a while our "
      "numbers went *up*, not down.\n\nTwo settings to check in the "
      "counter's admin page:\n\n```\nmin_interval_ms = 800\ndirection     "
      "  = in_only\n```\n\n >this line starts with a stuffed space and is "
      "not a quote");
  ExpectPersonReplyWithoutFiles(m);
}

TEST(MailInboundTest, ReplyWithPdfAndSignatureLogo) {
  InboundMessage m = ParseFixture("reply_with_pdf.eml");
  EXPECT_EQ(Reply(m),
            "Hi all,\n\nAttached are our visit counts for Q3, before and after "
            "the move.\n\nBest,\nSofia");
  ASSERT_EQ(m.attachments.size(), 1u);
  const InboundAttachment& pdf = m.attachments[0];
  // RFC 2231 name, UTF-8 en dash included.
  EXPECT_EQ(pdf.filename, "Visit counts Q3 \xE2\x80\x93 Eastbay.pdf");
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.size, 142u);
  EXPECT_EQ(pdf.bytes.size(), pdf.size);
  EXPECT_EQ(pdf.bytes.substr(0, 8), "%PDF-1.4");
  EXPECT_EQ(pdf.bytes.substr(pdf.size - 6), "%%EOF\n");
  // The logo the HTML shows by Content-ID is not an attachment.
  ASSERT_EQ(m.skipped.size(), 1u);
  EXPECT_EQ(m.skipped[0].filename, "image001.png");
  EXPECT_EQ(m.skipped[0].reason, "inline_image");
  EXPECT_EQ(m.skipped[0].size, 70u);
  EXPECT_EQ(Code(ClassifyAutomatic(m)), "person");
  EXPECT_EQ(FindTarget(m, kDomain)->token, kToken);
}

TEST(MailInboundTest, AttachmentLimitsSkipInsteadOfFailing) {
  InboundLimits limits;
  limits.max_attachment_bytes = 100;
  auto m = ParseInbound(ReadFixture("reply_with_pdf.eml"), limits);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->attachments.empty());
  ASSERT_EQ(m->skipped.size(), 2u);
  EXPECT_EQ(m->skipped[1].reason, "too_large");
  EXPECT_EQ(m->skipped[1].size, 142u);

  limits = InboundLimits{};
  limits.max_attachments = 0;
  m = ParseInbound(ReadFixture("reply_with_pdf.eml"), limits);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->attachments.empty());
  EXPECT_EQ(m->skipped.back().reason, "too_many");
}

TEST(MailInboundTest, OutOfOffice) {
  InboundMessage m = ParseFixture("out_of_office.eml");
  auto r = ClassifyAutomatic(m);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, AutomaticKind::kAutoReply);
  EXPECT_EQ(r->code, "auto_submitted");
  EXPECT_EQ(r->detail, "Auto-Submitted: auto-replied");
  EXPECT_TRUE(m.attachments.empty());

  // Without its headers the subject still gives it away.
  std::string bytes = ReadFixture("out_of_office.eml");
  for (const char* h : {"Auto-Submitted: auto-replied\r\n",
                        "X-Auto-Response-Suppress: All\r\n"}) {
    size_t at = bytes.find(h);
    ASSERT_NE(at, std::string::npos);
    bytes.erase(at, std::string(h).size());
  }
  auto stripped = ParseInbound(bytes);
  ASSERT_TRUE(stripped.ok());
  EXPECT_EQ(Code(ClassifyAutomatic(*stripped)), "autoreply_subject");
}

TEST(MailInboundTest, BounceReport) {
  InboundMessage m = ParseFixture("bounce_dsn.eml");
  EXPECT_EQ(m.return_path, "");
  EXPECT_EQ(m.content_type, "multipart/report");
  EXPECT_EQ(m.report_type, "delivery-status");
  auto r = ClassifyAutomatic(m);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, AutomaticKind::kBounce);
  EXPECT_EQ(r->code, "null_sender");
  ASSERT_EQ(m.delivery_status.size(), 1u);
  EXPECT_EQ(m.delivery_status[0].recipient, "old.address@riverside.example");
  EXPECT_EQ(m.delivery_status[0].action, "failed");
  EXPECT_EQ(m.delivery_status[0].status, "5.1.1");
  EXPECT_EQ(m.delivery_status[0].diagnostic, "smtp; 550 5.1.1 User unknown");
  // The returned headers are not an attachment.
  EXPECT_TRUE(m.attachments.empty());
  EXPECT_TRUE(m.skipped.empty());
  EXPECT_EQ(m.text.find("Undelivered Message Headers"), std::string::npos);
  EXPECT_EQ(FindTarget(m, kDomain).error().code, "mail_unknown_address");
}

TEST(MailInboundTest, MailingList) {
  InboundMessage m = ParseFixture("mailing_list.eml");
  auto r = ClassifyAutomatic(m);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, AutomaticKind::kMailingList);
  EXPECT_EQ(r->code, "precedence");
  EXPECT_EQ(std::string(m.Header("list-id").value_or("")),
            "Library statistics discussion <statlib.lists.libstats.example>");
  EXPECT_TRUE(m.attachments.empty());
}

TEST(MailInboundTest, GermanLatin1Reply) {
  InboundMessage m = ParseFixture("german_reply_latin1.eml");
  EXPECT_EQ(m.from.name, "J\xC3\xB6rg M\xC3\xBCller");
  EXPECT_EQ(m.subject, "Re: Besucherz\xC3\xA4hlung nach dem Umzug");
  EXPECT_EQ(
      Reply(m),
      "Hallo Ana,\n\nbei uns war es genauso: nach dem Umzug z\xC3\xA4hlte der "
      "Sensor nur noch die\nH\xC3\xA4lfte der Besucher. Wir haben ihn "
      "n\xC3\xA4her an die T\xC3\xBCr gesetzt.\n\nViele Gr\xC3\xBC\xC3\x9F"
      "e\n"
      "J\xC3\xB6rg");
  ExpectPersonReplyWithoutFiles(m);
}

TEST(MailInboundTest, NewDiscussionToGroupAddress) {
  InboundMessage m = ParseFixture("new_discussion.eml");
  auto t = FindTarget(m, kDomain);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->kind, TargetKind::kNewDiscussion);
  EXPECT_EQ(t->group_slug, "data-measurement");
  EXPECT_EQ(m.cc.size(), 1u);
  EXPECT_EQ(
      Reply(m),
      "Does anyone compare program attendance with a peer group?\n\nWe "
      "count heads at the door, but I would like a fair comparison.\n\nAna");
  EXPECT_EQ(Code(ClassifyAutomatic(m)), "person");
  EXPECT_TRUE(m.attachments.empty());
}

TEST(MailInboundTest, MalformedButReadable) {
  InboundMessage m = ParseFixture("malformed.eml");
  EXPECT_EQ(m.from.address, "broken@client.example");
  // Raw 8-bit Latin-1 read as such; NUL and CR gone.
  EXPECT_EQ(m.subject, "Caf\xC3\xA9 numbers and more");
  EXPECT_EQ(m.message_id, "");  // "<not a valid id>" is dropped
  EXPECT_FALSE(m.date.has_value());
  EXPECT_EQ(Reply(m),
            "Numbers for the caf\xEF\xBF\xBD branch. Still counting.\nBell and "
            "escape removed.");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "passwd");  // no directory part
  EXPECT_EQ(m.attachments[0].content_type, "application/octet-stream");
  EXPECT_EQ(m.attachments[0].bytes, "Hello!");
  EXPECT_EQ(Code(ClassifyAutomatic(m)), "person");
}

TEST(MailInboundTest, NotAMessage) {
  auto m = ParseInbound(ReadFixture("not_a_message.eml"));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "mail_not_a_message");
  EXPECT_EQ(m.error().kind, ErrorKind::kInvalidInput);
}

TEST(MailInboundTest, ClearErrors) {
  auto expect_error = [](std::string_view bytes, const char* code,
                         InboundLimits limits = {}) {
    auto m = ParseInbound(bytes, limits);
    ASSERT_FALSE(m.ok()) << code;
    EXPECT_EQ(m.error().code, code);
    EXPECT_FALSE(m.error().message.empty());
  };
  expect_error("", "mail_empty");
  expect_error(" \r\n\r\n", "mail_empty");
  expect_error("Subject: no sender\r\n\r\nhi\r\n", "mail_no_sender");
  expect_error("From: nobody\r\n\r\nhi\r\n", "mail_no_sender");
  expect_error("<html><body>hi</body></html>", "mail_not_a_message");
  expect_error(std::string("\0\0\0\0", 4), "mail_not_a_message");
  InboundLimits small;
  small.max_message_bytes = 1000;
  expect_error(ReadFixture("gmail_reply.eml"), "mail_too_large", small);
}

std::string ManyParts(int parts) {
  std::string s =
      "From: a@example.org\r\nContent-Type: multipart/mixed; "
      "boundary=b\r\n\r\n";
  for (int i = 0; i < parts; ++i)
    s += "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n";
  return s + "--b--\r\n";
}

std::string Nested(int depth) {
  std::string s = "From: a@example.org\r\n";
  for (int i = 0; i < depth; ++i) {
    s += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) +
         "\r\n\r\n--b" + std::to_string(i) + "\r\n";
  }
  return s + "Content-Type: text/plain\r\n\r\ndeep\r\n";
}

TEST(MailInboundTest, StructuralLimits) {
  // 10,000 parts: refused from the raw bytes, before GMime builds them.
  auto m = ParseInbound(ManyParts(10'000));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "mail_too_many_parts");
  EXPECT_EQ(m.error().kind, ErrorKind::kTooLarge);
  // Under the raw-bytes bound but over max_parts: refused on the tree.
  InboundLimits limits;
  limits.max_parts = 100;
  m = ParseInbound(ManyParts(150), limits);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "mail_too_many_parts");
  EXPECT_TRUE(ParseInbound(ManyParts(50), limits).ok());

  m = ParseInbound(Nested(100));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "mail_too_deep");
  auto shallow = ParseInbound(Nested(5));
  ASSERT_TRUE(shallow.ok());
  EXPECT_EQ(shallow->text, "deep\n");

  std::string headers = "From: a@example.org\r\n";
  for (int i = 0; i < 1000; ++i)
    headers += "X-Filler: " + std::to_string(i) + "\r\n";
  m = ParseInbound(headers + "\r\nbody\r\n");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "mail_too_many_headers");

  // 30 MB is refused by size alone.
  m = ParseInbound(std::string(30 * 1024 * 1024, 'a'));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "mail_too_large");
}

TEST(MailInboundTest, DeliveryFormsAreAccepted) {
  std::string crlf = ReadFixture("new_discussion.eml");
  std::string lf = crlf;
  std::erase(lf, '\r');
  auto a = ParseInbound(crlf);
  auto b = ParseInbound(lf);
  auto c = ParseInbound(
      "From ana.ruiz@eastside.example  Thu Nov  5 16:00:00 2026\n" + lf);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->text, b->text);
  EXPECT_EQ(a->text, c->text);
  EXPECT_EQ(c->from.address, "ana.ruiz@eastside.example");
  EXPECT_EQ(a->return_path, "ana.ruiz@eastside.example");
  EXPECT_EQ(a->x_original_to,
            std::vector<std::string>{"data-measurement@mail.example.org"});
}

TEST(MailInboundTest, CharsetsAreDecoded) {
  auto body = [](const std::string& charset, const std::string& cte,
                 const std::string& content) {
    auto m = ParseInbound(
        "From: a@example.org\r\nContent-Type: text/plain; charset=" + charset +
        "\r\nContent-Transfer-Encoding: " + cte + "\r\n\r\n" + content);
    EXPECT_TRUE(m.ok());
    return m.ok() ? m->text : std::string();
  };
  EXPECT_EQ(body("iso-8859-1", "quoted-printable", "caf=E9 =93q=94\r\n"),
            "caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D\n");
  EXPECT_EQ(body("windows-1252", "8bit",
                 "9\x96"
                 "5\r\n"),
            "9\xE2\x80\x93"
            "5\n");
  EXPECT_EQ(body("utf-8", "base64", "Y2Fmw6k=\r\n"), "caf\xC3\xA9");
  EXPECT_EQ(body("iso-8859-15", "quoted-printable", "=A4\r\n"),
            "\xE2\x82\xAC\n");
  EXPECT_EQ(body("koi8-r", "8bit", "\xF0\xD2\xC9\xD7\xC5\xD4\r\n"),
            "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82\n");
  // Unknown charsets: UTF-8 when it is valid, else Windows-1252.
  EXPECT_EQ(body("x-made-up", "8bit", "caf\xC3\xA9\r\n"), "caf\xC3\xA9\n");
  EXPECT_EQ(body("x-made-up", "8bit", "caf\xE9\r\n"), "caf\xC3\xA9\n");
  // Invalid UTF-8 and NUL bytes are repaired, never passed on.
  std::string bad = body("utf-8", "8bit", std::string("a\xC3\x28z\0!\r\n", 7));
  EXPECT_EQ(bad, "a\xEF\xBF\xBD(z!\n");
}

// Inputs built to make a careless parser quadratic finish quickly (a slip
// here shows as a test timeout).
TEST(MailInboundTest, HostileBodiesStayLinear) {
  const std::string head =
      "From: a@example.org\r\nContent-Type: text/html; charset=utf-8\r\n\r\n";
  for (const std::string& unit :
       {std::string("&"), std::string("<a href=\"x\">"),
        std::string("<script></x>"), std::string("cid:"),
        std::string("<blockquote>"), std::string("<li>")}) {
    std::string body;
    while (body.size() < 4 * 1024 * 1024) body += unit;
    auto m = ParseInbound(head + body);
    ASSERT_TRUE(m.ok()) << unit;
    EXPECT_TRUE(text::IsValidUtf8(ExtractReply(m->text))) << unit;
  }
  std::string lines;
  while (lines.size() < 4 * 1024 * 1024) lines += "On 3 May 2026, x wrote:\n\n";
  // Each such line is followed by text, not quotes, so it stays.
  EXPECT_EQ(ExtractReply(lines).rfind("On 3 May 2026, x wrote:\n\nOn 3 May", 0),
            0u);
}

// Every fixture, cut short and damaged in many deterministic ways, must
// parse or fail with a clear error: no crash, no hang, no invalid text.
TEST(MailInboundTest, FuzzedFixturesNeverCrash) {
  std::mt19937 rng(20261103);
  const std::set<std::string> allowed = {
      "mail_empty",           "mail_not_a_message",  "mail_no_sender",
      "mail_too_large",       "mail_too_many_parts", "mail_too_deep",
      "mail_too_many_headers"};
  const std::string noise = std::string("\0\r\n-=<>:;\"\\\x80\xFF\xC3 b", 17);
  int cases = 0, parsed = 0;
  for (const char* name : kFixtures) {
    const std::string original = ReadFixture(name);
    ASSERT_FALSE(original.empty());
    for (int i = 0; i < 250; ++i, ++cases) {
      std::string s = original;
      int edits = 1 + static_cast<int>(rng() % 8);
      for (int e = 0; e < edits && !s.empty(); ++e) {
        size_t at = rng() % s.size();
        switch (rng() % 6) {
          case 0:
            s.resize(at);
            break;  // truncate
          case 1:
            s[at] = static_cast<char>(rng());
            break;  // flip
          case 2:
            s.insert(at, 1, noise[rng() % noise.size()]);
            break;  // insert
          case 3:
            s.erase(at, rng() % 64);
            break;  // delete
          case 4:
            s.insert(at, s.substr(at, rng() % 200));
            break;  // repeat
          case 5:
            s.insert(at, "\r\n--" + std::string(rng() % 3, '-'));
            break;
        }
      }
      auto m = ParseInbound(s);
      if (!m.ok()) {
        EXPECT_TRUE(allowed.count(m.error().code))
            << name << " #" << i << ": " << m.error().code;
        EXPECT_FALSE(m.error().message.empty());
        continue;
      }
      ++parsed;
      ASSERT_TRUE(text::IsValidUtf8(m->text)) << name << " #" << i;
      ASSERT_FALSE(text::HasControlChars(m->text, true)) << name << " #" << i;
      for (const std::string* line :
           {&m->subject, &m->from.name, &m->from.address, &m->message_id}) {
        ASSERT_TRUE(text::IsValidUtf8(*line)) << name << " #" << i;
        ASSERT_FALSE(text::HasControlChars(*line, false)) << name << " #" << i;
      }
      for (const auto& a : m->attachments) {
        ASSERT_EQ(a.bytes.size(), a.size);
        ASSERT_FALSE(a.filename.empty());
        ASSERT_EQ(a.filename.find('/'), std::string::npos);
        ASSERT_FALSE(text::HasControlChars(a.filename, false));
      }
      std::string reply = ExtractReply(m->text);
      ASSERT_TRUE(text::IsValidUtf8(reply));
      (void)ClassifyAutomatic(*m);
      (void)FindTarget(*m, kDomain);
    }
  }
  EXPECT_EQ(cases, 13 * 250);
  // The mutations must leave most messages readable, or this tests nothing
  // but the error paths.
  EXPECT_GT(parsed, cases / 2);
}

}  // namespace
}  // namespace rt::mail
