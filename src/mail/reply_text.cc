#include "mail/reply_text.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/text.h"
#include "mail/body_text.h"

namespace rt::mail {

namespace {

// Attribution lines are short; a longer "line" is a paragraph.
constexpr size_t kMaxAttributionBytes = 400;
constexpr size_t kMaxAttributionLines = 3;
// How far below "From:" the rest of a header block may be.
constexpr size_t kHeaderBlockLines = 6;

std::string_view RTrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsBlank(std::string_view line) { return text::Trim(line).empty(); }

bool IsQuoted(std::string_view line) { return !line.empty() && line[0] == '>'; }

bool IsFence(std::string_view line) {
  std::string_view t = text::Trim(line);
  return StartsWith(t, "```") || StartsWith(t, "~~~");
}

// Lower-cases ASCII, turns no-break spaces into spaces and drops the "*"
// that text renderings of bold labels leave ("*From:* Ana").
std::string Normalize(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\xC2' && i + 1 < line.size() && line[i + 1] == '\xA0') {
      out.push_back(' ');
      ++i;
    } else if (line[i] == '*') {
      continue;
    } else if (line[i] >= 'A' && line[i] <= 'Z') {
      out.push_back(static_cast<char>(line[i] - 'A' + 'a'));
    } else {
      out.push_back(line[i]);
    }
  }
  return std::string(text::Trim(out));
}

// True when `line` is "<label>:" or "<label> :" followed by anything, for
// one of `labels` (lower-case).
bool HasLabel(std::string_view line,
              std::initializer_list<std::string_view> labels) {
  std::string n = Normalize(line);
  for (std::string_view label : labels) {
    if (!StartsWith(n, label)) continue;
    std::string_view rest = std::string_view(n).substr(label.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (!rest.empty() && rest.front() == ':') return true;
  }
  return false;
}

bool IsFromLabel(std::string_view line) {
  return HasLabel(line, {"from", "von", "de", "da", "van", "från", "od"});
}
bool IsDateLabel(std::string_view line) {
  return HasLabel(
      line, {"sent", "date", "gesendet", "datum", "envoyé", "enviado",
             "enviado el", "fecha", "inviato", "data", "verzonden", "skickat"});
}
bool IsToOrSubjectLabel(std::string_view line) {
  return HasLabel(line, {"to", "an", "à", "a", "para", "aan", "till", "cc",
                         "subject", "betreff", "objet", "asunto", "oggetto",
                         "onderwerp", "ämne", "assunto"});
}

// Outlook's header block of the message replied to: "From:" followed
// closely by a date and a recipient or subject line.
bool IsHeaderBlock(const std::vector<std::string_view>& lines, size_t i) {
  if (!IsFromLabel(lines[i])) return false;
  bool date = false, other = false;
  for (size_t j = i + 1; j < lines.size() && j <= i + kHeaderBlockLines; ++j) {
    if (IsDateLabel(lines[j])) date = true;
    if (IsToOrSubjectLabel(lines[j])) other = true;
  }
  return date && other;
}

bool IsOriginalMessageLine(std::string_view line) {
  std::string n = Normalize(line);
  if (!StartsWith(n, "--")) return false;
  std::string_view core = n;
  while (!core.empty() && (core.front() == '-' || core.front() == ' '))
    core.remove_prefix(1);
  while (!core.empty() && (core.back() == '-' || core.back() == ' '))
    core.remove_suffix(1);
  for (std::string_view phrase :
       {"original message", "ursprüngliche nachricht", "message d'origine",
        "mensaje original", "messaggio originale", "oorspronkelijk bericht",
        "originalmeddelande", "mensagem original"}) {
    if (core == phrase) return true;
  }
  return false;
}

bool IsUnderscoreSeparator(std::string_view line) {
  std::string_view t = text::Trim(line);
  return t.size() >= 20 && t.find_first_not_of('_') == std::string_view::npos;
}

// "On <date>, <name> wrote:" and its translations. `joined` is one to three
// lines joined with spaces. The date must have a digit, and the verb must
// end the line (or, in languages that name the writer after it, come near
// the end), so ordinary sentences are not taken.
bool IsAttribution(std::string_view joined) {
  std::string_view t = text::Trim(joined);
  if (t.empty() || t.size() > kMaxAttributionBytes || t.back() != ':')
    return false;
  if (t.find_first_of("0123456789") == std::string_view::npos) return false;
  struct Form {
    std::string_view prefix;
    std::string_view verb;
    bool name_after_verb;
  };
  static constexpr Form kForms[] = {
      {"On ", "wrote", false},    {"Am ", "schrieb", true},
      {"Le ", "a écrit", false},  {"El ", "escribió", false},
      {"Em ", "escreveu", false}, {"Il ", "ha scritto", false},
      {"Op ", "schreef", true},   {"Den ", "skrev", true},
  };
  std::string n = Normalize(t);  // NBSP before ":" in French
  for (const Form& f : kForms) {
    if (!StartsWith(t, f.prefix)) continue;
    size_t verb = n.rfind(f.verb);
    if (verb == std::string::npos || verb < f.prefix.size()) continue;
    std::string_view rest =
        text::Trim(std::string_view(n).substr(verb + f.verb.size()));
    if (rest == ":") return true;
    if (f.name_after_verb && rest.size() <= 120) return true;
  }
  // "2026-11-03 14:02 GMT+01:00 Ana Ruiz <ana@example.org>:"
  return t.size() >= 3 && t.substr(t.size() - 2) == ">:" &&
         t.find('@') != std::string_view::npos &&
         t.find('<') != std::string_view::npos;
}

bool IsMobileFooter(std::string_view line) {
  std::string n = Normalize(line);
  if (n.size() > 100) return false;
  for (std::string_view prefix : {"sent from my ",
                                  "sent from mail for windows",
                                  "sent from outlook",
                                  "get outlook for ",
                                  "sent from yahoo mail",
                                  "sent from samsung",
                                  "sent via the samsung",
                                  "sent from the all new aol app",
                                  "von meinem iphone gesendet",
                                  "von meinem ipad gesendet",
                                  "von meinem smartphone gesendet",
                                  "gesendet von meinem",
                                  "gesendet von outlook",
                                  "envoyé de mon",
                                  "envoyé à partir de",
                                  "obtenir outlook pour",
                                  "enviado desde mi",
                                  "enviado do meu",
                                  "obtener outlook para",
                                  "inviato da ",
                                  "verzonden vanaf mijn",
                                  "skickat från min"}) {
    if (StartsWith(n, prefix)) return true;
  }
  return false;
}

}  // namespace

std::string ExtractReply(std::string_view input) {
  // Also guarantees valid UTF-8 out, whatever the caller passes in.
  std::string normalized = SanitizeText(input);
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= normalized.size();) {
    size_t end = normalized.find('\n', start);
    if (end == std::string::npos) end = normalized.size();
    lines.emplace_back(normalized.data() + start, end - start);
    start = end + 1;
  }

  // Which lines are code (fence lines included).
  std::vector<bool> code(lines.size(), false);
  bool in_fence = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (IsFence(lines[i]) && !IsQuoted(lines[i])) {
      code[i] = true;
      in_fence = !in_fence;
    } else {
      code[i] = in_fence;
    }
  }

  auto next_content = [&](size_t from) {
    while (from < lines.size() && IsBlank(lines[from])) ++from;
    return from;
  };

  size_t cut = lines.size();
  std::vector<bool> drop(lines.size(), false);
  for (size_t i = 0; i < lines.size() && i < cut; ++i) {
    if (code[i]) continue;
    std::string_view line = lines[i];
    if (IsQuoted(line)) {
      drop[i] = true;
      continue;
    }
    if (line.find(kReplyAboveMarker) != std::string_view::npos ||
        IsOriginalMessageLine(line) || IsHeaderBlock(lines, i)) {
      cut = i;
      break;
    }
    if (IsUnderscoreSeparator(line)) {
      size_t next = next_content(i + 1);
      if (next < lines.size() && next <= i + 2 && IsHeaderBlock(lines, next)) {
        cut = i;
        break;
      }
    }
    if (IsBlank(line)) continue;
    std::string joined;
    for (size_t k = 0; k < kMaxAttributionLines && i + k < lines.size(); ++k) {
      std::string_view part = lines[i + k];
      if (IsBlank(part) || IsQuoted(part) || code[i + k]) break;
      if (k > 0) joined.push_back(' ');
      joined.append(text::Trim(part));
      if (joined.size() > kMaxAttributionBytes) break;
      if (!IsAttribution(joined)) continue;
      size_t after = next_content(i + k + 1);
      if (after == lines.size() || IsQuoted(lines[after])) {
        for (size_t d = i; d <= i + k; ++d) drop[d] = true;
        i += k;
      }
      break;
    }
  }

  struct Line {
    std::string_view text;
    bool code;
  };
  std::vector<Line> kept;
  for (size_t i = 0; i < cut; ++i) {
    if (drop[i]) continue;
    if (!code[i]) {
      // The signature separator; "--" alone only where it cannot be a
      // Markdown heading underline.
      bool after_blank = kept.empty() || IsBlank(kept.back().text);
      if (lines[i] == "-- " || (RTrim(lines[i]) == "--" && after_blank)) break;
    }
    kept.push_back({code[i] ? lines[i] : RTrim(lines[i]), code[i]});
  }
  // Footers are only removed at the end: in the middle they are text.
  while (true) {
    while (!kept.empty() && IsBlank(kept.back().text)) kept.pop_back();
    if (kept.empty() || kept.back().code || !IsMobileFooter(kept.back().text))
      break;
    kept.pop_back();
  }

  std::string out;
  bool blank_before = false;
  for (const Line& line : kept) {
    bool blank = IsBlank(line.text);
    if (blank && !line.code && (out.empty() || blank_before)) continue;
    blank_before = blank && !line.code;
    if (!blank || line.code) out.append(line.text);
    out.push_back('\n');
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace rt::mail
