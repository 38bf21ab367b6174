#ifndef RT_STORE_SQLITE_SQLITE_ENGAGEMENT_H_
#define RT_STORE_SQLITE_SQLITE_ENGAGEMENT_H_

#include "store/engagement.h"
#include "store/sqlite/connection.h"

namespace rt::store::sqlite {

class SqliteEngagement final : public EngagementRepository {
 public:
  explicit SqliteEngagement(Connection& c) : c_(c) {}
  Result<std::vector<GroupEngagementCounts>> Count(const EngagementScope& scope) override;

 private:
  Connection& c_;
};

}  // namespace rt::store::sqlite

#endif  // RT_STORE_SQLITE_SQLITE_ENGAGEMENT_H_
