#ifndef RT_APP_DEMO_H_
#define RT_APP_DEMO_H_

#include <string>
#include <vector>

#include "app/context.h"

namespace rt::app {

struct DemoLogin {
  std::string email;
  std::string who;  // "staff liaison", "member whose membership ended", ...
};

struct DemoReport {
  std::vector<DemoLogin> logins;
  std::string password;  // shared by every demo account
  int groups = 0;
};

// Sets up the demo association (Public Library Association, slug "pla"), its
// nine interest groups, a staff liaison, an admin and members in every
// membership state. Safe to run twice. Refuses (kRuleBroken
// "not_demo_data") when the database already holds accounts that are not
// demo accounts, so demo logins never appear beside real ones.
class DemoSeeder {
 public:
  explicit DemoSeeder(const AppContext& ctx) : ctx_(ctx) {}
  // `with_discussions` adds a few sample threads (first run only); test
  // suites leave it off to start from empty groups.
  Result<DemoReport> Seed(bool with_discussions = false);

  static constexpr const char* kPassword = "roundtable-demo";

 private:
  // A few threads so the demo groups are not empty (first run only).
  Status SeedDiscussions(store::Store& db, const Association& pla);
  // Members of Data and Measurement who answered its outcome check-ins in
  // earlier months, enough to pass the privacy threshold, so that the
  // outcomes have something to show (first run only). They cannot sign in.
  Status SeedCheckins(store::Store& db, const Association& pla);

  const AppContext& ctx_;
};

// The nine interest groups of the reference customer, in page order.
std::vector<Group> PlaGroups();

}  // namespace rt::app

#endif  // RT_APP_DEMO_H_
