// bench_generate: fills a fresh data folder with a large, realistic
// association (the demo "pla" association, 200 groups, 50k accounts, 100k
// threads, 1M posts, ...) for load tests.
//
//   bench_generate --data DIR [--seed N] [--scale F]
//
// The schema comes from the product's own migrations (OpenStore + Migrate);
// rows are then written straight through SQLite in big transactions, since
// going through the repositories (one transaction, one Argon2 hash, one
// Markdown render per row) would take hours. Because of that, every
// denormalised column the store maintains (threads.reply_count,
// last_activity_at, first_post_id, accepted_post_id, posts.recommend_count)
// is computed here from the rows we insert. Same seed, same data: all
// content comes from one seeded generator and a fixed base date, never the
// clock.

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/demo.h"
#include "core/crypto.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/discussions/markdown.h"
#include "generate_text.h"
#include "store/store.h"

namespace rt::bench {

namespace {

// Content spans the two years before the base date; accounts and group
// memberships predate it so nobody posts before joining.
constexpr int64_t kDay = 86400;
constexpr int64_t kBaseTime = 1767225600;  // 2026-01-01T00:00:00Z
constexpr int64_t kContentStart = kBaseTime - 730 * kDay;
constexpr int kBaseDay = static_cast<int>(kBaseTime / kDay);

constexpr char kBenchPassword[] = "bench-password";
constexpr char kBenchDomain[] = "@bench.roundtable.test";
constexpr int kBodyPoolSize = 2000;
constexpr int kRowsPerTransaction = 50000;
// The thread-page scenario's posts per page, and how many threads the load
// scripts sample (bench/run.sh prepare_sessions).
constexpr int64_t kPagePosts = 20;
constexpr size_t kSampledThreads = 60;

// Account ids: the six demo logins first, then the bench liaison, then the
// generated members.
constexpr int32_t kDemoLiaison = 2, kDemoActive = 3, kDemoGrace = 4, kDemoVisitor = 6;
constexpr int32_t kBenchLiaison = 7;
constexpr int32_t kFirstMember = 8;

struct Options {
  std::string data;
  uint64_t seed = 42;
  double scale = 1.0;
};

enum class Standing : uint8_t { kActive, kExpired, kNone };

struct AccountRow {
  std::string email;
  Person person;
  bool admin = false;
  bool demo = false;
  int64_t created = 0;
  Standing standing = Standing::kNone;
  int paid_through_offset = 0;  // days from the base date, when a member
  int32_t rank = INT32_MAX;     // activity rank; lower posts more
};

// Draws indices with probability proportional to fixed weights.
class Sampler {
 public:
  Sampler() = default;
  explicit Sampler(const std::vector<double>& weights) {
    cdf_.reserve(weights.size());
    double sum = 0;
    for (double w : weights) cdf_.push_back(sum += w);
  }
  // Zipf-like: weight of rank i is 1 / (i + 1)^s.
  static Sampler Zipf(size_t n, double s) {
    std::vector<double> w(n);
    for (size_t i = 0; i < n; ++i) w[i] = 1.0 / std::pow(static_cast<double>(i + 1), s);
    return Sampler(w);
  }
  size_t Sample(Rng& rng) const {
    double x = Uniform01(rng) * cdf_.back();
    size_t i = std::upper_bound(cdf_.begin(), cdf_.end(), x) - cdf_.begin();
    return std::min(i, cdf_.size() - 1);
  }

 private:
  std::vector<double> cdf_;
};

struct GroupRow {
  Group g;
  std::vector<std::pair<int32_t, GroupRole>> members;
  // Who may post (CanPost): active members, moderators, anyone in an open
  // group; ordered by activity rank so the Zipf sampler favours the same few
  // busy people everywhere. Staff are left out and added by hand.
  std::vector<int32_t> posters;
  Sampler poster_pick;
  int32_t Poster(Rng& rng) const { return posters[poster_pick.Sample(rng)]; }
};

struct ThreadRow {
  int32_t group = 0;
  int32_t author = 0;
  int64_t created = 0;
  int64_t last_activity = 0;
  int32_t first_post = 0;
  int32_t accepted_post = 0;
  int32_t replies = 0;      // visible replies (reply_count)
  int32_t post_total = 0;   // every post including the first and deleted ones
  int32_t planned_replies = 0;
  ThreadKind kind = ThreadKind::kDiscussion;
  StoryConsent consent = StoryConsent::kGroupOnly;
  bool pinned = false;
  bool locked = false;
};

struct PostRow {
  int64_t created = 0;
  int32_t thread = 0;
  int32_t author = 0;
  int32_t reply_to = 0;
  int32_t recommend_count = 0;
  int16_t body = 0;
  uint8_t via = 0;  // 0 web, 1 email, 2 api
  bool deleted = false;
};

struct Recommendation {
  int32_t post;
  int32_t account;
  int64_t created;
};

struct Follow {
  int32_t thread;
  int32_t account;
  int64_t created;
};

struct NotificationRow {
  int64_t created;
  int32_t account;
  int32_t actor;
  int32_t thread;
  int32_t post;
  bool accepted;  // answer_accepted rather than reply
  bool read;
};

struct BodyRow {
  std::string source;
  std::string html;
  int size_class;
};

// One stderr line per phase: total elapsed time, phase time, counts.
class Progress {
 public:
  double Elapsed() const {
    return std::chrono::duration<double>(Clock::now() - start_).count();
  }
  void Phase(const char* name, const std::string& detail) {
    double now = Elapsed();
    std::fprintf(stderr, "[%7.1fs] %-16s %-60s (%.1fs)\n", now, name, detail.c_str(),
                 now - last_);
    last_ = now;
  }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_ = Clock::now();
  double last_ = 0;
};

// One long write, committed every kRowsPerTransaction rows (whatever the
// table) so no transaction grows without bound.
class Transactions {
 public:
  explicit Transactions(SQLite::Database& db) : db_(db) { db_.exec("BEGIN"); }
  ~Transactions() {
    if (open_) db_.exec("ROLLBACK");
  }
  void Row() {
    if (++rows_ % kRowsPerTransaction == 0) {
      db_.exec("COMMIT");
      db_.exec("BEGIN");
    }
  }
  void Commit() {
    db_.exec("COMMIT");
    open_ = false;
  }

 private:
  SQLite::Database& db_;
  int64_t rows_ = 0;
  bool open_ = true;
};

// One prepared INSERT, run once per row.
class BatchWriter {
 public:
  BatchWriter(Transactions& tx, SQLite::Database& db, const char* sql) : tx_(tx), st_(db, sql) {}
  SQLite::Statement& st() { return st_; }
  void Row() {
    st_.exec();
    st_.reset();
    ++rows_;
    tx_.Row();
  }
  int64_t Finish() const { return rows_; }

 private:
  Transactions& tx_;
  SQLite::Statement st_;
  int64_t rows_ = 0;
};

std::string WithCommas(int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out += ',';
    out += digits[i];
  }
  return out;
}

// Exponential with the given mean.
double Exponential(Rng& rng, double mean) { return -std::log(1.0 - Uniform01(rng)) * mean; }

template <typename T>
void Shuffle(Rng& rng, std::vector<T>& v) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

const char* kViaNames[] = {"web", "email", "api"};

class Generator {
 public:
  explicit Generator(const Options& o) : opt_(o), rng_(o.seed) {}
  int Run();

 private:
  int64_t Scaled(double full, int64_t min) const {
    return std::max<int64_t>(min, std::llround(full * opt_.scale));
  }
  void MakeAccounts();
  void MakeGroups();
  void MakeBodies();
  void MakeThreadsAndPosts();
  void MakeRecommendations();
  void MakeFollowsAndNotifications();
  void Write(SQLite::Database& db);
  void WriteInfo(const std::string& path, int64_t db_bytes);

  Options opt_;
  Rng rng_;
  Progress progress_;
  std::string bench_hash_, demo_hash_;

  std::vector<AccountRow> accounts_;  // by id; [0] unused
  std::vector<GroupRow> groups_;      // id = index + 1
  std::vector<BodyRow> bodies_;
  std::vector<ThreadRow> threads_;  // id = index + 1
  std::vector<PostRow> posts_;      // id = index + 1
  std::vector<std::vector<int32_t>> thread_posts_;  // post ids per thread
  std::vector<Recommendation> recommendations_;
  std::vector<Follow> follows_;
  std::vector<NotificationRow> notifications_;
  int64_t memberships_ = 0;
};

void Generator::MakeAccounts() {
  struct Demo {
    const char* email;
    const char* name;
    const char* title;
    const char* organisation;
    Standing standing;
    int offset;
    bool admin;
  };
  // As DemoSeeder makes them, except that paid-through dates are fixed
  // relative to the base date (the data must not depend on the clock): the
  // active login stays active for years, "grace" and "expired" have lapsed.
  const Demo demo[] = {
      {"admin@demo.roundtable.test", "Avery Admin", "Membership Director", "PLA",
       Standing::kNone, 0, true},
      {"liaison@demo.roundtable.test", "Lena Liaison", "Program Manager", "PLA",
       Standing::kNone, 0, false},
      {"active@demo.roundtable.test", "Ana Active", "Adult Services Librarian",
       "Springfield Public Library", Standing::kActive, 1000, false},
      {"grace@demo.roundtable.test", "Grant Grace", "Branch Manager", "Riverside Library",
       Standing::kExpired, -10, false},
      {"expired@demo.roundtable.test", "Eve Expired", "Teen Librarian", "Lakeview Library",
       Standing::kExpired, -120, false},
      {"visitor@demo.roundtable.test", "Nora Nonmember", "Social Worker", "City Outreach",
       Standing::kNone, 0, false},
  };
  accounts_.resize(1);
  for (const Demo& d : demo) {
    AccountRow a;
    a.email = d.email;
    a.person = {d.name, d.title, d.organisation, ""};
    a.admin = d.admin;
    a.demo = true;
    a.created = kContentStart - 400 * kDay;
    a.standing = d.standing;
    a.paid_through_offset = d.offset;
    accounts_.push_back(std::move(a));
  }
  {
    AccountRow a;
    a.email = std::string("liaison") + kBenchDomain;
    a.person = {"Lee Liaison", "Interest Groups Manager", "PLA", "Chicago, IL"};
    a.created = kContentStart - 400 * kDay;
    accounts_.push_back(std::move(a));
  }
  int64_t n = Scaled(50000, 50);
  int64_t active = 0, expired = 0;
  for (int64_t i = 1; i <= n; ++i) {
    AccountRow a;
    char email[64];
    std::snprintf(email, sizeof email, "member%05lld%s", static_cast<long long>(i),
                  kBenchDomain);
    a.email = email;
    a.person = RandomPerson(rng_);
    a.created = kContentStart - UniformInt(rng_, 30, 1100) * kDay - UniformInt(rng_, 0, kDay);
    double u = Uniform01(rng_);
    if (u < 0.70) {
      a.standing = Standing::kActive;
      a.paid_through_offset = static_cast<int>(UniformInt(rng_, 400, 1100));
      ++active;
    } else if (u < 0.85) {
      a.standing = Standing::kExpired;
      a.paid_through_offset = static_cast<int>(UniformInt(rng_, -700, -60));
      ++expired;
    }
    accounts_.push_back(std::move(a));
  }
  // A random activity order over the members: rank 0 posts the most.
  std::vector<int32_t> order;
  for (int32_t id = kFirstMember; id < static_cast<int32_t>(accounts_.size()); ++id) {
    order.push_back(id);
  }
  Shuffle(rng_, order);
  for (size_t r = 0; r < order.size(); ++r) accounts_[order[r]].rank = static_cast<int32_t>(r);
  for (const AccountRow& a : accounts_) memberships_ += a.standing != Standing::kNone;
  progress_.Phase("accounts", WithCommas(static_cast<int64_t>(accounts_.size()) - 1) +
                                  " accounts (" + WithCommas(active) + " active, " +
                                  WithCommas(expired) + " expired members)");
}

void Generator::MakeGroups() {
  int32_t n_accounts = static_cast<int32_t>(accounts_.size()) - 1;
  int32_t n_members = n_accounts - kFirstMember + 1;
  // Members in PlaGroups() order: data-measurement and social-work biggest.
  const int demo_sizes[] = {9000, 15000, 8000, 10000, 7000, 6000, 5000, 12000, 5500};
  for (Group& g : app::PlaGroups()) {
    GroupRow row;
    row.g = std::move(g);
    groups_.push_back(std::move(row));
  }
  for (int pos = 10; pos <= 200; ++pos) {
    GroupRow row;
    GroupText t = GeneratedGroupText(pos);
    char slug[32];
    std::snprintf(slug, sizeof slug, "group-%03d", pos);
    row.g.slug = slug;
    row.g.name = t.name;
    row.g.summary = t.summary;
    row.g.description = t.description;
    row.g.position = pos;
    // Mostly members-only like the demo groups, with a few of each other
    // policy; invitation-only groups are unlisted.
    if (pos % 10 == 3) {
      row.g.join_policy = JoinPolicy::kOpen;
    } else if (pos % 17 == 5) {
      row.g.join_policy = JoinPolicy::kRequest;
    } else if (pos % 29 == 7) {
      row.g.join_policy = JoinPolicy::kInvite;
      row.g.listed = false;
    }
    row.g.visibility = row.g.join_policy == JoinPolicy::kOpen ? ContentVisibility::kPublic
                                                              : ContentVisibility::kMembers;
    groups_.push_back(std::move(row));
  }

  // The busiest people (by rank) with an active membership are in most big
  // groups, so "a few members write most posts" holds across the site.
  std::vector<int32_t> power;
  {
    std::vector<int32_t> by_rank(n_members);
    for (int32_t id = kFirstMember; id <= n_accounts; ++id) by_rank[accounts_[id].rank] = id;
    int64_t want = Scaled(400, 5);
    for (int32_t id : by_rank) {
      if (static_cast<int64_t>(power.size()) >= want) break;
      if (accounts_[id].standing == Standing::kActive) power.push_back(id);
    }
  }

  std::vector<uint8_t> in(accounts_.size());
  int64_t total = 0;
  for (size_t gi = 0; gi < groups_.size(); ++gi) {
    GroupRow& row = groups_[gi];
    bool demo = gi < 9;
    double full = demo ? demo_sizes[gi] : 4000.0 / std::pow(static_cast<double>(gi - 8), 0.9);
    int64_t target = std::min<int64_t>(Scaled(std::max(full, 8.0), 3), n_members * 9 / 10);
    std::fill(in.begin(), in.end(), 0);
    std::vector<int32_t> ids;
    for (int32_t id : power) {
      if (static_cast<int64_t>(ids.size()) < target && Uniform01(rng_) < (demo ? 0.8 : 0.05)) {
        ids.push_back(id);
        in[id] = 1;
      }
    }
    while (static_cast<int64_t>(ids.size()) < target) {
      int32_t id = static_cast<int32_t>(UniformInt(rng_, kFirstMember, n_accounts));
      if (!in[id]) {
        in[id] = 1;
        ids.push_back(id);
      }
    }
    // The demo members join what DemoSeeder has them join.
    auto add_demo = [&](int32_t id) {
      if (!in[id]) {
        in[id] = 1;
        ids.push_back(id);
      }
    };
    if (row.g.slug == "data-measurement") {
      add_demo(kDemoActive);
      add_demo(kDemoGrace);
    }
    if (row.g.slug == "social-work") {
      add_demo(kDemoActive);
      add_demo(kDemoVisitor);
    }
    bool open = row.g.join_policy == JoinPolicy::kOpen;
    for (int32_t id : ids) {
      if (open || accounts_[id].standing == Standing::kActive) row.posters.push_back(id);
    }
    std::sort(row.posters.begin(), row.posters.end(),
              [&](int32_t a, int32_t b) { return accounts_[a].rank < accounts_[b].rank; });
    if (row.posters.empty()) row.posters.push_back(kBenchLiaison);
    // The two busiest posters moderate.
    std::vector<int32_t> moderators(row.posters.begin(),
                                    row.posters.begin() + std::min<size_t>(2, row.posters.size()));
    for (int32_t id : ids) {
      bool mod = std::find(moderators.begin(), moderators.end(), id) != moderators.end();
      row.members.emplace_back(id, mod ? GroupRole::kModerator : GroupRole::kMember);
    }
    row.members.emplace_back(kBenchLiaison, GroupRole::kLiaison);
    if (demo) row.members.emplace_back(kDemoLiaison, GroupRole::kLiaison);
    std::sort(row.members.begin(), row.members.end());
    // s = 0.85: the top poster of a big group writes a few percent of it.
    row.poster_pick = Sampler::Zipf(row.posters.size(), 0.85);
    total += static_cast<int64_t>(row.members.size());
  }
  progress_.Phase("groups", WithCommas(static_cast<int64_t>(groups_.size())) + " groups, " +
                                WithCommas(total) + " group memberships");
}

void Generator::MakeBodies() {
  // Its own generator, so the pool does not shift when counts change.
  Rng text_rng(opt_.seed ^ 0x9e3779b97f4a7c15ULL);
  size_t bytes = 0;
  for (int i = 0; i < kBodyPoolSize; ++i) {
    double u = Uniform01(text_rng);
    int cls = u < 0.22 ? 0 : u < 0.57 ? 1 : u < 0.85 ? 2 : 3;
    BodyRow b;
    b.source = RandomBody(text_rng, cls);
    b.html = markdown::Render(b.source);
    b.size_class = cls;
    bytes += b.source.size() + b.html.size();
    bodies_.push_back(std::move(b));
  }
  progress_.Phase("bodies", WithCommas(kBodyPoolSize) + " distinct bodies rendered, avg " +
                                std::to_string(bytes / kBodyPoolSize) + " bytes source+html");
}

void Generator::MakeThreadsAndPosts() {
  int64_t n_threads = Scaled(100000, 50);
  int64_t n_posts = std::max(Scaled(1000000, 100), n_threads);

  // Groups: the nine demo groups take two thirds of the threads, the rest
  // follow a Zipf long tail.
  std::vector<double> weights = {0.08, 0.13, 0.07, 0.08, 0.06, 0.05, 0.04, 0.10, 0.05};
  double harmonic = 0;
  for (size_t r = 1; r < groups_.size() - 8; ++r) harmonic += 1.0 / static_cast<double>(r);
  for (size_t r = 1; r < groups_.size() - 8; ++r) {
    weights.push_back(0.34 / static_cast<double>(r) / harmonic);
  }
  Sampler group_pick(weights);

  std::vector<int64_t> created(n_threads);
  for (int64_t& t : created) t = UniformInt(rng_, kContentStart, kBaseTime - 6 * 3600);
  std::sort(created.begin(), created.end());
  threads_.resize(n_threads);
  std::vector<std::vector<int32_t>> by_group(groups_.size());
  for (int64_t i = 0; i < n_threads; ++i) {
    ThreadRow& t = threads_[i];
    t.group = static_cast<int32_t>(group_pick.Sample(rng_));
    t.created = created[i];
    t.author = groups_[t.group].Poster(rng_);
    double u = Uniform01(rng_);
    t.kind = u < 0.6 ? ThreadKind::kDiscussion : u < 0.9 ? ThreadKind::kQuestion
                                                          : ThreadKind::kStory;
    if (t.kind == ThreadKind::kStory) {
      double c = Uniform01(rng_);
      t.consent = c < 0.5 ? StoryConsent::kGroupOnly
                          : c < 0.8 ? StoryConsent::kStaffAdvocacy : StoryConsent::kPublic;
    }
    t.locked = Uniform01(rng_) < 0.002;
    by_group[t.group].push_back(static_cast<int32_t>(i));
  }
  // A few pinned staff threads: two per demo group, one in some others.
  int pinned = 0;
  for (size_t g = 0; g < groups_.size(); ++g) {
    int want = g < 9 ? 2 : Uniform01(rng_) < 0.3 ? 1 : 0;
    for (int k = 0; k < want && !by_group[g].empty(); ++k) {
      ThreadRow& t = threads_[by_group[g][rng_() % by_group[g].size()]];
      if (t.pinned) continue;
      t.pinned = true;
      t.author = kBenchLiaison;
      t.kind = ThreadKind::kDiscussion;
      t.consent = StoryConsent::kGroupOnly;
      ++pinned;
    }
  }

  // Replies per thread: a Pareto draw (most threads get a handful, a few get
  // hundreds), then scaled so the total is exactly n_posts.
  int64_t target = n_posts - n_threads;
  std::vector<double> raw(n_threads);
  double raw_sum = 0;
  for (double& r : raw) {
    r = std::floor(std::pow(1.0 - Uniform01(rng_), -1.0 / 1.15)) - 1.0;
    // Fold the far tail back into [200, 400] rather than clipping it, so
    // there is no spike of threads at exactly the cap.
    if (r > 400) r = static_cast<double>(UniformInt(rng_, 200, 400));
    raw_sum += r;
  }
  int64_t sum = 0;
  for (int64_t i = 0; i < n_threads; ++i) {
    double x = raw[i] * static_cast<double>(target) / std::max(raw_sum, 1.0);
    int64_t r = static_cast<int64_t>(std::floor(x));
    if (Uniform01(rng_) < x - std::floor(x)) ++r;
    threads_[i].planned_replies = static_cast<int32_t>(r);
    sum += r;
  }
  while (sum != target) {
    ThreadRow& t = threads_[rng_() % n_threads];
    if (sum < target) {
      ++t.planned_replies;
      ++sum;
    } else if (t.planned_replies > 0) {
      --t.planned_replies;
      --sum;
    }
  }

  // Every post as (time, thread); sorting them gives ids in time order, as
  // the app would have assigned them.
  struct Event {
    int64_t time;
    int32_t thread;
  };
  std::vector<Event> events;
  events.reserve(n_posts);
  for (int64_t i = 0; i < n_threads; ++i) {
    ThreadRow& t = threads_[i];
    events.push_back({t.created, static_cast<int32_t>(i)});
    int64_t span = kBaseTime - 60 - t.created;
    // Bigger threads stay alive longer.
    double mean = 3.0 * kDay * (1.0 + t.planned_replies / 10.0);
    int64_t life = std::clamp<int64_t>(static_cast<int64_t>(Exponential(rng_, mean)), 3600, span);
    for (int32_t k = 0; k < t.planned_replies; ++k) {
      double u = Uniform01(rng_);
      events.push_back({t.created + 60 + static_cast<int64_t>((life - 60) * u * u),
                        static_cast<int32_t>(i)});
    }
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.time != b.time ? a.time < b.time : a.thread < b.thread;
  });

  posts_.resize(events.size());
  thread_posts_.assign(n_threads, {});
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    int32_t id = static_cast<int32_t>(i + 1);
    ThreadRow& t = threads_[e.thread];
    const GroupRow& g = groups_[t.group];
    std::vector<int32_t>& tp = thread_posts_[e.thread];
    PostRow& p = posts_[i];
    p.created = e.time;
    p.thread = e.thread;
    double v = Uniform01(rng_);
    p.via = v < 0.93 ? 0 : v < 0.98 ? 1 : 2;
    p.body = static_cast<int16_t>(rng_() % bodies_.size());
    if (tp.empty()) {
      // Openings are rarely one-liners.
      for (int k = 0; k < 4 && bodies_[p.body].size_class == 0; ++k) {
        p.body = static_cast<int16_t>(rng_() % bodies_.size());
      }
      p.author = t.author;
      t.first_post = id;
      t.last_activity = p.created;
    } else {
      p.author = Uniform01(rng_) < 0.01 ? kBenchLiaison : g.Poster(rng_);
      if (Uniform01(rng_) < 0.45) {
        size_t back = std::min<size_t>(tp.size(), 10);
        p.reply_to = tp[tp.size() - 1 - rng_() % back];
      }
      p.deleted = Uniform01(rng_) < 0.005;
      if (!p.deleted) ++t.replies;
      // A later delete does not move last_activity_at back (SoftDelete).
      t.last_activity = std::max(t.last_activity, p.created);
    }
    ++t.post_total;
    tp.push_back(id);
  }

  // Accepted answers: a visible reply in almost half the answered questions.
  int64_t accepted = 0;
  for (size_t i = 0; i < threads_.size(); ++i) {
    ThreadRow& t = threads_[i];
    if (t.kind != ThreadKind::kQuestion || t.replies == 0 || Uniform01(rng_) >= 0.45) continue;
    const std::vector<int32_t>& tp = thread_posts_[i];
    for (int k = 0; k < 20; ++k) {
      int32_t id = tp[1 + rng_() % (tp.size() - 1)];
      if (posts_[id - 1].deleted) continue;
      t.accepted_post = id;
      ++accepted;
      break;
    }
  }

  int64_t ge20 = 0, ge100 = 0, small = 0, max_posts = 0;
  for (const ThreadRow& t : threads_) {
    ge20 += t.replies + 1 >= 20;
    ge100 += t.replies + 1 >= 100;
    small += t.replies <= 5;
    max_posts = std::max<int64_t>(max_posts, t.post_total);
  }
  progress_.Phase("threads+posts",
                  WithCommas(n_threads) + " threads, " + WithCommas(posts_.size()) +
                      " posts; threads with <=5 replies " + WithCommas(small) + ", >=20 posts " +
                      WithCommas(ge20) + ", >=100 " + WithCommas(ge100) + ", max " +
                      WithCommas(max_posts) + "; " + std::to_string(pinned) + " pinned, " +
                      WithCommas(accepted) + " accepted");
}

void Generator::MakeRecommendations() {
  std::vector<int32_t> chosen;
  for (size_t i = 0; i < posts_.size(); ++i) {
    PostRow& p = posts_[i];
    if (p.deleted) continue;
    const GroupRow& g = groups_[threads_[p.thread].group];
    int64_t k = 0;
    if (Uniform01(rng_) < 0.0015) {
      k = UniformInt(rng_, 20, 120);  // the occasional post everybody liked
    } else if (Uniform01(rng_) < 0.12) {
      k = 1 + static_cast<int64_t>(Exponential(rng_, 1.0));
    }
    k = std::min<int64_t>(k, static_cast<int64_t>(g.posters.size()) - 1);
    chosen.clear();
    // CanRecommend: anyone who may post, never on their own post.
    for (int64_t attempt = 0; static_cast<int64_t>(chosen.size()) < k && attempt < 30 * k;
         ++attempt) {
      int32_t who = g.Poster(rng_);
      if (who == p.author || std::find(chosen.begin(), chosen.end(), who) != chosen.end()) {
        continue;
      }
      chosen.push_back(who);
    }
    std::sort(chosen.begin(), chosen.end());  // primary-key order
    for (int32_t who : chosen) {
      int64_t at = std::min<int64_t>(kBaseTime - 1,
                                     p.created + 60 + static_cast<int64_t>(Exponential(rng_, kDay)));
      recommendations_.push_back({static_cast<int32_t>(i + 1), who, at});
    }
    p.recommend_count = static_cast<int32_t>(chosen.size());
  }
  progress_.Phase("recommendations", WithCommas(recommendations_.size()) + " recommendations");
}

void Generator::MakeFollowsAndNotifications() {
  // The app follows a thread for its author and for everyone who replies.
  follows_.reserve(posts_.size());
  for (const PostRow& p : posts_) follows_.push_back({p.thread, p.author, p.created});
  std::sort(follows_.begin(), follows_.end(), [](const Follow& a, const Follow& b) {
    if (a.thread != b.thread) return a.thread < b.thread;
    if (a.account != b.account) return a.account < b.account;
    return a.created < b.created;
  });
  follows_.erase(std::unique(follows_.begin(), follows_.end(),
                             [](const Follow& a, const Follow& b) {
                               return a.thread == b.thread && a.account == b.account;
                             }),
                 follows_.end());

  // The app notifies every follower of every reply, which over two years
  // would be tens of millions of rows; keep a sample of ~200k so the
  // notification pages have realistic depth: the person replied to (or the
  // thread's author) for some replies, and every accepted answer.
  auto read_flag = [&](int64_t at) {
    return Uniform01(rng_) < (at < kBaseTime - 14 * kDay ? 0.9 : 0.3);
  };
  for (size_t i = 0; i < threads_.size(); ++i) {
    const ThreadRow& t = threads_[i];
    if (!t.accepted_post) continue;
    const PostRow& p = posts_[t.accepted_post - 1];
    if (p.author == t.author) continue;
    int64_t at = std::min<int64_t>(kBaseTime - 1, p.created + UniformInt(rng_, 600, 3 * kDay));
    notifications_.push_back(
        {at, p.author, t.author, static_cast<int32_t>(i), t.accepted_post, true, read_flag(at)});
  }
  auto recipient = [&](const PostRow& p) {
    if (p.reply_to) return posts_[p.reply_to - 1].author;
    return threads_[p.thread].author;
  };
  int64_t eligible = 0;
  for (size_t i = 0; i < posts_.size(); ++i) {
    const PostRow& p = posts_[i];
    if (threads_[p.thread].first_post != static_cast<int32_t>(i + 1) && recipient(p) != p.author) {
      ++eligible;
    }
  }
  double want = static_cast<double>(Scaled(200000, 10)) - static_cast<double>(notifications_.size());
  double prob = std::clamp(want / std::max<double>(1, eligible), 0.0, 1.0);
  for (size_t i = 0; i < posts_.size(); ++i) {
    const PostRow& p = posts_[i];
    int32_t id = static_cast<int32_t>(i + 1);
    if (threads_[p.thread].first_post == id || p.deleted) continue;
    int32_t to = recipient(p);
    if (to == p.author || Uniform01(rng_) >= prob) continue;
    notifications_.push_back({p.created, to, p.author, p.thread, id, false, read_flag(p.created)});
  }
  std::sort(notifications_.begin(), notifications_.end(),
            [](const NotificationRow& a, const NotificationRow& b) {
              if (a.created != b.created) return a.created < b.created;
              if (a.post != b.post) return a.post < b.post;
              return a.account < b.account;
            });
  progress_.Phase("follows+notifs", WithCommas(follows_.size()) + " follows, " +
                                        WithCommas(notifications_.size()) + " notifications");
}

void Generator::Write(SQLite::Database& db) {
  Transactions tx(db);
  db.exec(
      "INSERT INTO associations (id, slug, name, short_name, join_url, grace_days) VALUES "
      "(1, 'pla', 'Public Library Association', 'PLA', "
      "'https://www.ala.org/pla/membership', 30)");
  {
    BatchWriter w(tx, db,
                  "INSERT INTO interest_groups (id, association_id, slug, name, summary, "
                  "description, join_policy, visibility, listed, position) "
                  "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; i < groups_.size(); ++i) {
      const Group& g = groups_[i].g;
      SQLite::Statement& s = w.st();
      s.bind(1, static_cast<int64_t>(i + 1));
      s.bind(2, g.slug);
      s.bind(3, g.name);
      s.bind(4, g.summary);
      s.bind(5, g.description);
      s.bind(6, std::string(ToString(g.join_policy)));
      s.bind(7, std::string(ToString(g.visibility)));
      s.bind(8, g.listed ? 1 : 0);
      s.bind(9, g.position);
      w.Row();
    }
    w.Finish();
  }
  {
    BatchWriter w(tx, db,
                  "INSERT INTO accounts (id, email, name, name_key, password_hash, job_title, "
                  "organisation, location, is_admin, is_demo, created_at, updated_at, "
                  "email_verified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    BatchWriter m(tx, db,
                  "INSERT INTO memberships (association_id, email, account_id, member_type, "
                  "paid_through, source, created_at, updated_at) "
                  "VALUES (1, ?, ?, ?, ?, ?, ?, ?)");
    for (size_t id = 1; id < accounts_.size(); ++id) {
      const AccountRow& a = accounts_[id];
      SQLite::Statement& s = w.st();
      s.bind(1, static_cast<int64_t>(id));
      s.bind(2, a.email);
      s.bind(3, a.person.name);
      s.bind(4, text::ToLowerAscii(a.person.name));
      s.bindNoCopy(5, a.demo ? demo_hash_ : bench_hash_);
      s.bind(6, a.person.job_title);
      s.bind(7, a.person.organisation);
      s.bind(8, a.person.location);
      s.bind(9, a.admin ? 1 : 0);
      s.bind(10, a.demo ? 1 : 0);
      s.bind(11, a.created);
      s.bind(12, a.created);
      s.bind(13, a.created);  // verified: their memberships are attached
      w.Row();
      if (a.standing == Standing::kNone) continue;
      SQLite::Statement& ms = m.st();
      ms.bind(1, a.email);
      ms.bind(2, static_cast<int64_t>(id));
      ms.bind(3, id % 10 == 0 ? "Student" : id % 7 == 0 ? "Retired" : "Personal");
      ms.bind(4, Date(kBaseDay + a.paid_through_offset).Iso());
      ms.bind(5, a.demo ? "admin" : "import");
      ms.bind(6, a.created);
      ms.bind(7, a.created);
      m.Row();
    }
    int64_t na = w.Finish();
    int64_t nm = m.Finish();
    progress_.Phase("write accounts",
                    WithCommas(na) + " accounts, " + WithCommas(nm) + " memberships");
  }
  {
    BatchWriter w(tx, db,
                  "INSERT INTO group_members (group_id, account_id, role, joined_at) "
                  "VALUES (?, ?, ?, ?)");
    for (size_t gi = 0; gi < groups_.size(); ++gi) {
      for (const auto& [id, role] : groups_[gi].members) {
        const AccountRow& a = accounts_[id];
        SQLite::Statement& s = w.st();
        s.bind(1, static_cast<int64_t>(gi + 1));
        s.bind(2, id);
        s.bind(3, std::string(ToString(role)));
        // Before any content, after the account existed.
        s.bind(4, a.created + static_cast<int64_t>(Uniform01(rng_) *
                                                   static_cast<double>(kContentStart - a.created)));
        w.Row();
      }
    }
    progress_.Phase("write members", WithCommas(w.Finish()) + " group memberships");
  }
  {
    // Titles come from their own generator at write time (they are only
    // text); openings of pinned threads get staff-like titles.
    Rng title_rng(opt_.seed ^ 0x7f4a7c159e3779b9ULL);
    BatchWriter w(tx, db,
                  "INSERT INTO threads (id, group_id, author_id, kind, title, pinned, locked, "
                  "first_post_id, accepted_post_id, consent, reply_count, created_at, "
                  "last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; i < threads_.size(); ++i) {
      const ThreadRow& t = threads_[i];
      std::string title =
          RandomTitle(title_rng, t.kind == ThreadKind::kQuestion ? TitleKind::kQuestion
                                 : t.kind == ThreadKind::kStory  ? TitleKind::kStory
                                                                 : TitleKind::kDiscussion);
      if (t.pinned) title = "Welcome to " + groups_[t.group].g.name + ": start here";
      SQLite::Statement& s = w.st();
      s.bind(1, static_cast<int64_t>(i + 1));
      s.bind(2, t.group + 1);
      s.bind(3, t.author);
      s.bind(4, std::string(ToString(t.kind)));
      s.bind(5, title);
      s.bind(6, t.pinned ? 1 : 0);
      s.bind(7, t.locked ? 1 : 0);
      s.bind(8, t.first_post);
      if (t.accepted_post) {
        s.bind(9, t.accepted_post);
      } else {
        s.bind(9);
      }
      s.bind(10, std::string(ToString(t.consent)));
      s.bind(11, t.replies);
      s.bind(12, t.created);
      s.bind(13, t.last_activity);
      w.Row();
    }
    progress_.Phase("write threads", WithCommas(w.Finish()) + " threads");
  }
  {
    BatchWriter w(tx, db,
                  "INSERT INTO posts (id, thread_id, author_id, reply_to, body_source, "
                  "body_html, render_version, via, deleted, recommend_count, created_at, "
                  "deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; i < posts_.size(); ++i) {
      const PostRow& p = posts_[i];
      const BodyRow& b = bodies_[p.body];
      SQLite::Statement& s = w.st();
      s.bind(1, static_cast<int64_t>(i + 1));
      s.bind(2, p.thread + 1);
      s.bind(3, p.author);
      if (p.reply_to) {
        s.bind(4, p.reply_to);
      } else {
        s.bind(4);
      }
      // The pool outlives the statement, so SQLite need not copy ~1 KB/row.
      s.bindNoCopy(5, b.source);
      s.bindNoCopy(6, b.html);
      s.bind(7, markdown::kRenderVersion);
      s.bindNoCopy(8, kViaNames[p.via]);
      s.bind(9, p.deleted ? 1 : 0);
      s.bind(10, p.recommend_count);
      s.bind(11, p.created);
      if (p.deleted) {
        s.bind(12, std::min<int64_t>(kBaseTime - 1, p.created + 3600));
      } else {
        s.bind(12);
      }
      w.Row();
    }
    progress_.Phase("write posts", WithCommas(w.Finish()) + " posts");
  }
  {
    BatchWriter w(tx, db,
                  "INSERT INTO recommendations (post_id, account_id, created_at) "
                  "VALUES (?, ?, ?)");
    for (const Recommendation& r : recommendations_) {
      SQLite::Statement& s = w.st();
      s.bind(1, r.post);
      s.bind(2, r.account);
      s.bind(3, r.created);
      w.Row();
    }
    progress_.Phase("write recs", WithCommas(w.Finish()) + " recommendations");
  }
  {
    BatchWriter w(tx, db,
                  "INSERT INTO thread_follows (thread_id, account_id, created_at) "
                  "VALUES (?, ?, ?)");
    for (const Follow& f : follows_) {
      SQLite::Statement& s = w.st();
      s.bind(1, f.thread + 1);
      s.bind(2, f.account);
      s.bind(3, f.created);
      w.Row();
    }
    int64_t nf = w.Finish();
    // No outbox rows: these notifications are history, and queued emails
    // for them would make the server start mailing on first boot.
    BatchWriter n(tx, db,
                  "INSERT INTO notifications (account_id, kind, actor_id, thread_id, post_id, "
                  "read, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const NotificationRow& r : notifications_) {
      SQLite::Statement& s = n.st();
      s.bind(1, r.account);
      s.bindNoCopy(2, r.accepted ? "answer_accepted" : "reply");
      s.bind(3, r.actor);
      s.bind(4, r.thread + 1);
      s.bind(5, r.post);
      s.bind(6, r.read ? 1 : 0);
      s.bind(7, r.created);
      n.Row();
    }
    progress_.Phase("write follows", WithCommas(nf) + " follows, " + WithCommas(n.Finish()) +
                                         " notifications");
  }
  tx.Commit();
}

void Generator::WriteInfo(const std::string& path, int64_t db_bytes) {
  // Load scripts sign in as sampled members and read the sampled threads,
  // so both come from data-measurement (members-only; every sampled member
  // may post there) topped up from social-work (public, so readable by
  // anyone; sampled members are preferably in it too).
  auto group_index = [&](const char* slug) {
    for (size_t i = 0; i < groups_.size(); ++i) {
      if (groups_[i].g.slug == slug) return static_cast<int32_t>(i);
    }
    return int32_t{-1};
  };
  int32_t dm = group_index("data-measurement"), sw = group_index("social-work");
  // The scenario is "a thread page with 20 posts": threads with exactly 20
  // posts, widened to 21, 22, ... only while there are fewer than the load
  // scripts sample (a longer thread's page would show a full page of 30).
  auto in_range = [&](size_t i, int32_t g, int64_t most) {
    int64_t posts = threads_[i].replies + 1;
    return threads_[i].group == g && posts >= kPagePosts && posts <= most;
  };
  int64_t most = kPagePosts, longest = 0;
  for (const auto& t : threads_) longest = std::max<int64_t>(longest, t.replies + 1);
  for (;; ++most) {
    size_t n = 0;
    for (size_t i = 0; i < threads_.size(); ++i) n += in_range(i, dm, most) || in_range(i, sw, most);
    if (n >= kSampledThreads || most >= longest) break;
  }
  std::vector<int32_t> long_threads;
  for (int32_t g : {dm, sw}) {
    std::vector<int32_t> ids;
    for (size_t i = 0; i < threads_.size(); ++i) {
      if (in_range(i, g, most)) ids.push_back(static_cast<int32_t>(i + 1));
    }
    size_t room = 1000 - long_threads.size();
    // Evenly spread over the ids (old and new threads) when there are more.
    for (size_t k = 0; k < std::min(room, ids.size()); ++k) {
      long_threads.push_back(ids[k * ids.size() / std::min(room, ids.size())]);
    }
  }
  std::vector<int32_t> both, dm_only;
  {
    std::vector<uint8_t> in_sw(accounts_.size());
    for (const auto& [id, role] : groups_[sw].members) in_sw[id] = 1;
    for (int32_t id : groups_[dm].posters) {
      if (id < kFirstMember) continue;
      (in_sw[id] ? both : dm_only).push_back(id);
    }
    std::sort(both.begin(), both.end());
    std::sort(dm_only.begin(), dm_only.end());
    Rng pick(opt_.seed ^ 0x51ed270b27f1a3c5ULL);
    Shuffle(pick, both);
    Shuffle(pick, dm_only);
    both.insert(both.end(), dm_only.begin(), dm_only.end());
    if (both.size() > 1000) both.resize(1000);
  }

  std::string out = "{\n  \"threads_with_20_posts\": [";
  for (size_t i = 0; i < long_threads.size(); ++i) {
    out += (i ? "," : "") + std::to_string(long_threads[i]);
  }
  out += "],\n  \"thread_groups\": [\"data-measurement\", \"social-work\"],\n  \"groups\": [";
  for (size_t i = 0; i < groups_.size(); ++i) {
    out += std::string(i ? ", " : "") + "\"" + groups_[i].g.slug + "\"";
  }
  out += "],\n  \"member_emails_sample\": [";
  for (size_t i = 0; i < both.size(); ++i) {
    out += std::string(i ? ", " : "") + "\"" + accounts_[both[i]].email + "\"";
  }
  out += "],\n  \"password\": \"" + std::string(kBenchPassword) + "\",\n";
  out += "  \"liaison_email\": \"liaison" + std::string(kBenchDomain) + "\",\n";
  out += "  \"demo_password\": \"" + std::string(app::DemoSeeder::kPassword) + "\",\n";
  out += "  \"seed\": " + std::to_string(opt_.seed) + ",\n";
  char scale[32];
  std::snprintf(scale, sizeof scale, "%g", opt_.scale);
  out += "  \"scale\": " + std::string(scale) + ",\n";
  int64_t group_members = 0;
  for (const GroupRow& g : groups_) group_members += static_cast<int64_t>(g.members.size());
  out += "  \"counts\": {\"accounts\": " + std::to_string(accounts_.size() - 1) +
         ", \"memberships\": " + std::to_string(memberships_) +
         ", \"groups\": " + std::to_string(groups_.size()) +
         ", \"group_members\": " + std::to_string(group_members) +
         ", \"threads\": " + std::to_string(threads_.size()) +
         ", \"posts\": " + std::to_string(posts_.size()) +
         ", \"recommendations\": " + std::to_string(recommendations_.size()) +
         ", \"thread_follows\": " + std::to_string(follows_.size()) +
         ", \"notifications\": " + std::to_string(notifications_.size()) +
         ", \"db_bytes\": " + std::to_string(db_bytes) + "}\n}\n";
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << out;
}

int Generator::Run() {
  namespace fs = std::filesystem;
  fs::path dir(opt_.data);
  fs::path db_path = dir / "roundtable.db";
  if (fs::exists(db_path)) {
    std::fprintf(stderr, "bench_generate: %s exists; give a fresh --data folder\n",
                 db_path.c_str());
    return 1;
  }
  fs::create_directories(dir);
  if (!crypto::Init()) {
    std::fprintf(stderr, "bench_generate: libsodium failed to start\n");
    return 1;
  }
  // Hashed once each: Argon2 per account would take hours for 50k rows.
  Result<std::string> bench_hash = crypto::HashPassword(kBenchPassword);
  Result<std::string> demo_hash = crypto::HashPassword(app::DemoSeeder::kPassword);
  if (!bench_hash.ok() || !demo_hash.ok()) {
    std::fprintf(stderr, "bench_generate: password hashing failed\n");
    return 1;
  }
  bench_hash_ = *bench_hash;
  demo_hash_ = *demo_hash;
  {
    auto store = store::OpenStore("sqlite:" + db_path.string());
    if (!store.ok()) {
      std::fprintf(stderr, "bench_generate: %s\n", store.error().message.c_str());
      return 1;
    }
    auto ran = (*store)->Migrate();
    if (!ran.ok()) {
      std::fprintf(stderr, "bench_generate: migrate: %s\n", ran.error().message.c_str());
      return 1;
    }
  }  // closed: the bulk connection below wants the file to itself
  progress_.Phase("schema", "migrated " + db_path.string());

  MakeAccounts();
  MakeGroups();
  MakeBodies();
  MakeThreadsAndPosts();
  MakeRecommendations();
  MakeFollowsAndNotifications();

  {
    SQLite::Database db(db_path.string(), SQLite::OPEN_READWRITE);
    // Throwaway bench data: no journal and no fsync while loading (a crash
    // means rerunning into a fresh folder), a big page cache for the
    // indexes, and foreign keys off since the ids are consistent by
    // construction (verify with PRAGMA foreign_key_check).
    db.exec("PRAGMA journal_mode=OFF");
    db.exec("PRAGMA synchronous=OFF");
    db.exec("PRAGMA locking_mode=EXCLUSIVE");
    db.exec("PRAGMA cache_size=-1048576");
    db.exec("PRAGMA temp_store=MEMORY");
    db.exec("PRAGMA foreign_keys=OFF");
    Write(db);
    db.exec("ANALYZE");
    progress_.Phase("analyze", "ANALYZE done");
    // Back to the mode the server runs in (the setting is stored in the
    // file), then fold the WAL into the main file.
    db.exec("PRAGMA locking_mode=NORMAL");
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  int64_t db_bytes = static_cast<int64_t>(fs::file_size(db_path));
  WriteInfo((dir / "bench-info.json").string(), db_bytes);

  // A few thread ids worth opening by hand: the longest ones.
  std::vector<int32_t> order(threads_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int32_t>(i);
  std::partial_sort(order.begin(), order.begin() + std::min<size_t>(5, order.size()),
                    order.end(), [&](int32_t a, int32_t b) {
                      return threads_[a].replies > threads_[b].replies;
                    });
  std::string longest;
  for (size_t i = 0; i < std::min<size_t>(5, order.size()); ++i) {
    const ThreadRow& t = threads_[order[i]];
    longest += " " + std::to_string(order[i] + 1) + " (" + groups_[t.group].g.slug + ", " +
               std::to_string(t.replies) + " replies)";
  }
  std::fprintf(stderr, "longest threads:%s\n", longest.c_str());
  std::fprintf(stderr,
               "done in %.1fs: %s accounts, %s memberships, %zu groups, %s threads, %s posts, "
               "%s recommendations, %s follows, %s notifications; %s is %.1f MB\n",
               progress_.Elapsed(), WithCommas(accounts_.size() - 1).c_str(),
               WithCommas(memberships_).c_str(), groups_.size(),
               WithCommas(threads_.size()).c_str(), WithCommas(posts_.size()).c_str(),
               WithCommas(recommendations_.size()).c_str(), WithCommas(follows_.size()).c_str(),
               WithCommas(notifications_.size()).c_str(), db_path.c_str(),
               static_cast<double>(db_bytes) / 1e6);
  return 0;
}

int Usage() {
  std::fprintf(stderr, "usage: bench_generate --data DIR [--seed N] [--scale F]\n");
  return 2;
}

}  // namespace

}  // namespace rt::bench

int main(int argc, char** argv) {
  rt::bench::Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) return rt::bench::Usage();
    std::string v = argv[++i];
    try {
      if (a == "--data") {
        opt.data = v;
      } else if (a == "--seed") {
        opt.seed = std::stoull(v);
      } else if (a == "--scale") {
        opt.scale = std::stod(v);
      } else {
        return rt::bench::Usage();
      }
    } catch (const std::exception&) {
      return rt::bench::Usage();
    }
  }
  if (opt.data.empty() || !(opt.scale > 0 && opt.scale <= 10)) return rt::bench::Usage();
  try {
    return rt::bench::Generator(opt).Run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_generate: %s\n", e.what());
    return 1;
  }
}
