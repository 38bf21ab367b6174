#include "mail/smtp_sender.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "mail/outgoing.h"
#include "support/mime_reader.h"
#include "support/smtp_capture.h"
#include "support/temp_dir.h"

namespace rt::mail {
namespace {

using rt::testing::CapturedMail;
using rt::testing::SmtpCapture;
using rt::testing::SmtpCaptureOptions;

std::unique_ptr<SmtpSender> MakeSender(
    const std::string& url,
    std::chrono::milliseconds total = std::chrono::seconds(20)) {
  SmtpOptions options;
  options.url = url;
  options.connect_timeout = std::chrono::seconds(5);
  options.total_timeout = total;
  auto sender = SmtpSender::Create(options);
  EXPECT_TRUE(sender.ok()) << (sender.ok() ? "" : sender.error().message);
  return sender.ok() ? std::move(sender).value() : nullptr;
}

std::string RenderedSample() {
  OutgoingMessage m;
  m.from = {"Data and Measurement", "groups@mail.example.org"};
  m.to = {{"Ana Ruiz", "ana@example.org"}};
  m.subject = "Counting visits — après le déménagement";
  // Lines that SMTP must dot-stuff on the way and unstuff on arrival.
  m.text_body = "Hello Ana,\n.\n..two dots\n.leading dot\n" +
                std::string(3000, 'x') + "\n";
  m.html_body = "<p>Hello Ana</p>";
  m.message_id = "post-1.abc@mail.example.org";
  m.date = FromUnix(1772366400);
  auto bytes = Render(m);
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? *bytes : "";
}

// A message whose body lines start with dots even before MIME encoding.
const char kDotty[] =
    "From: a@example.org\r\nTo: b@example.org\r\nSubject: dots\r\n\r\n"
    ".\r\n..\r\n.x\r\nend\r\n";

const Envelope kEnvelope{"a@example.org", {"b@example.org"}};

// A new sender for `url` that sends kDotty to kEnvelope once.
Result<SendReceipt> SendOnce(const std::string& url) {
  auto sender = MakeSender(url);
  if (sender == nullptr)
    return MakeError(ErrorKind::kInternal, "no_sender", url);
  return sender->Send(kEnvelope, kDotty);
}

#define ASSERT_CAPTURE_OK(capture) \
  ASSERT_TRUE((capture).ok()) << (capture).error()

TEST(MailSmtpSenderTest, DeliversTheExactBytesWithASeparateEnvelope) {
  SmtpCapture capture;
  ASSERT_CAPTURE_OK(capture);
  auto sender = MakeSender(capture.url());
  ASSERT_NE(sender, nullptr);
  std::string message = RenderedSample();
  // The envelope is not the headers: bounces go to a VERP-style address and
  // the recipient differs from To.
  Envelope envelope{"bounces+42@mail.example.org", {"ana.private@example.net"}};
  auto receipt = sender->Send(envelope, message);
  ASSERT_TRUE(receipt.ok())
      << receipt.error().code << ": " << receipt.error().message;
  EXPECT_EQ(receipt->smtp_code, 250);
  EXPECT_NE(receipt->reply.find("queued as capture-1"), std::string::npos)
      << receipt->reply;

  auto received =
      sender->Send({"", {"b@example.org", "c@example.org"}}, kDotty);
  ASSERT_TRUE(received.ok()) << received.error().message;

  std::vector<CapturedMail> mails = capture.Messages();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[0].mail_from, "bounces+42@mail.example.org");
  EXPECT_EQ(mails[0].rcpt_to,
            std::vector<std::string>{"ana.private@example.net"});
  EXPECT_EQ(mails[0].raw, message);
  EXPECT_FALSE(mails[0].secure);
  EXPECT_EQ(mails[0].auth_user, "");
  auto parsed = rt::testing::ParseMessage(mails[0].raw);
  ASSERT_EQ(parsed.to.size(), 1u);
  EXPECT_EQ(parsed.to[0].address, "ana@example.org");

  EXPECT_EQ(mails[1].mail_from, "");  // null reverse-path "<>"
  EXPECT_EQ(mails[1].rcpt_to,
            (std::vector<std::string>{"b@example.org", "c@example.org"}));
  EXPECT_EQ(mails[1].raw, kDotty);
}

TEST(MailSmtpSenderTest, OneSenderSendsManyMessages) {
  SmtpCapture capture;
  ASSERT_CAPTURE_OK(capture);
  auto sender = MakeSender(capture.url());
  ASSERT_NE(sender, nullptr);
  for (int i = 0; i < 5; ++i) {
    std::string body = "Subject: n" + std::to_string(i) + "\r\n\r\nmessage " +
                       std::to_string(i) + "\r\n";
    auto r = sender->Send({"a@example.org", {"b@example.org"}}, body);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  auto mails = capture.Messages();
  ASSERT_EQ(mails.size(), 5u);
  EXPECT_EQ(mails[4].raw, "Subject: n4\r\n\r\nmessage 4\r\n");
}

TEST(MailSmtpSenderTest, AuthenticatesWithPercentDecodedCredentials) {
  SmtpCaptureOptions options;
  options.auth = "sender@example.org:p@ss:w/rd %";
  options.insecure_auth = true;
  SmtpCapture capture(options);
  ASSERT_CAPTURE_OK(capture);
  std::string userinfo = "sender%40example.org:p%40ss%3Aw%2Frd%20%25";
  auto r = SendOnce("smtp://" + userinfo + "@127.0.0.1:" +
                    std::to_string(capture.port()) + "/?starttls=never");
  ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  auto mails = capture.Messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].auth_user, "sender@example.org");
}

TEST(MailSmtpSenderTest, RefusedCredentialsAreAMisconfiguration) {
  SmtpCaptureOptions options;
  options.auth = "sender:right";
  options.insecure_auth = true;
  SmtpCapture capture(options);
  ASSERT_CAPTURE_OK(capture);
  auto r = SendOnce("smtp://sender:wrong@127.0.0.1:" +
                    std::to_string(capture.port()) + "?starttls=never");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kSmtpMisconfigured);
  EXPECT_NE(r.error().message.find("535"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(r.error().message.find("wrong"),
            std::string::npos);  // no password in logs
  EXPECT_TRUE(IsRetryable(r.error()));
  EXPECT_TRUE(capture.Messages().empty());

  // Without credentials the server requires, it is refused too.
  auto anonymous = MakeSender(capture.url());
  ASSERT_NE(anonymous, nullptr);
  r = anonymous->Send(kEnvelope, kDotty);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(capture.Messages().empty());
}

TEST(MailSmtpSenderTest, CredentialsAreNotSentInClearByDefault) {
  SmtpCaptureOptions options;
  options.auth = "sender:secret";
  options.insecure_auth = true;
  SmtpCapture capture(options);  // offers no STARTTLS
  ASSERT_CAPTURE_OK(capture);
  auto r = SendOnce("smtp://sender:secret@127.0.0.1:" +
                    std::to_string(capture.port()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kSmtpMisconfigured);
  EXPECT_NE(r.error().message.find("STARTTLS"), std::string::npos)
      << r.error().message;
  EXPECT_TRUE(capture.Messages().empty());
}

TEST(MailSmtpSenderTest, RecipientRefusalsAreClassified) {
  SmtpCaptureOptions options;
  options.reject = {{"nobody@example.org", 550},
                    {"greylisted@example.org", 451}};
  SmtpCapture capture(options);
  ASSERT_CAPTURE_OK(capture);
  auto sender = MakeSender(capture.url());
  ASSERT_NE(sender, nullptr);

  auto r = sender->Send({"a@example.org", {"nobody@example.org"}}, kDotty);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kSmtpPermanent);
  EXPECT_EQ(r.error().kind, ErrorKind::kRuleBroken);
  EXPECT_EQ(r.error().field, "rcpt_to");
  EXPECT_NE(r.error().message.find("nobody@example.org"), std::string::npos);
  EXPECT_NE(r.error().message.find("550 No such user here"), std::string::npos)
      << r.error().message;
  EXPECT_FALSE(IsRetryable(r.error()));

  r = sender->Send({"a@example.org", {"greylisted@example.org"}}, kDotty);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kSmtpTransient);
  EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(r.error().message.find("451"), std::string::npos)
      << r.error().message;
  EXPECT_TRUE(IsRetryable(r.error()));

  // All or nothing: one refused recipient stops the whole message.
  r = sender->Send({"a@example.org", {"b@example.org", "nobody@example.org"}},
                   kDotty);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kSmtpPermanent);
  EXPECT_TRUE(capture.Messages().empty());

  // The sender recovers: the next message goes through.
  r = sender->Send(kEnvelope, kDotty);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(capture.Messages().size(), 1u);
}

TEST(MailSmtpSenderTest, DataRefusalsAreClassified) {
  for (int code : {554, 452}) {
    SmtpCaptureOptions options;
    options.reject_data = code;
    SmtpCapture capture(options);
    ASSERT_CAPTURE_OK(capture);
    auto r = SendOnce(capture.url());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, code >= 500 ? kSmtpPermanent : kSmtpTransient)
        << code;
    if (code >= 500) {
      EXPECT_EQ(r.error().field, "message");
    }
    EXPECT_NE(r.error().message.find(std::to_string(code)), std::string::npos)
        << r.error().message;
  }
}

TEST(MailSmtpSenderTest, ClosedPortIsTransient) {
  auto sender =
      MakeSender("smtp://127.0.0.1:" + std::to_string(testing::UnusedPort()));
  ASSERT_NE(sender, nullptr);
  auto start = std::chrono::steady_clock::now();
  auto r = sender->Send(kEnvelope, kDotty);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kSmtpTransient);
  EXPECT_GT(r.error().retry_after_seconds, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(MailSmtpSenderTest, ASilentServerTimesOutWithinTheBound) {
  testing::SilentListener silent;
  auto sender = MakeSender("smtp://127.0.0.1:" + std::to_string(silent.port()),
                           std::chrono::milliseconds(1500));
  ASSERT_NE(sender, nullptr);
  auto start = std::chrono::steady_clock::now();
  auto r = sender->Send(kEnvelope, kDotty);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kSmtpTransient);
  EXPECT_NE(r.error().message.find("in time"), std::string::npos)
      << r.error().message;
  EXPECT_GE(elapsed, std::chrono::milliseconds(1400));
  EXPECT_LT(elapsed, std::chrono::milliseconds(4000));
}

class MailSmtpTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error = testing::MakeSelfSignedCert(dir_.path());
    ASSERT_EQ(error, "");
    key_ = dir_.path() + "/key.pem";
    cert_ = dir_.path() + "/cert.pem";
  }
  SmtpCaptureOptions TlsOptions() {
    SmtpCaptureOptions options;
    options.tls_key = key_;
    options.tls_cert = cert_;
    return options;
  }
  testing::TempDir dir_;
  std::string key_, cert_;
};

TEST_F(MailSmtpTlsTest, StartTlsRequiredAndOpportunistic) {
  SmtpCapture capture(TlsOptions());
  ASSERT_CAPTURE_OK(capture);
  std::string base = capture.url() + "/?cafile=" + cert_;
  for (std::string mode : {"&starttls=required", "&starttls=try", ""}) {
    auto r = SendOnce(base + mode);
    ASSERT_TRUE(r.ok()) << mode << ": " << r.error().message;
  }
  ASSERT_TRUE(SendOnce(base + "&starttls=never").ok());

  auto mails = capture.Messages();
  ASSERT_EQ(mails.size(), 4u);
  EXPECT_TRUE(mails[0].secure);
  EXPECT_TRUE(mails[1].secure);
  EXPECT_TRUE(mails[2].secure);
  EXPECT_FALSE(mails[3].secure);
  EXPECT_EQ(mails[0].raw, kDotty);
}

TEST_F(MailSmtpTlsTest, StartTlsWithAuth) {
  SmtpCaptureOptions options = TlsOptions();
  options.auth = "sender:secret";  // AUTH only after STARTTLS
  SmtpCapture capture(options);
  ASSERT_CAPTURE_OK(capture);
  auto r = SendOnce("smtp://sender:secret@127.0.0.1:" +
                    std::to_string(capture.port()) + "?cafile=" + cert_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto mails = capture.Messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_TRUE(mails[0].secure);
  EXPECT_EQ(mails[0].auth_user, "sender");
}

TEST_F(MailSmtpTlsTest, UntrustedCertificateIsAMisconfiguration) {
  SmtpCapture capture(TlsOptions());
  ASSERT_CAPTURE_OK(capture);
  // The system store does not know the throwaway CA.
  auto r = SendOnce(capture.url() + "?starttls=required");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kSmtpMisconfigured) << r.error().message;
  EXPECT_TRUE(capture.Messages().empty());
}

TEST_F(MailSmtpTlsTest, ImplicitTls) {
  SmtpCaptureOptions options = TlsOptions();
  options.implicit_tls = true;
  SmtpCapture capture(options);
  ASSERT_CAPTURE_OK(capture);
  auto sender =
      MakeSender("smtps://127.0.0.1:" + std::to_string(capture.port()) +
                 "?cafile=" + cert_);
  ASSERT_NE(sender, nullptr);
  auto r = sender->Send(kEnvelope, kDotty);
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto mails = capture.Messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_TRUE(mails[0].secure);
  EXPECT_EQ(mails[0].raw, kDotty);
}

TEST(MailSmtpSenderTest, RefusesBadUrls) {
  for (const std::string url :
       {"", "http://127.0.0.1:25", "smtp://",
        "smtp://h.example.org?starttls=maybe", "smtp://h.example.org?verify=no",
        "smtp://user@h.example.org", "smtp://h.example.org#x",
        "smtp://h.example.org\r\n", "smtps://h.example.org?starttls=try",
        "not a url"}) {
    SmtpOptions options;
    options.url = url;
    auto sender = SmtpSender::Create(options);
    ASSERT_FALSE(sender.ok()) << url;
    EXPECT_EQ(sender.error().code, kSmtpMisconfigured) << url;
    EXPECT_EQ(sender.error().field, "smtp_url");
  }
  SmtpOptions options;
  options.url = "smtp://127.0.0.1:2525";
  options.total_timeout = std::chrono::milliseconds(0);
  EXPECT_FALSE(SmtpSender::Create(options).ok());
}

TEST(MailSmtpSenderTest, RefusesBadEnvelopesAndBareNewlinesBeforeConnecting) {
  SmtpCapture capture;
  ASSERT_CAPTURE_OK(capture);
  auto sender = MakeSender(capture.url());
  ASSERT_NE(sender, nullptr);
  auto code_of = [&](const Envelope& e, std::string_view message) {
    auto r = sender->Send(e, message);
    return r.ok() ? std::string("(sent)")
                  : r.error().code + " " + r.error().field;
  };
  EXPECT_EQ(
      code_of({"a@example.org", {"b@example.org>\r\nRCPT TO:<c@example.org"}},
              kDotty),
      "mail_invalid_address rcpt_to");
  EXPECT_EQ(code_of({"a@example.org\r\nRSET", {"b@example.org"}}, kDotty),
            "mail_invalid_address mail_from");
  EXPECT_EQ(code_of({"a@example.org", {}}, kDotty), "mail_missing rcpt_to");
  // A bare LF could end DATA early on some servers (SMTP smuggling).
  EXPECT_EQ(code_of({"a@example.org", {"b@example.org"}},
                    "Subject: x\r\n\r\nhi\n.\nMAIL FROM:<x>\r\n"),
            "mail_bare_newline message");
  EXPECT_EQ(
      code_of({"a@example.org", {"b@example.org"}}, "Subject: x\r\n\r\nhi\r"),
      "mail_bare_newline message");
  EXPECT_TRUE(capture.Messages().empty());
}

}  // namespace
}  // namespace rt::mail
