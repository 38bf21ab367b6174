#ifndef RT_MAIL_BODY_TEXT_H_
#define RT_MAIL_BODY_TEXT_H_

#include <string>
#include <string_view>

namespace rt::mail {

// Turns the HTML body of an incoming message into the plain text a member
// would have typed: block elements (p, div, li, tr, headings...) end lines,
// <br> breaks a line, list items start with "- " or "1. ", <blockquote>
// lines start with "> " (so quoted history looks the same as in text/plain
// mail and ExtractReply can remove it), <hr> becomes a line of underscores,
// links keep their target as "text (url)" unless the text already is the
// target, entities are decoded, and script, style, head, title, template
// and comments are dropped along with everything inside them. Images are
// dropped. Whitespace collapses as a browser would, except inside <pre>.
//
// `html` must be UTF-8 (charset decoding happens before). Never fails: any
// byte sequence gives some text, in time linear in the input; invalid UTF-8
// and control characters are repaired as SanitizeText does. Newlines are
// "\n". Thread-safe (pure function).
std::string HtmlToText(std::string_view html);

// Decodes a text/plain; format=flowed body (RFC 3676): joins soft-broken
// lines (those ending in a space) of the same quote depth into one line,
// removing the space when `delsp` is set, and undoes space-stuffing. Quoted
// lines come out as "> text" with one "> " per level so that later steps
// see ordinary quoting. The signature separator "-- " is never joined.
// Input newlines may be CRLF or LF; output uses "\n". Pure, never fails.
std::string DecodeFlowed(std::string_view text, bool delsp);

// Makes arbitrary bytes safe to keep as text: invalid UTF-8 sequences become
// U+FFFD, CRLF and lone CR become "\n", NUL and other C0/C1 controls except
// "\n" and "\t" are dropped. The result is valid UTF-8. Pure, never fails.
std::string SanitizeText(std::string_view bytes);

// Like SanitizeText for a one-line value (subject, name, filename): every
// control character including newlines and tabs becomes a space, runs of
// spaces collapse and the ends are trimmed.
std::string SanitizeLine(std::string_view bytes);

// Decodes Windows-1252 bytes to UTF-8. Used for ISO-8859-1 and US-ASCII as
// well, as browsers do: mail labelled Latin-1 is very often Windows-1252
// (curly quotes, dashes, the euro sign). Bytes it leaves undefined become
// U+FFFD. Pure, never fails.
std::string DecodeWindows1252(std::string_view bytes);

}  // namespace rt::mail

#endif  // RT_MAIL_BODY_TEXT_H_
