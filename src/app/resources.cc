#include "app/resources.h"

#include <cstdio>

#include "app/idempotency.h"
#include "core/crypto.h"
#include "core/text.h"
#include "domain/discussions/markdown.h"
#include "domain/resources/resource.h"
#include "store/file_check.h"

namespace rt::app {

namespace {

Error NotFound() {
  return MakeError(ErrorKind::kNotFound, "not_found",
                   "We could not find that resource.");
}

std::string Megabytes(int64_t bytes) {
  return std::to_string(bytes / (1024 * 1024)) + " MB";
}

// Removes an upload's temp file unless it was moved into the store.
struct TempFileGuard {
  std::string path;
  ~TempFileGuard() {
    if (!path.empty()) std::remove(path.c_str());
  }
};

}  // namespace

struct ResourcesService::Access {
  store::ResourceListing item;
  GroupAccess g;
};

Result<ResourcesService::Access> ResourcesService::Load(store::Store& db,
                                                        const Viewer& viewer,
                                                        ResourceId id) {
  if (!id.valid()) return NotFound();
  RT_ASSIGN_OR_RETURN(std::optional<store::ResourceListing> item,
                      db.resources().Find(id));
  if (!item) return NotFound();
  RT_ASSIGN_OR_RETURN(std::optional<Group> group,
                      db.groups().FindById(item->resource.group_id));
  if (!group) return NotFound();
  auto g = LoadGroupAccess(ctx_, db, viewer, group->slug);
  if (!g.ok()) {
    if (g.error().kind == ErrorKind::kNotFound) return NotFound();
    return g.take_error();
  }
  if (!policy::CanSeeResources(g->actor, g->group()).allowed) return NotFound();
  return Access{*std::move(item), *std::move(g)};
}

Result<LibraryPage> ResourcesService::List(const Viewer& viewer,
                                           const std::string& slug,
                                           const std::string& tag_in,
                                           ResourceId before) {
  LibraryPage page;
  if (!tag_in.empty()) {
    std::optional<std::string> tag = resources::NormaliseTag(tag_in);
    if (!tag) {
      return MakeError(ErrorKind::kInvalidInput, "invalid_tag",
                       "That is not a tag.", "tag");
    }
    page.tag = *tag;
  }
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess g, LoadGroupAccess(ctx_, *db, viewer, slug));
  if (!policy::CanSeeResources(g.actor, g.group()).allowed)
    return GroupNotFound();
  page.group = g.group();
  RT_ASSIGN_OR_RETURN(
      page.resources,
      db->resources().List(g.group().id, page.tag, before, kPageSize + 1));
  if (page.resources.size() > static_cast<size_t>(kPageSize)) {
    page.resources.pop_back();
    page.next = page.resources.back().resource.id;
  }
  RT_ASSIGN_OR_RETURN(page.tags, db->resources().Tags(g.group().id, 30));
  policy::Decision share = policy::CanShareResource(g.actor, g.group());
  page.can_share = share.allowed;
  if (!share.allowed)
    page.share_refusal =
        ExplainRefusal(share.reason, g.association, g.standing);
  return page;
}

Result<ResourcePage> ResourcesService::Get(const Viewer& viewer,
                                           ResourceId id) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Access a, Load(*db, viewer, id));
  ResourcePage p;
  const Resource& r = a.item.resource;
  const policy::Actor& actor = a.g.actor;
  const Group& group = a.g.group();
  p.stale = resources::IsStale(r.last_checked_at, ctx_.Now());
  p.can_recommend =
      policy::CanRecommendResource(actor, group, r.shared_by).allowed;
  p.can_confirm = policy::CanConfirmResource(actor, group).allowed;
  p.can_delete = policy::CanDeleteResource(actor, group, r.shared_by).allowed;
  p.can_discuss = policy::CanPost(actor, group).allowed;
  p.previewable = r.kind == ResourceKind::kFile &&
                  store::IsPreviewableImage(r.file_type) &&
                  r.file_size <= kMaxInlineImageBytes;
  if (viewer.account) {
    RT_ASSIGN_OR_RETURN(p.recommended,
                        db->resources().RecommendedBy(id, viewer.account->id));
  }
  p.group = group;
  p.item = std::move(a.item);
  return p;
}

Status ResourcesService::CheckQuota(store::Store& db, AccountId account, int64_t adding) const {
  RT_ASSIGN_OR_RETURN(int64_t used, db.resources().FileBytesSharedBy(account));
  if (used + adding > limits_.quota_bytes) {
    return MakeError(ErrorKind::kRuleBroken, "upload_quota_exceeded",
                     "You have shared " + Megabytes(used) +
                         " of files, and each member may share " + Megabytes(limits_.quota_bytes) +
                         ". Remove files you shared that are no longer "
                         "needed, or share a link.",
                     "file");
  }
  return OkStatus();
}

Result<Resource> ResourcesService::Prepare(const Viewer& viewer, const std::string& slug,
                                           NewResource in, bool quota_first) {
  TempFileGuard temp{in.file ? in.file->path : std::string()};
  std::optional<ResourceKind> kind = ParseResourceKind(
      in.kind.empty() ? (in.file ? "file" : "link") : in.kind);
  if (!kind) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_kind",
                     "Choose a file or a link.", "kind");
  }
  Resource r;
  r.kind = *kind;
  RT_ASSIGN_OR_RETURN(r.title, resources::ValidateTitle(in.title));
  RT_ASSIGN_OR_RETURN(r.description_source,
                      resources::ValidateDescription(in.description));
  std::optional<License> license =
      ParseLicense(in.license.empty() ? "all-rights-reserved" : in.license);
  if (!license) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_license",
                     "Choose one of the licences listed.", "license");
  }
  r.license = *license;
  RT_ASSIGN_OR_RETURN(r.tags, resources::NormaliseTags(in.tags));
  if (r.kind == ResourceKind::kLink) {
    RT_ASSIGN_OR_RETURN(r.url, resources::ValidateLinkUrl(in.url));
  } else if (!in.file || in.file->size <= 0) {
    return MakeError(ErrorKind::kInvalidInput, "file_required",
                     "Choose a file to share.", "file");
  }
  if (!viewer.account) {
    return MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                     "Sign in to share resources.");
  }
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  // Refuse early, before any work on the file, when the member may not share.
  {
    RT_ASSIGN_OR_RETURN(GroupAccess g,
                        LoadGroupAccess(ctx_, *db, viewer, slug));
    policy::Decision d = policy::CanShareResource(g.actor, g.group());
    if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
  }
  if (r.kind == ResourceKind::kFile) {
    if (files_ == nullptr) {
      return MakeError(
          ErrorKind::kUnavailable, "file_store_unavailable",
          "Files cannot be shared here right now. Share a link instead.");
    }
    if (in.file->size > limits_.max_file_bytes) {
      return MakeError(ErrorKind::kTooLarge, "file_too_large",
                       "The file is larger than " +
                           Megabytes(limits_.max_file_bytes) +
                           ". Share a smaller file, or a link to it.",
                       "file");
    }
    r.file_name = resources::CleanFileName(in.file->file_name);
    r.file_size = in.file->size;
    if (quota_first) {
      RT_RETURN_IF_ERROR(CheckQuota(*db, viewer.account->id, r.file_size));
    }
    RT_ASSIGN_OR_RETURN(store::CheckedFile checked,
                        store::CheckFileType(in.file->path, r.file_name));
    r.file_type = checked.type;
    r.image_width = checked.width;
    r.image_height = checked.height;
    RT_ASSIGN_OR_RETURN(r.file_sha256, crypto::Sha256OfFile(in.file->path));
    // The file is in place before the row that names it commits. A replayed
    // request commits the same content again, which names the same file.
    RT_RETURN_IF_ERROR(files_->Commit(in.file->path, r.file_sha256));
    temp.path.clear();
  }
  r.description_html = markdown::Render(r.description_source);
  r.created_at = ctx_.Now();
  r.last_checked_at = r.created_at;
  r.shared_by = viewer.account->id;
  return r;
}

Result<Resource> ResourcesService::Record(store::Store& db, const Viewer& viewer,
                                          const GroupAccess& g, Resource r) {
  policy::Decision d = policy::CanShareResource(g.actor, g.group());
  if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
  if (r.kind == ResourceKind::kFile) {
    RT_RETURN_IF_ERROR(CheckQuota(db, viewer.account->id, r.file_size));
  }
  r.group_id = g.group().id;
  return db.resources().Create(r);
}

Result<store::ResourceListing> ResourcesService::Share(const Viewer& viewer,
                                                       const std::string& slug, NewResource in,
                                                       const std::string& idempotency_key) {
  RT_RETURN_IF_ERROR(CheckIdempotencyKey(idempotency_key));
  // A retry may come back at the quota its first request filled: then only
  // the transaction, after the replay check, counts it.
  RT_ASSIGN_OR_RETURN(Resource r, Prepare(viewer, slug, std::move(in), idempotency_key.empty()));
  // What makes this request what it is: the file by its content.
  std::string request = "resource\n" + slug + "\n" + std::string(ToString(r.kind)) + "\n" +
                        r.title + "\n" + r.description_source + "\n" +
                        std::string(ToString(r.license)) + "\n" + r.url + "\n" + r.file_sha256 +
                        "\n" + r.file_name + "\n";
  for (const std::string& tag : r.tags) request += tag + ",";
  const std::string fingerprint = RequestFingerprint(request);
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  store::ResourceListing out;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(GroupAccess g,
                        LoadGroupAccess(ctx_, *db, viewer, slug));
    policy::Decision d = policy::CanShareResource(g.actor, g.group());
    if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
    RT_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                        ReplayIdempotent(*db, viewer.account->id, idempotency_key, fingerprint));
    if (earlier) {
      RT_ASSIGN_OR_RETURN(std::optional<store::ResourceListing> first,
                          db->resources().Find(ResourceId{std::stoll(*earlier)}));
      // Removed since: the retry has nothing to return.
      if (!first) return NotFound();
      out = *std::move(first);
      return OkStatus();
    }
    RT_ASSIGN_OR_RETURN(out.resource, Record(*db, viewer, g, r));
    out.shared_by_name = viewer.account->name;
    return RememberIdempotent(*db, viewer.account->id, idempotency_key, fingerprint,
                              std::to_string(out.resource.id.value), r.created_at);
  }));
  return out;
}

Result<Attachments> ResourcesService::WithUpload(const Viewer& viewer, const std::string& slug,
                                                 Attachments attach, NewResource upload,
                                                 bool quota_first) {
  if (upload.title.empty() && upload.file) {
    // Titled by its name ("Annual report" for annual-report.pdf) unless the
    // poster gave a title.
    std::string name = resources::CleanFileName(upload.file->file_name);
    name = name.substr(0, name.find_last_of('.'));
    for (char& ch : name) {
      if (ch == '_' || ch == '-') ch = ' ';
    }
    upload.title = name;
  }
  upload.kind = "file";
  // Counted before the file is worked on.
  if (attach.resource_ids.size() + 1 > kMaxAttachments) {
    return MakeError(
        ErrorKind::kRuleBroken, "too_many_attachments",
        "Attach at most " + std::to_string(kMaxAttachments) + " resources to one post.",
        "resource_ids");
  }
  RT_ASSIGN_OR_RETURN(Resource r, Prepare(viewer, slug, std::move(upload), quota_first));
  attach.share_fingerprint = r.file_sha256 + "\n" + r.file_name + "\n" + r.title;
  attach.share = [this, &viewer, r](store::Store& db, const GroupAccess& g) -> Result<ResourceId> {
    RT_ASSIGN_OR_RETURN(Resource created, Record(db, viewer, g, r));
    return created.id;
  };
  return attach;
}

Result<Created> ResourcesService::StartThreadSharing(const Viewer& viewer, const std::string& slug,
                                                     NewThread in, NewResource upload, PostVia via,
                                                     const std::string& idempotency_key) {
  RT_ASSIGN_OR_RETURN(in.attach, WithUpload(viewer, slug, std::move(in.attach), std::move(upload),
                                            idempotency_key.empty()));
  return discussions_.StartThread(viewer, slug, in, via, idempotency_key);
}

Result<Created> ResourcesService::ReplySharing(const Viewer& viewer, ThreadId thread,
                                               const std::string& body, PostId reply_to,
                                               Attachments attach, NewResource upload, PostVia via,
                                               const std::string& idempotency_key) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(std::optional<store::ThreadListing> listing, db->threads().Find(thread));
  if (!listing) {
    return MakeError(ErrorKind::kNotFound, "not_found", "We could not find that thread.");
  }
  RT_ASSIGN_OR_RETURN(attach, WithUpload(viewer, listing->group_slug, std::move(attach),
                                         std::move(upload), idempotency_key.empty()));
  return discussions_.Reply(viewer, thread, body, reply_to, via, idempotency_key, attach);
}

Result<int64_t> ResourcesService::Recommend(const Viewer& viewer, ResourceId id,
                                            bool on) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  int64_t count = 0;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(Access a, Load(*db, viewer, id));
    policy::Decision d = policy::CanRecommendResource(
        a.g.actor, a.g.group(), a.item.resource.shared_by);
    if (!d.allowed)
      return RefusalError(d.reason, a.g.association, a.g.standing);
    RT_ASSIGN_OR_RETURN(count, db->resources().SetRecommendation(
                                   id, viewer.account->id, on, ctx_.Now()));
    return OkStatus();
  }));
  return count;
}

Status ResourcesService::Confirm(const Viewer& viewer, ResourceId id) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  return db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(Access a, Load(*db, viewer, id));
    policy::Decision d = policy::CanConfirmResource(a.g.actor, a.g.group());
    if (!d.allowed)
      return RefusalError(d.reason, a.g.association, a.g.standing);
    return db->resources().SetLastChecked(id, viewer.account->id, ctx_.Now());
  });
}

Status ResourcesService::Delete(const Viewer& viewer, ResourceId id) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  return db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(Access a, Load(*db, viewer, id));
    policy::Decision d = policy::CanDeleteResource(a.g.actor, a.g.group(),
                                                   a.item.resource.shared_by);
    if (!d.allowed)
      return RefusalError(d.reason, a.g.association, a.g.standing);
    return ToStatus(db->resources().Delete(id));
  });
}

Result<Download> ResourcesService::File(const Viewer& viewer, ResourceId id,
                                        bool inline_image) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Access a, Load(*db, viewer, id));
  const Resource& r = a.item.resource;
  if (r.kind != ResourceKind::kFile || files_ == nullptr) return NotFound();
  if (inline_image && (!store::IsPreviewableImage(r.file_type) ||
                       r.file_size > kMaxInlineImageBytes)) {
    return NotFound();
  }
  Download d{files_->PathOf(r.file_sha256), r.file_type, r.file_name,
             r.file_size};
  if (d.path.empty()) return NotFound();
  return d;
}

Result<std::vector<store::ResourceDiscussion>> ResourcesService::Discussions(const Viewer& viewer,
                                                                             ResourceId id) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Access a, Load(*db, viewer, id));
  // The threads are in the resource's group, whose content Load showed the
  // viewer may read.
  return db->resources().Discussions(id, kPageSize);
}

Result<Created> ResourcesService::Discuss(const Viewer& viewer, ResourceId id,
                                          const std::string& body) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  Created out;
  // One transaction, so two first comments cannot start two threads.
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(Access a, Load(*db, viewer, id));
    const Resource& r = a.item.resource;
    if (r.thread_id.valid()) {
      RT_ASSIGN_OR_RETURN(out, discussions_.Reply(viewer, r.thread_id, body,
                                                  PostId{}, PostVia::kWeb, ""));
      return OkStatus();
    }
    NewThread t;
    t.kind = "discussion";
    std::string title = r.title;
    if (title.size() > 150)
      title = title.substr(0, title.find_last_of(' ', 150));
    t.title = "About the resource: " + title;
    t.body = body + "\n\n*About the resource [" + r.title + "](/resources/" +
             std::to_string(r.id.value) + ").*";
    // The body as given is validated by StartThread; check it first so that
    // its error names the comment, not the composed text.
    if (text::Trim(body).empty()) {
      return MakeError(ErrorKind::kInvalidInput, "body_required",
                       "Write your comment.", "body");
    }
    RT_ASSIGN_OR_RETURN(out, discussions_.StartThread(viewer, a.g.group().slug,
                                                      t, PostVia::kWeb, ""));
    return db->resources().SetThread(id, out.thread);
  }));
  return out;
}

Result<store::FileStore::Reclaimed> ResourcesService::ReclaimOrphans(
    std::chrono::seconds grace) {
  if (files_ == nullptr) return store::FileStore::Reclaimed{};
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  // Hashes first, files second: a file committed after this read is newer
  // than the grace period and stays.
  RT_ASSIGN_OR_RETURN(auto keep, db->resources().FileHashes());
  // File times are the file system's, so they are compared with the real
  // clock rather than the context's.
  return files_->Reclaim(keep, grace, std::chrono::system_clock::now());
}

}  // namespace rt::app
