#include "app/mail_text.h"

#include <memory>
#include <string>
#include <unordered_map>

#include "core/assets.h"

namespace rt::app {

namespace km = kainjow::mustache;

std::string OneLine(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      out += ' ';
    } else if (c == 0xC2 && i + 1 < s.size() &&
               static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += ' ';  // a C1 control, U+0080..U+009F
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string RenderMail(std::string_view name, const km::data& data, bool html) {
  // Parsed once per thread and kind (the digest job renders thousands of
  // mails); each thread keeps its own, so rendering needs no lock.
  thread_local std::unordered_map<std::string, std::unique_ptr<km::mustache>> parsed;
  std::string key = std::string(name) + (html ? "/html" : "/text");
  auto it = parsed.find(key);
  if (it == parsed.end()) {
    auto source = assets::Find("templates/mail/" + std::string(name) + ".mustache");
    if (!source) return "";
    auto tmpl = std::make_unique<km::mustache>(std::string(*source));
    if (!html) tmpl->set_custom_escape([](const std::string& s) { return s; });
    it = parsed.emplace(std::move(key), std::move(tmpl)).first;
  }
  return it->second->render(data);
}

std::string MailUrl(const MailSettings& s, std::string_view path) {
  std::string base = s.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(path);
}

std::string SettingsUrl(const MailSettings& s, std::string_view anchor) {
  return MailUrl(s, "/settings/notifications#" + std::string(anchor));
}

}  // namespace rt::app
