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
#include "store/discussions.h"

// The resources repository (issue 6, migration 019). Errors as in
// store/store.h, plus those listed per method.
namespace rt::store {

// A resource with the name of who shared it, as lists and pages show it.
struct ResourceListing {
  Resource resource;
  std::string shared_by_name;
};

// A discussion that attaches a resource: its thread and the newest post
// there that attaches it.
struct ResourceDiscussion {
  ThreadId thread;
  std::string title;
  PostId post;
  TimePoint posted_at;
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
  // Attaches `ids`, in that order, to post `post` of thread `thread`
  // (migration 021). The caller checks that they may be attached. Must run
  // inside the transaction that writes the post.
  virtual Status Attach(PostId post, ThreadId thread, const std::vector<ResourceId>& ids) = 0;
  // What post `post` attaches, in order. One query.
  virtual Result<std::vector<PostAttachment>> AttachmentsOf(PostId post) = 0;
  // Up to `limit` threads with a visible (not deleted) post that attaches
  // resource `id`, most recently attached first. One query.
  virtual Result<std::vector<ResourceDiscussion>> Discussions(ResourceId id, int limit) = 0;
  // The total size of the files the account shares now.
  virtual Result<int64_t> FileBytesSharedBy(AccountId account) = 0;
  // Every file hash some resource names (for reclaiming orphan files).
  virtual Result<std::unordered_set<std::string>> FileHashes() = 0;
};

}  // namespace rt::store

#endif  // RT_STORE_RESOURCES_H_
