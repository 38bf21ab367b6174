#ifndef RT_TESTS_SUPPORT_APP_FIXTURE_H_
#define RT_TESTS_SUPPORT_APP_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/context.h"
#include "core/crypto.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace rt::testing {

// Use cases over a real SQLite file in a fresh folder, with a pinned clock
// (2026-03-01) and the schema migrated.
class AppTest : public ::testing::Test {
 protected:
  AppTest()
      : clock_(FromUnix(1772366400)),  // 2026-03-01T12:00:00Z
        pool_("sqlite:" + dir_.path() + "/rt.db") {
    crypto::Init();
    ctx_.pool = &pool_;
    ctx_.clock = &clock_;
    ctx_.association_slug = "pla";
    // Account mail needs a domain for Message-IDs and a site for links.
    ctx_.mail.domain = "groups.example.org";
    ctx_.mail.from_address = "noreply@groups.example.org";
    ctx_.mail.base_url = "https://groups.example.org";
    auto db = pool_.ForThisThread();
    EXPECT_TRUE(db.ok());
    if (db.ok()) {
      EXPECT_TRUE((*db)->Migrate().ok());
    }
  }
  store::Store& db() { return **pool_.ForThisThread(); }

  // The viewer signed in as the account with `email`, which must exist
  // (e.g. a demo account after DemoSeeder::Seed).
  app::Viewer As(const std::string& email) {
    auto a = db().accounts().FindByEmail(email);
    EXPECT_TRUE(a.ok() && a->has_value()) << email;
    return a.ok() && a->has_value() ? app::Viewer{**a} : app::Viewer{};
  }

  TempDir dir_;
  FixedClock clock_;
  store::StorePool pool_;
  app::AppContext ctx_;
};

}  // namespace rt::testing

#endif  // RT_TESTS_SUPPORT_APP_FIXTURE_H_
