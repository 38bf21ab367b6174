#ifndef RT_APP_MAIL_TEXT_H_
#define RT_APP_MAIL_TEXT_H_

#include <kainjow/mustache.hpp>

#include <string>
#include <string_view>

#include "core/config.h"

// Helpers shared by the use cases that compose mail (thread_mail.cc,
// digests.cc). All pure and thread-safe.
namespace rt::app {

// `s` on one line: every control character (CR, LF, TAB, NUL, DEL, C1)
// becomes a space. Titles and names are checked when written, but mail
// headers must not depend on that.
std::string OneLine(std::string_view s);

// Renders templates/mail/<name>.mustache ("" when there is no such
// template). Text parts are not HTML: with html=false values are printed as
// they are.
std::string RenderMail(std::string_view name, const kainjow::mustache::data& data, bool html);

// base_url + path, without a doubled '/'.
std::string MailUrl(const MailSettings& s, std::string_view path);

// The notification settings page at `anchor` ("group-SLUG", "email-kinds").
std::string SettingsUrl(const MailSettings& s, std::string_view anchor);

}  // namespace rt::app

#endif  // RT_APP_MAIL_TEXT_H_
