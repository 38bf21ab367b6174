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
  Result<DemoReport> Seed();

  static constexpr const char* kPassword = "roundtable-demo";

 private:
  const AppContext& ctx_;
};

// The nine interest groups of the reference customer, in page order.
std::vector<Group> PlaGroups();

}  // namespace rt::app

#endif  // RT_APP_DEMO_H_
