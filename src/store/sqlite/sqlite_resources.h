#ifndef RT_STORE_SQLITE_SQLITE_RESOURCES_H_
#define RT_STORE_SQLITE_SQLITE_RESOURCES_H_

#include "store/discussions.h"
#include "store/resources.h"
#include "store/sqlite/connection.h"

namespace rt::store::sqlite {

// Fills the attachments of the visible posts of `contents` (its posts,
// opening and answer) in one query on the thread's index range, which
// costs one empty probe for a thread without any (migration 021).
void LoadPostAttachments(Connection& c, ThreadContents& contents);

class SqliteResources final : public ResourceRepository {
 public:
  explicit SqliteResources(Connection& c) : c_(c) {}
  Result<Resource> Create(const Resource& r) override;
  Result<std::optional<ResourceListing>> Find(ResourceId id) override;
  Result<std::vector<ResourceListing>> List(GroupId group,
                                            const std::string& tag,
                                            ResourceId before,
                                            int limit) override;
  Result<std::vector<TagCount>> Tags(GroupId group, int limit) override;
  Result<bool> RecommendedBy(ResourceId id, AccountId account) override;
  Result<int64_t> SetRecommendation(ResourceId id, AccountId account, bool on,
                                    TimePoint now) override;
  Status SetLastChecked(ResourceId id, AccountId by, TimePoint at) override;
  Status SetThread(ResourceId id, ThreadId thread) override;
  Result<bool> Delete(ResourceId id) override;
  Status Attach(PostId post, ThreadId thread, const std::vector<ResourceId>& ids) override;
  Result<std::vector<PostAttachment>> AttachmentsOf(PostId post) override;
  Result<std::vector<ResourceDiscussion>> Discussions(ResourceId id, int limit) override;
  Result<int64_t> FileBytesSharedBy(AccountId account) override;
  Result<std::unordered_set<std::string>> FileHashes() override;

 private:
  // Fills the tags of `rows` in one query.
  void LoadTags(std::vector<ResourceListing>& rows);

  Connection& c_;
};

}  // namespace rt::store::sqlite

#endif  // RT_STORE_SQLITE_SQLITE_RESOURCES_H_
