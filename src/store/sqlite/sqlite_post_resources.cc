// Resources attached to posts (migration 021): writing them with a post,
// reading them for a page of a thread, and the discussions of a resource.
#include <unordered_map>

#include "store/sqlite/sqlite_resources.h"
#include "store/sqlite/sqlite_util.h"

namespace rt::store::sqlite {

Status SqliteResources::Attach(PostId post, ThreadId thread, const std::vector<ResourceId>& ids) {
  return Guard([&]() -> Status {
    int position = 0;
    for (ResourceId id : ids) {
      Stmt s = c_.Prepare(
          "INSERT INTO post_resources (post_id, resource_id, thread_id, "
          "position) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
      s->bind(1, post.value);
      s->bind(2, id.value);
      s->bind(3, thread.value);
      s->bind(4, position++);
      s->exec();
    }
    return OkStatus();
  });
}

Result<std::vector<ResourceDiscussion>> SqliteResources::Discussions(ResourceId id, int limit) {
  return Guard([&]() -> Result<std::vector<ResourceDiscussion>> {
    std::vector<ResourceDiscussion> out;
    Stmt s = c_.Prepare(
        "SELECT t.id, t.title, MAX(p.id), MAX(p.created_at) "
        "FROM post_resources pr JOIN posts p ON p.id = pr.post_id "
        "JOIN threads t ON t.id = pr.thread_id "
        "WHERE pr.resource_id = ? AND p.deleted = 0 "
        "GROUP BY t.id ORDER BY MAX(p.id) DESC LIMIT ?");
    s->bind(1, id.value);
    s->bind(2, limit);
    while (s->executeStep()) {
      ResourceDiscussion d;
      d.thread = ReadId<ThreadId>(*s, 0);
      d.title = s->getColumn(1).getString();
      d.post = ReadId<PostId>(*s, 2);
      d.posted_at = ReadTime(*s, 3);
      out.push_back(std::move(d));
    }
    return out;
  });
}

namespace {

// Statements are cached by address (Connection::Prepare), so the columns
// are pasted into literals.
#define RT_ATTACHMENT_COLUMNS "r.id, r.kind, r.title, r.file_type, r.file_size, r.url"

// The attachment in columns first .. first + 5 (RT_ATTACHMENT_COLUMNS).
PostAttachment ReadAttachment(const SQLite::Statement& s, int first) {
  PostAttachment a;
  a.id = ReadId<ResourceId>(s, first);
  a.kind = CheckedEnum(ParseResourceKind(s.getColumn(first + 1).getString()));
  a.title = s.getColumn(first + 2).getString();
  a.file_type = s.getColumn(first + 3).getString();
  a.file_size = s.getColumn(first + 4).getInt64();
  a.url = s.getColumn(first + 5).getString();
  return a;
}

}  // namespace

Result<std::vector<PostAttachment>> SqliteResources::AttachmentsOf(PostId post) {
  return Guard([&]() -> Result<std::vector<PostAttachment>> {
    std::vector<PostAttachment> out;
    Stmt s = c_.Prepare("SELECT " RT_ATTACHMENT_COLUMNS
                        " FROM post_resources pr JOIN resources r ON r.id = "
                        "pr.resource_id WHERE pr.post_id = ? ORDER BY "
                        "pr.position");
    s->bind(1, post.value);
    while (s->executeStep()) out.push_back(ReadAttachment(*s, 0));
    return out;
  });
}

void LoadPostAttachments(Connection& c, ThreadContents& contents) {
  std::unordered_map<int64_t, PostView*> by_id;
  std::vector<PostId> ids;
  auto want = [&](PostView& v) {
    if (v.post.deleted) return;
    if (by_id.emplace(v.post.id.value, &v).second) ids.push_back(v.post.id);
  };
  for (PostView& v : contents.posts) want(v);
  if (contents.opening) want(*contents.opening);
  if (contents.answer) want(*contents.answer);
  if (ids.empty()) return;
  // The accepted answer may also be in `posts`: both copies show it.
  auto twin = [&](int64_t post) -> PostView* {
    if (contents.answer && contents.answer->post.id.value == post &&
        by_id[post] != &*contents.answer) {
      return &*contents.answer;
    }
    return nullptr;
  };
  Stmt s = c.Prepare("SELECT pr.post_id, " RT_ATTACHMENT_COLUMNS
                     " FROM post_resources pr JOIN resources r ON r.id = "
                     "pr.resource_id WHERE pr.thread_id = ? AND pr.post_id IN "
                     "(SELECT value FROM json_each(?)) ORDER BY pr.post_id, "
                     "pr.position");
  s->bind(1, contents.listing.thread.id.value);
  s->bind(2, JsonIdArray(ids));
  while (s->executeStep()) {
    const int64_t post = s->getColumn(0).getInt64();
    auto it = by_id.find(post);
    if (it == by_id.end()) continue;
    PostAttachment a = ReadAttachment(*s, 1);
    if (PostView* other = twin(post)) other->attachments.push_back(a);
    it->second->attachments.push_back(std::move(a));
  }
}

}  // namespace rt::store::sqlite
