#ifndef RT_STORE_RESOURCES_H_
#define RT_STORE_RESOURCES_H_

#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"
#include "domain/resources/resource.h"

// The resources repository (issue 6, migration 019). Errors as in
// store/store.h, plus those listed per method.
namespace rt::store {

// A resource with the name of who shared it, as lists and pages show it.
struct ResourceListing {
  Resource resource;
  std::string shared_by_name;
};

// A tag of a group's library and how many resources carry it.
struct TagCount {
  std::string tag;
  int64_t count = 0;
};

class ResourceRepository {
 public:
  virtual ~ResourceRepository() = default;
  // Inserts `r` (id ignored) with its tags; returns it with its id.
  virtual Result<Resource> Create(const Resource& r) = 0;
  // nullopt when there is no such resource.
  virtual Result<std::optional<ResourceListing>> Find(ResourceId id) = 0;
  // Up to `limit` resources of the group, newest first, with ids below
  // `before` (all when invalid); only those tagged `tag` unless it is "".
  // Tags included; a constant number of queries.
  virtual Result<std::vector<ResourceListing>> List(GroupId group,
                                                    const std::string& tag,
                                                    ResourceId before,
                                                    int limit) = 0;
  // The group's most used tags (most first, then by name), at most `limit`.
  virtual Result<std::vector<TagCount>> Tags(GroupId group, int limit) = 0;
  virtual Result<bool> RecommendedBy(ResourceId id, AccountId account) = 0;
  // Adds or withdraws the account's recommendation; returns the new count.
  // Doing what is already done changes nothing.
  virtual Result<int64_t> SetRecommendation(ResourceId id, AccountId account,
                                            bool on, TimePoint now) = 0;
  // Records a confirmation that the resource is still good.
  virtual Status SetLastChecked(ResourceId id, AccountId by, TimePoint at) = 0;
  virtual Status SetThread(ResourceId id, ThreadId thread) = 0;
  // Returns false when there was no such resource.
  virtual Result<bool> Delete(ResourceId id) = 0;
  // The total size of the files the account shares now.
  virtual Result<int64_t> FileBytesSharedBy(AccountId account) = 0;
  // Every file hash some resource names (for reclaiming orphan files).
  virtual Result<std::unordered_set<std::string>> FileHashes() = 0;
};

}  // namespace rt::store

#endif  // RT_STORE_RESOURCES_H_
