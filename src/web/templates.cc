#include "web/templates.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/assets.h"
#include "web/template_engine.h"

namespace rt::web {

namespace {
constexpr std::string_view kPrefix = "templates/";
constexpr std::string_view kSuffix = ".mustache";

// Size hints stop growing here, so that one huge page does not make every
// later rendering of its template reserve as much.
constexpr size_t kMaxSizeHint = 256 * 1024;
// The first rendering of a template, before any hint exists.
constexpr size_t kFirstSizeHint = 4096;

struct Entry {
  std::unique_ptr<CompiledTemplate> tmpl;
  // The longest rendering so far, less its raw values. Updated without
  // ordering: a lost update only makes one reservation less exact.
  mutable std::atomic<size_t> size_hint{kFirstSizeHint};
};

struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

using Compiled = std::unordered_map<std::string, std::unique_ptr<Entry>, NameHash, std::equal_to<>>;

// Every embedded template, parsed and linked once for the life of the
// process; read-only afterwards (but for size hints), so all threads share
// it without locks.
const Compiled& All(std::string* first_error = nullptr) {
  static std::once_flag once;
  static Compiled compiled;
  static std::string error;
  std::call_once(once, [] {
    for (const assets::Asset& a : assets::All()) {
      if (a.name.substr(0, kPrefix.size()) != kPrefix || !a.name.ends_with(kSuffix)) continue;
      std::string name(a.name.substr(kPrefix.size(), a.name.size() - kPrefix.size() - kSuffix.size()));
      std::string e;
      auto t = CompiledTemplate::Parse(a.data, &e);
      if (!t) {
        if (error.empty()) error = std::string(a.name) + ": " + e;
        continue;
      }
      auto entry = std::make_unique<Entry>();
      entry->tmpl = std::move(t);
      compiled.emplace(std::move(name), std::move(entry));
    }
    for (auto& [name, entry] : compiled) {
      entry->tmpl->LinkPartials([](std::string_view partial) -> const CompiledTemplate* {
        auto it = compiled.find(partial);
        return it == compiled.end() ? nullptr : it->second->tmpl.get();
      });
    }
  });
  if (first_error != nullptr) *first_error = error;
  return compiled;
}

const Entry* Find(std::string_view name) {
  const Compiled& all = All();
  auto it = all.find(name);
  return it == all.end() ? nullptr : it->second.get();
}

void RenderEntry(const Entry& e, const Data& data, std::string* out) {
  size_t start = out->size();
  size_t raw = e.tmpl->Render(data, out);
  size_t own = std::min(out->size() - start - raw, kMaxSizeHint);
  if (own > e.size_hint.load(std::memory_order_relaxed)) {
    e.size_hint.store(own, std::memory_order_relaxed);
  }
}

// Makes room for `n` more bytes in `out`, at least doubling when it has to
// grow so that many appends stay linear.
void Reserve(std::string* out, size_t n) {
  if (out->capacity() - out->size() >= n) return;
  out->reserve(std::max(out->size() + n, 2 * out->capacity()));
}
}  // namespace

std::string Templates::Validate() {
  std::string error;
  All(&error);
  return error;
}

std::string Templates::Render(std::string_view name, const Data& data, size_t raw_bytes) {
  std::string out;
  RenderTo(name, data, &out, raw_bytes);
  return out;
}

void Templates::RenderTo(std::string_view name, const Data& data, std::string* out,
                         size_t raw_bytes) {
  const Entry* e = Find(name);
  if (e == nullptr) {
    out->append("<!-- missing template ").append(name).append(" -->");
    return;
  }
  Reserve(out, e->size_hint.load(std::memory_order_relaxed) + raw_bytes);
  RenderEntry(*e, data, out);
}

size_t Templates::SizeHint(std::string_view name) {
  const Entry* e = Find(name);
  return e == nullptr ? 0 : e->size_hint.load(std::memory_order_relaxed);
}

}  // namespace rt::web
