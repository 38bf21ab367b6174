#ifndef RT_MAIL_REPLY_TEXT_H_
#define RT_MAIL_REPLY_TEXT_H_

#include <string>
#include <string_view>

namespace rt::mail {

// The line outgoing thread mail puts above the quoted text (as its first
// line, in both the text and the HTML part). Everything from an unquoted
// line containing it down is dropped from a reply, so it catches clients
// that quote without ">" and in a language ExtractReply does not know.
inline constexpr char kReplyAboveMarker[] = "## Reply above this line ##";

// Returns what the member wrote in a reply: the body text (as ParseInbound
// gives it: UTF-8, "\n" newlines) without quoted history, attribution
// lines, signature or mobile footer. In order:
//  1. Cut at the first of: an unquoted kReplyAboveMarker line; an Outlook
//     "-----Original Message-----" line (also German, French, Spanish,
//     Italian, Dutch); a header block "From: / Sent: / To: / Subject:" (in
//     those languages, "*From:*" too), with a "____" separator line above
//     it; everything below goes.
//  2. Remove attribution lines, "On <date>, <name> wrote:" and its German,
//     French, Spanish, Portuguese, Italian, Dutch and Swedish forms, also
//     wrapped over up to three lines, but only when quoted lines (">") or
//     nothing follow: a sentence that merely says "wrote:" stays.
//  3. Remove every line starting with ">", so text written between or
//     below quotes (inline and bottom posting) is kept.
//  4. Cut at the signature separator "-- " (or "--" after a blank line).
//  5. Remove trailing mobile footers ("Sent from my iPhone", "Get Outlook
//     for iOS", "Sent from Mail for Windows" and translations).
//  6. Drop trailing whitespace, leading and trailing blank lines, and runs
//     of blank lines.
// Lines inside ``` or ~~~ fences are left exactly as written and never
// taken for quotes, separators or signatures. The result may be empty (a
// reply with nothing new). Pure; thread-safe; linear in the input.
std::string ExtractReply(std::string_view text);

}  // namespace rt::mail

#endif  // RT_MAIL_REPLY_TEXT_H_
