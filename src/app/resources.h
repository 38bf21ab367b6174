#ifndef RT_APP_RESOURCES_H_
#define RT_APP_RESOURCES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/discussions.h"
#include "app/group_access.h"
#include "store/file_store.h"
#include "store/store.h"

namespace rt::app {

// Default size limits of uploads: per file (serve --max-upload-mb) and per
// member, all their shared files together (serve --upload-quota-mb).
inline constexpr int64_t kDefaultMaxUploadBytes = 25ll * 1024 * 1024;
inline constexpr int64_t kDefaultUploadQuotaBytes = 200ll * 1024 * 1024;
// Images larger than this are offered as downloads, not shown inline.
inline constexpr int64_t kMaxInlineImageBytes = 5ll * 1024 * 1024;
// Orphan files younger than this are left alone by ReclaimOrphans: they
// may belong to an upload whose row is about to commit.
inline constexpr std::chrono::seconds kOrphanGrace{60 * 60};

struct ResourceLimits {
  int64_t max_file_bytes = kDefaultMaxUploadBytes;
  int64_t quota_bytes = kDefaultUploadQuotaBytes;
};

// An uploaded file waiting to be shared: already written (by the web layer's
// form parser) to `path`, a FileStore temp path. The service moves it into
// the store or deletes it; the caller may delete whatever is left.
struct UploadInput {
  std::string path;
  std::string file_name;  // as the client sent it
  int64_t size = 0;
};

struct NewResource {
  std::string
      kind;  // "file" or "link"; "" means file when a file came, else link
  std::string title;
  std::string description;  // Markdown
  std::string license;      // a licence code; "" means all rights reserved
  std::string tags;         // comma-separated
  std::string url;          // links
  std::optional<UploadInput> file;
};

// One page of a group's library for one viewer.
struct LibraryPage {
  Group group;
  std::string tag;  // the filter, normalised; "" for all
  std::vector<store::ResourceListing> resources;
  std::optional<ResourceId> next;  // cursor: ids below it
  std::vector<store::TagCount> tags;
  bool can_share = false;
  std::string share_refusal;  // plain words when the viewer may not share
};

// A resource's page for one viewer, with what they may do.
struct ResourcePage {
  store::ResourceListing item;
  Group group;
  bool stale = false;
  bool can_recommend = false;
  bool recommended = false;  // by the viewer
  bool can_confirm = false;
  bool can_delete = false;
  bool can_discuss = false;  // may start or join its discussion
  bool previewable = false;  // an image small enough to show inline
};

// A file to send, after the permission check.
struct Download {
  std::string path;
  std::string type;
  std::string file_name;
  int64_t size = 0;
};

// The group's library: share, browse, recommend, confirm, remove, discuss.
// Thread-safe. Permission checks are the Guardian's (CanSeeResources ...),
// made on every call, downloads included.
class ResourcesService {
 public:
  ResourcesService(const AppContext& ctx, const store::FileStore* files,
                   ResourceLimits limits)
      : ctx_(ctx), files_(files), limits_(limits), discussions_(ctx) {}

  static constexpr int kPageSize = 20;

  const ResourceLimits& limits() const { return limits_; }
  // A fresh temp path for an upload (see UploadInput); "" without a store.
  std::string NewUploadPath() const {
    return files_ ? files_->NewTempPath() : "";
  }

  // Errors: kNotFound "group_not_found" (also when the library is hidden);
  // kInvalidInput "invalid_tag" for a tag filter that cannot be a tag.
  Result<LibraryPage> List(const Viewer& viewer, const std::string& slug,
                           const std::string& tag, ResourceId before);

  // Errors: kNotFound "not_found" (missing or hidden).
  Result<ResourcePage> Get(const Viewer& viewer, ResourceId id);

  // Shares a link or a file in the group. A file is typed by content, checked
  // against the allow-list and its name, ZIP-bomb checked, counted against
  // the member's quota, moved into the file store and only then recorded.
  // Errors: field errors (kInvalidInput / kTooLarge / kRuleBroken
  // "url_scheme_not_allowed" / kUnsupportedType "file_type_not_allowed" /
  // kRuleBroken "file_type_mismatch", "zip_bomb", "upload_quota_exceeded");
  // kInvalidInput "file_required" (field "file") / "invalid_kind" /
  // "invalid_license"; refusals of CanShareResource. With an
  // `idempotency_key` (app/idempotency.h), a retry of the same request
  // returns the first resource and stores nothing; the key with another
  // request is kRuleBroken "idempotency_key_reused".
  Result<store::ResourceListing> Share(const Viewer& viewer, const std::string& slug,
                                       NewResource in, const std::string& idempotency_key = "");

  // Starts a thread (or replies) whose post attaches a new file resource
  // shared with it: `upload` (kind "file"; titled by its file name when it
  // has no title) is checked and its file stored as Share does, then the
  // resource and the post are written in one transaction, so neither is
  // kept without the other. `attach` (in.attach) adds resources already in
  // the library. Errors: Share's for the upload (its fields: "file",
  // "title"), then those of StartThread and Reply.
  Result<Created> StartThreadSharing(const Viewer& viewer, const std::string& slug, NewThread in,
                                     NewResource upload, PostVia via,
                                     const std::string& idempotency_key);
  Result<Created> ReplySharing(const Viewer& viewer, ThreadId thread, const std::string& body,
                               PostId reply_to, Attachments attach, NewResource upload, PostVia via,
                               const std::string& idempotency_key);

  // The discussions that attach the resource (the resource's page lists
  // them), most recent first, at most kPageSize. Errors: as Get's.
  Result<std::vector<store::ResourceDiscussion>> Discussions(const Viewer& viewer, ResourceId id);

  // Adds or withdraws the viewer's recommendation; returns the new count.
  Result<int64_t> Recommend(const Viewer& viewer, ResourceId id, bool on);
  // Confirms the resource is still good: last checked becomes now.
  Status Confirm(const Viewer& viewer, ResourceId id);
  // Removes the resource (its file is reclaimed later).
  Status Delete(const Viewer& viewer, ResourceId id);

  // The file of a file resource; `inline_image` asks for the preview, which
  // only images of the allow-list under kMaxInlineImageBytes have.
  // Errors: kNotFound "not_found" (missing, hidden, a link, no preview).
  Result<Download> File(const Viewer& viewer, ResourceId id, bool inline_image);

  // Posts `body` in the resource's discussion, starting it (a thread in
  // the group, through DiscussionsService) when it has none yet. Returns the
  // thread and the new post. Errors: those of StartThread and Reply.
  Result<Created> Discuss(const Viewer& viewer, ResourceId id,
                          const std::string& body);

  // Deletes stored files no resource names and abandoned temp files, each
  // older than `grace`. Errors: the store's.
  Result<store::FileStore::Reclaimed> ReclaimOrphans(
      std::chrono::seconds grace);

 private:
  struct Access;
  Result<Access> Load(store::Store& db, const Viewer& viewer, ResourceId id);
  // Validates `in`, checks that the viewer may share in the group, and for
  // a file checks its type and stores it (quota first when `quota_first`):
  // the resource, ready for Record. Writes no row.
  Result<Resource> Prepare(const Viewer& viewer, const std::string& slug, NewResource in,
                           bool quota_first);
  // Writes the prepared resource in group `g`, inside the caller's
  // transaction, after checking permission and quota again.
  Result<Resource> Record(store::Store& db, const Viewer& viewer, const GroupAccess& g, Resource r);
  Status CheckQuota(store::Store& db, AccountId account, int64_t adding) const;
  // `attach` plus `upload`, prepared, to be shared with the post.
  Result<Attachments> WithUpload(const Viewer& viewer, const std::string& slug, Attachments attach,
                                 NewResource upload, bool quota_first);

  const AppContext& ctx_;
  const store::FileStore* files_;
  ResourceLimits limits_;
  DiscussionsService discussions_;
};

}  // namespace rt::app

#endif  // RT_APP_RESOURCES_H_
