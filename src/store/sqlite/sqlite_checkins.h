#ifndef RT_STORE_SQLITE_SQLITE_CHECKINS_H_
#define RT_STORE_SQLITE_SQLITE_CHECKINS_H_

#include "store/checkins.h"
#include "store/sqlite/connection.h"

namespace rt::store::sqlite {

class SqliteCheckins final : public CheckinRepository {
 public:
  explicit SqliteCheckins(Connection& c) : c_(c) {}
  Result<std::vector<OutcomeStatement>> Statements(AssociationId assoc) override;
  Status SaveStatements(AssociationId assoc,
                        const std::vector<OutcomeStatement>& statements) override;
  Result<int> Threshold(AssociationId assoc) override;
  Status SetThreshold(AssociationId assoc, int threshold) override;
  Result<std::vector<Checkin>> OfMember(GroupId group, AccountId account) override;
  Result<MemberCheckinFacts> MemberFacts(GroupId group, AccountId account) override;
  Result<Checkin> Record(const Checkin& c) override;
  Result<std::optional<CheckinView>> Find(CheckinId id) override;
  Result<std::vector<CheckinView>> ListMine(AccountId account, CheckinId before,
                                            int limit) override;
  Result<bool> DeleteAnswers(CheckinId id, AccountId account) override;
  Result<std::vector<CheckinOffer>> DueOffers(AssociationId assoc, TimePoint now,
                                              int limit) override;
  Result<bool> RecordOffer(GroupId group, AccountId account, CheckinMoment moment, bool mailed,
                           TimePoint now) override;
  Result<std::vector<AnsweredCheckin>> Answered(AssociationId assoc,
                                                const std::vector<GroupId>& groups) override;

 private:
  // The answers of `ids`, by check-in id then question position as stored.
  std::vector<std::pair<CheckinId, CheckinAnswer>> AnswersOf(const std::string& json_ids);

  Connection& c_;
};

}  // namespace rt::store::sqlite

#endif  // RT_STORE_SQLITE_SQLITE_CHECKINS_H_
