#ifndef RT_BENCH_GENERATE_TEXT_H_
#define RT_BENCH_GENERATE_TEXT_H_

// Made-up but plausible text for the benchmark data generator: people,
// group names, thread titles and Markdown post bodies. Everything is drawn
// from a caller-owned generator so the same seed gives the same text.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace rt::bench {

using Rng = std::mt19937_64;

// Uniform double in [0, 1). Written out rather than using
// std::uniform_real_distribution so the sequence does not depend on the
// standard library's implementation.
inline double Uniform01(Rng& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Uniform integer in [lo, hi] (modulo bias is irrelevant here).
inline int64_t UniformInt(Rng& rng, int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
}

struct Person {
  std::string name;
  std::string job_title;
  std::string organisation;
  std::string location;
};
Person RandomPerson(Rng& rng);

// Name, summary and description of the generated group at `position`
// (10 and up; positions 1..9 are the demo groups).
struct GroupText {
  std::string name;
  std::string summary;
  std::string description;
};
GroupText GeneratedGroupText(int position);

enum class TitleKind { kDiscussion, kQuestion, kStory };
std::string RandomTitle(Rng& rng, TitleKind kind);

// One Markdown body. `size_class` 0 is a one-liner, 1 a short paragraph,
// 2 a few paragraphs with a list, 3 a long post with lists, a quote and
// sometimes a table.
std::string RandomBody(Rng& rng, int size_class);

}  // namespace rt::bench

#endif  // RT_BENCH_GENERATE_TEXT_H_
