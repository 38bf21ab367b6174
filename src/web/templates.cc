#include "web/templates.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "core/assets.h"
#include "web/template_engine.h"

namespace rt::web {

namespace {
constexpr std::string_view kPrefix = "templates/";
constexpr std::string_view kSuffix = ".mustache";

// Sorted by name: a binary search over two dozen short names costs less
// than hashing the name, and pages look templates up several times each.
using Compiled = std::vector<std::pair<std::string, std::unique_ptr<CompiledTemplate>>>;

const CompiledTemplate* FindIn(const Compiled& all, std::string_view name) {
  auto it = std::lower_bound(all.begin(), all.end(), name,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  return it != all.end() && it->first == name ? it->second.get() : nullptr;
}

// `src` without the indentation at the start of its lines and without empty
// lines. In HTML they are only for people reading the template: a newline
// is as much whitespace as a newline and eight spaces. Dropping them takes
// ~5% off every page (the thread page's posts and actions are indented
// twice), bytes that the server sends and every browser parses.
std::string WithoutIndentation(std::string_view src) {
  std::string out;
  out.reserve(src.size());
  bool line_start = true;
  for (char ch : src) {
    if (line_start && (ch == ' ' || ch == '\t' || ch == '\n')) continue;
    out += ch;
    line_start = ch == '\n';
  }
  return out;
}

// Every embedded template, parsed and linked once for the life of the
// process; read-only afterwards (but for the renderer's size hints), so all
// threads share it without locks.
const Compiled& All(std::string* first_error = nullptr) {
  static std::once_flag once;
  static Compiled compiled;
  static std::string error;
  std::call_once(once, [] {
    for (const assets::Asset& a : assets::All()) {
      if (a.name.substr(0, kPrefix.size()) != kPrefix || !a.name.ends_with(kSuffix)) continue;
      std::string name(a.name.substr(kPrefix.size(), a.name.size() - kPrefix.size() - kSuffix.size()));
      std::string e;
      // Mail templates are rendered elsewhere (app/mail_text.h), where
      // plain-text layout matters; they are not page templates.
      if (name.starts_with("mail/")) continue;
      auto t = CompiledTemplate::Parse(WithoutIndentation(a.data), &e);
      if (!t) {
        if (error.empty()) error = std::string(a.name) + ": " + e;
        continue;
      }
      compiled.emplace_back(std::move(name), std::move(t));
    }
    std::sort(compiled.begin(), compiled.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [name, tmpl] : compiled) {
      tmpl->LinkPartials([](std::string_view partial) { return FindIn(compiled, partial); });
    }
  });
  if (first_error != nullptr) *first_error = error;
  return compiled;
}

const CompiledTemplate* Find(std::string_view name) { return FindIn(All(), name); }

std::string Missing(std::string_view name) {
  return "<!-- missing template " + std::string(name) + " -->";
}

// Room for a rendering nothing is known about yet.
constexpr size_t kFirstRenderSize = 4096;
}  // namespace

std::string Templates::Validate() {
  std::string error;
  All(&error);
  return error;
}

std::string Templates::Render(std::string_view name, const Data& data) {
  const CompiledTemplate* t = Find(name);
  if (t == nullptr) return Missing(name);
  std::string out;
  size_t expected = t->ExpectedSize(data);
  out.reserve(expected == 0 ? kFirstRenderSize : expected);
  t->Render(data, &out);
  return out;
}

Data Templates::Fragment(std::string_view name, Data data) {
  const CompiledTemplate* t = Find(name);
  if (t == nullptr) return Missing(name);
  return Data::Fragment(*t, std::move(data));
}

}  // namespace rt::web
