#include "mail/reply_text.h"

#include <gtest/gtest.h>

#include <string>

namespace rt::mail {
namespace {

struct Case {
  const char* name;
  std::string input;
  std::string want;
};

class MailReplyTextTest : public ::testing::TestWithParam<Case> {};

TEST_P(MailReplyTextTest, Extracts) {
  EXPECT_EQ(ExtractReply(GetParam().input), GetParam().want) << GetParam().name;
}

const Case kCases[] = {
    {"plain_text_untouched", "Hello\n\nSecond paragraph.",
     "Hello\n\nSecond paragraph."},
    {"gmail_attribution",
     "Thanks!\n\nOn Tue, 3 Nov 2026 at 14:02, Jane Doe <jane@x.org> wrote:\n\n"
     "> original\n> more\n",
     "Thanks!"},
    {"gmail_attribution_wrapped",
     "Thanks!\n\nOn Tue, 3 Nov 2026 at 14:02, Data and Measurement <\n"
     "reply+abc@mail.example.org> wrote:\n\n> original\n",
     "Thanks!"},
    {"attribution_wrapped_over_three_lines",
     "Yes.\n\nOn Tuesday, November 3, 2026,\n02:02:03 PM EST, Jane Doe\n"
     "<jane@x.org> wrote:\n> q\n",
     "Yes."},
    {"apple_mail",
     "Sure.\n\n> On 3 Nov 2026, at 14:02, Jane Doe <jane@x.org> "
     "wrote:\n> \n> original\n",
     "Sure."},
    {"thunderbird_top", "OK\n\nOn 11/3/26 2:02 PM, Jane Doe wrote:\n> q\n",
     "OK"},
    {"thunderbird_bottom_posting",
     "On 11/3/26 2:02 PM, Jane Doe wrote:\n> question?\n\nMy answer.\n",
     "My answer."},
    {"inline_answers",
     "On 11/3/26 2:02 PM, Jane Doe wrote:\n> first?\nYes.\n> second?\nNo.\n",
     "Yes.\nNo."},
    {"german",
     "Gern.\n\nAm Di., 3. Nov. 2026 um 14:02 Uhr schrieb Jane Doe "
     "<jane@x.org>:\n> q\n",
     "Gern."},
    {"german_name_after_verb",
     "Ja.\n\nAm 03.11.2026 um 14:02 schrieb Jane Doe:\n> q\n", "Ja."},
    {"french_nbsp_colon",
     "Merci.\n\nLe mar. 3 nov. 2026 \xC3\xA0 14:02, Jane Doe <jane@x.org> a "
     "\xC3\xA9"
     "crit\xC2\xA0:\n> q\n",
     "Merci."},
    {"spanish",
     "Gracias.\n\nEl mar, 3 nov 2026 a las 14:02, Jane Doe "
     "(<jane@x.org>) escribi\xC3\xB3:\n> q\n",
     "Gracias."},
    {"dutch",
     "Prima.\n\nOp di 3 nov. 2026 om 14:02 schreef Jane Doe <jane@x.org>:\n> "
     "q\n",
     "Prima."},
    {"outlook_original_message",
     "Agreed.\n\n-----Original Message-----\nFrom: Jane\nSent: Tue\n\nold "
     "text\n",
     "Agreed."},
    {"outlook_german_original_message",
     "Gut.\n\n-----Urspr\xC3\xBCngliche Nachricht-----\nVon: Jane\n", "Gut."},
    {"outlook_header_block",
     "Agreed.\n\nFrom: Jane Doe <jane@x.org>\nSent: Tuesday, November 3, 2026 "
     "2:02 PM\nTo: Group <g@x.org>\nSubject: Re: x\n\nold text\n",
     "Agreed."},
    {"outlook_bold_labels_and_separator",
     "Agreed.\n\n________________________________\n*From:* Jane Doe\n*Sent:* "
     "Tuesday\n*To:* Group\n*Subject:* x\n\nold\n",
     "Agreed."},
    {"outlook_french_header_block",
     "D'accord.\n\nDe : Jane Doe\nEnvoy\xC3\xA9 : mardi 3 novembre "
     "2026\n\xC3\x80 : "
     "Groupe\nObjet : x\n\nold\n",
     "D'accord."},
    {"marker_unquoted", "Reply text\n\n## Reply above this line ##\nold\n",
     "Reply text"},
    {"marker_inside_text_line",
     "Reply\n\n\xE2\x80\x94 ## Reply above this line ## \xE2\x80\x94\nold\n",
     "Reply"},
    {"signature", "Body\n\n-- \nJane Doe\nLibrarian\n", "Body"},
    {"signature_without_trailing_space", "Body\n\n--\nJane\n", "Body"},
    {"setext_heading_is_not_a_signature", "Title\n--\nBody\n",
     "Title\n--\nBody"},
    {"mobile_footers", "Yes\n\nSent from my iPhone\n", "Yes"},
    {"outlook_mobile_footer",
     "Yes\n\nGet Outlook for Android<https://aka.ms/ghei36>\n", "Yes"},
    {"windows_mail_footer", "Yes\n\nSent from Mail for Windows 10\n\n", "Yes"},
    {"german_footer", "Ja\n\nVon meinem iPhone gesendet", "Ja"},
    {"footer_words_mid_text_stay",
     "I hate \"Sent from my iPhone\" lines.\nSent from my iPhone\nreally.",
     "I hate \"Sent from my iPhone\" lines.\nSent from my iPhone\nreally."},
    {"wrote_mid_paragraph_stays",
     "As Jane wrote: the counts fell.\nOn Monday, the 3 of us wrote:\n"
     "- a plan\n- a budget\n",
     "As Jane wrote: the counts fell.\nOn Monday, the 3 of us wrote:\n"
     "- a plan\n- a budget"},
    {"on_without_date_stays", "On balance I wrote:\n> a quote I chose\n",
     "On balance I wrote:"},
    {"markdown_kept",
     "## Plan\n\n1. Count\n2. Compare\n\n* [report](https://x.org/r)\n\n    "
     "indented code\n",
     "## Plan\n\n1. Count\n2. Compare\n\n* [report](https://x.org/r)\n\n    "
     "indented code"},
    {"fenced_code_is_untouched",
     "Config:\n\n```\n> not a quote\n-- \n\n\nFrom: x\n```\nDone.\n",
     "Config:\n\n```\n> not a quote\n-- \n\n\nFrom: x\n```\nDone."},
    {"crlf_and_trailing_space", "Line one  \r\nLine two\r\n\r\n\r\n",
     "Line one\nLine two"},
    {"blank_runs_collapse", "\n\na\n\n\n\nb\n", "a\n\nb"},
    {"only_quotes", "> all quoted\n> nothing new\n", ""},
    {"empty", "", ""},
};

INSTANTIATE_TEST_SUITE_P(Cases, MailReplyTextTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace rt::mail
