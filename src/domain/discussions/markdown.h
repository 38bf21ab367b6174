#ifndef RT_DOMAIN_DISCUSSIONS_MARKDOWN_H_
#define RT_DOMAIN_DISCUSSIONS_MARKDOWN_H_

#include <string>
#include <string_view>
#include <vector>

namespace rt::markdown {

// Bumped whenever Render's output changes, so stored HTML from an older
// renderer is re-rendered (PostRepository::ListStale).
inline constexpr int kRenderVersion = 2;

// Renders Markdown in the GitHub dialect (tables, strikethrough, autolinks,
// task lists) to HTML that is safe to embed in a page: raw HTML in the
// source is never passed through, only http(s), mailto and relative link
// targets survive (javascript:, data:, vbscript: ... are dropped), every
// link gets rel="nofollow ugc noopener", and images are shown as links.
// Input must be valid UTF-8 (callers validate it). Runs in time roughly
// linear in the input: nesting beyond kMaxNesting levels is flattened
// before parsing. Thread-safe.
std::string Render(std::string_view source);

inline constexpr int kMaxNesting = 32;

// The people mentioned in `source` as @First_Last (underscores stand for
// spaces), returned as lower-case name keys ("first last"), without
// duplicates, at most 20. Mentions inside code spans/blocks are ignored.
std::vector<std::string> Mentions(std::string_view source);

// `text` with every "@" at or after byte `from` that Mentions would read as
// a mention written as the character reference "&#64;": Render shows the
// same text, but that part mentions (and so notifies) no one. For quoting
// other people's words in a post, such as feedback in a "You said, we did"
// summary. The whole text is scanned, so code blocks opened before `from`
// count as they do for Mentions.
std::string DisarmMentions(std::string_view text, size_t from = 0);

// `text` as a Markdown block quote attributed to `author`, ready to put at
// the top of a reply ("> **Ana Active** wrote:\n> ...").
std::string Quote(std::string_view author, std::string_view text);

}  // namespace rt::markdown

#endif  // RT_DOMAIN_DISCUSSIONS_MARKDOWN_H_
