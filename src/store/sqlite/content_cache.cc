#include "store/sqlite/content_cache.h"

#include "store/sqlite/sqlite_cache.h"

#include <sqlite3.h>

#include <cstring>

namespace rt::store::sqlite {

ContentVersion ReadContentVersion(Connection& c, const char* content_sql, int64_t id) {
  // The shared versions first: data read after them is at least as new.
  const CacheVersions& shared = VersionsFor(c);
  if (shared.accounts == 0 || shared.groups == 0) return ContentVersion();
  ContentVersion v;
  try {
    Stmt s = c.Prepare(content_sql);
    s->bind(1, id);
    if (!s->executeStep() || s->isColumnNull(0)) return ContentVersion();
    v.content = s->getColumn(0).getInt64();
  } catch (const SQLite::Exception& e) {
    if (std::strstr(e.what(), "no such table") != nullptr) return ContentVersion();
    throw;
  }
  // 0 stands for "invalid"; a real version of 0 just is not shared.
  if (v.content == 0) return ContentVersion();
  v.accounts = shared.accounts;
  v.groups = shared.groups;
  return v;
}

std::string_view DatabaseFile(Connection& c) {
  const char* file = sqlite3_db_filename(c.db().getHandle(), "main");
  return file == nullptr ? std::string_view() : std::string_view(file);
}

VersionedCache<ThreadContents>& ThreadContentsCache() {
  static auto* cache = new VersionedCache<ThreadContents>(8 << 20);
  return *cache;
}

VersionedCache<std::vector<ThreadListing>>& ThreadListCache() {
  static auto* cache = new VersionedCache<std::vector<ThreadListing>>(1 << 20);
  return *cache;
}

namespace {

size_t Bytes(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }

size_t Bytes(const PostView& v) {
  size_t n = sizeof(PostView) + Bytes(v.post.body_source) + Bytes(v.post.body_html) +
             Bytes(v.author_name) + Bytes(v.author_title) + Bytes(v.reply_to_author);
  for (const PostAttachment& a : v.attachments) {
    n += sizeof(PostAttachment) + Bytes(a.title) + Bytes(a.file_type) + Bytes(a.url);
  }
  return n;
}

size_t Bytes(const ThreadListing& l) {
  return sizeof(ThreadListing) + Bytes(l.thread.title) + Bytes(l.author_name) + Bytes(l.group_slug);
}

}  // namespace

size_t ApproximateBytes(const ThreadContents& t) {
  size_t n = sizeof(ThreadContents) + Bytes(t.listing);
  for (const PostView& v : t.posts) n += Bytes(v);
  if (t.opening) n += Bytes(*t.opening);
  if (t.answer) n += Bytes(*t.answer);
  return n;
}

size_t ApproximateBytes(const std::vector<ThreadListing>& l) {
  size_t n = sizeof(l);
  for (const ThreadListing& x : l) n += Bytes(x);
  return n;
}

}  // namespace rt::store::sqlite
