// A group's library (ResourceRepository in store/resources.h).
#include "store/sqlite/sqlite_resources.h"

#include <unordered_map>

#include "store/sqlite/sqlite_util.h"

namespace rt::store::sqlite {

namespace {

#define RT_RESOURCE_COLUMNS                                                \
  "r.id, r.group_id, r.shared_by, r.kind, r.title, r.description_source, " \
  "r.description_html, r.license, r.url, r.file_sha256, r.file_name, "     \
  "r.file_type, "                                                          \
  "r.file_size, r.image_width, r.image_height, r.thread_id, "              \
  "r.recommend_count, "                                                    \
  "r.last_checked_at, r.checked_by, r.created_at, a.name"

ResourceListing ReadListing(const SQLite::Statement& s) {
  ResourceListing l;
  Resource& r = l.resource;
  r.id = ReadId<ResourceId>(s, 0);
  r.group_id = ReadId<GroupId>(s, 1);
  r.shared_by = ReadId<AccountId>(s, 2);
  r.kind = CheckedEnum(ParseResourceKind(s.getColumn(3).getString()));
  r.title = s.getColumn(4).getString();
  r.description_source = s.getColumn(5).getString();
  r.description_html = s.getColumn(6).getString();
  r.license = CheckedEnum(ParseLicense(s.getColumn(7).getString()));
  r.url = s.getColumn(8).getString();
  r.file_sha256 = s.getColumn(9).getString();
  r.file_name = s.getColumn(10).getString();
  r.file_type = s.getColumn(11).getString();
  r.file_size = s.getColumn(12).getInt64();
  r.image_width = s.getColumn(13).getInt();
  r.image_height = s.getColumn(14).getInt();
  r.thread_id = ReadId<ThreadId>(s, 15);
  r.recommend_count = s.getColumn(16).getInt64();
  r.last_checked_at = ReadTime(s, 17);
  r.checked_by = ReadId<AccountId>(s, 18);
  r.created_at = ReadTime(s, 19);
  l.shared_by_name = s.getColumn(20).getString();
  return l;
}

void BindText(Stmt& s, int i, const std::string& v) {
  if (v.empty()) {
    s->bind(i);
  } else {
    s->bind(i, v);
  }
}

}  // namespace

Result<Resource> SqliteResources::Create(const Resource& in) {
  return Guard([&]() -> Result<Resource> {
    return Atomically(c_, [&]() -> Result<Resource> {
      Resource r = in;
      r.created_at = Stored(in.created_at);
      r.last_checked_at = Stored(in.last_checked_at);
      const bool file = r.kind == ResourceKind::kFile;
      {
        Stmt s = c_.Prepare(
            "INSERT INTO resources (group_id, shared_by, kind, title, "
            "description_source, "
            "description_html, license, url, file_sha256, file_name, "
            "file_type, file_size, "
            "image_width, image_height, last_checked_at, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        s->bind(1, r.group_id.value);
        s->bind(2, r.shared_by.value);
        s->bind(3, std::string(ToString(r.kind)));
        s->bind(4, r.title);
        s->bind(5, r.description_source);
        s->bind(6, r.description_html);
        s->bind(7, std::string(ToString(r.license)));
        BindText(s, 8, file ? std::string() : r.url);
        BindText(s, 9, file ? r.file_sha256 : std::string());
        BindText(s, 10, file ? r.file_name : std::string());
        BindText(s, 11, file ? r.file_type : std::string());
        if (file) {
          s->bind(12, r.file_size);
        } else {
          s->bind(12);
        }
        if (r.image_width > 0 && r.image_height > 0) {
          s->bind(13, r.image_width);
          s->bind(14, r.image_height);
        } else {
          s->bind(13);
          s->bind(14);
        }
        s->bind(15, ToUnix(r.last_checked_at));
        s->bind(16, ToUnix(r.created_at));
        s->exec();
      }
      r.id = ResourceId{c_.db().getLastInsertRowid()};
      for (const std::string& tag : r.tags) {
        Stmt s = c_.Prepare(
            "INSERT INTO resource_tags (resource_id, group_id, tag) VALUES (?, "
            "?, ?) "
            "ON CONFLICT DO NOTHING");
        s->bind(1, r.id.value);
        s->bind(2, r.group_id.value);
        s->bind(3, tag);
        s->exec();
      }
      return r;
    });
  });
}

void SqliteResources::LoadTags(std::vector<ResourceListing>& rows) {
  if (rows.empty()) return;
  std::vector<ResourceId> ids;
  std::unordered_map<int64_t, Resource*> by_id;
  for (ResourceListing& l : rows) {
    ids.push_back(l.resource.id);
    by_id[l.resource.id.value] = &l.resource;
  }
  Stmt s = c_.Prepare(
      "SELECT resource_id, tag FROM resource_tags "
      "WHERE resource_id IN (SELECT value FROM json_each(?)) ORDER BY "
      "resource_id, rowid");
  s->bind(1, JsonIdArray(ids));
  while (s->executeStep()) {
    auto it = by_id.find(s->getColumn(0).getInt64());
    if (it != by_id.end())
      it->second->tags.push_back(s->getColumn(1).getString());
  }
}

Result<std::optional<ResourceListing>> SqliteResources::Find(ResourceId id) {
  return Guard([&]() -> Result<std::optional<ResourceListing>> {
    std::vector<ResourceListing> rows;
    {
      Stmt s =
          c_.Prepare("SELECT " RT_RESOURCE_COLUMNS
                     " FROM resources r JOIN accounts a ON a.id = r.shared_by "
                     "WHERE r.id = ?");
      s->bind(1, id.value);
      if (!s->executeStep()) return std::optional<ResourceListing>();
      rows.push_back(ReadListing(*s));
    }
    LoadTags(rows);
    return std::optional<ResourceListing>(std::move(rows[0]));
  });
}

Result<std::vector<ResourceListing>> SqliteResources::List(
    GroupId group, const std::string& tag, ResourceId before, int limit) {
  return Guard([&]() -> Result<std::vector<ResourceListing>> {
    std::vector<ResourceListing> rows;
    const int64_t below = before.valid() ? before.value : INT64_MAX;
    {
      Stmt s =
          tag.empty()
              ? c_.Prepare(
                    "SELECT " RT_RESOURCE_COLUMNS
                    " FROM resources r JOIN accounts a ON a.id = r.shared_by "
                    "WHERE r.group_id = ? AND r.id < ? ORDER BY r.id DESC "
                    "LIMIT ?")
              : c_.Prepare(
                    "SELECT " RT_RESOURCE_COLUMNS
                    " FROM resource_tags t JOIN resources r ON r.id = "
                    "t.resource_id "
                    "JOIN accounts a ON a.id = r.shared_by "
                    "WHERE t.group_id = ? AND t.resource_id < ? AND t.tag = ? "
                    "ORDER BY t.resource_id DESC LIMIT ?");
      s->bind(1, group.value);
      s->bind(2, below);
      if (tag.empty()) {
        s->bind(3, limit);
      } else {
        s->bind(3, tag);
        s->bind(4, limit);
      }
      while (s->executeStep()) rows.push_back(ReadListing(*s));
    }
    LoadTags(rows);
    return rows;
  });
}

Result<std::vector<TagCount>> SqliteResources::Tags(GroupId group, int limit) {
  return Guard([&]() -> Result<std::vector<TagCount>> {
    std::vector<TagCount> out;
    Stmt s = c_.Prepare(
        "SELECT tag, COUNT(*) AS n FROM resource_tags WHERE group_id = ? GROUP "
        "BY tag "
        "ORDER BY n DESC, tag LIMIT ?");
    s->bind(1, group.value);
    s->bind(2, limit);
    while (s->executeStep()) {
      out.push_back({s->getColumn(0).getString(), s->getColumn(1).getInt64()});
    }
    return out;
  });
}

Result<bool> SqliteResources::RecommendedBy(ResourceId id, AccountId account) {
  return Guard([&]() -> Result<bool> {
    Stmt s = c_.Prepare(
        "SELECT 1 FROM resource_recommendations WHERE resource_id = ? AND "
        "account_id = ?");
    s->bind(1, id.value);
    s->bind(2, account.value);
    return s->executeStep();
  });
}

Result<int64_t> SqliteResources::SetRecommendation(ResourceId id,
                                                   AccountId account, bool on,
                                                   TimePoint now) {
  return Guard([&]() -> Result<int64_t> {
    return Atomically(c_, [&]() -> Result<int64_t> {
      int changed = 0;
      if (on) {
        Stmt s = c_.Prepare(
            "INSERT INTO resource_recommendations (resource_id, account_id, "
            "created_at) "
            "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
        s->bind(1, id.value);
        s->bind(2, account.value);
        s->bind(3, ToUnix(now));
        changed = s->exec();
      } else {
        Stmt s = c_.Prepare(
            "DELETE FROM resource_recommendations WHERE resource_id = ? AND "
            "account_id = ?");
        s->bind(1, id.value);
        s->bind(2, account.value);
        changed = s->exec();
      }
      if (changed > 0) {
        Stmt s = c_.Prepare(
            "UPDATE resources SET recommend_count = recommend_count + ? WHERE "
            "id = ?");
        s->bind(1, on ? 1 : -1);
        s->bind(2, id.value);
        s->exec();
      }
      Stmt s = c_.Prepare("SELECT recommend_count FROM resources WHERE id = ?");
      s->bind(1, id.value);
      if (!s->executeStep()) return int64_t{0};
      return s->getColumn(0).getInt64();
    });
  });
}

Status SqliteResources::SetLastChecked(ResourceId id, AccountId by,
                                       TimePoint at) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE resources SET last_checked_at = ?, checked_by = ? WHERE id = "
        "?");
    s->bind(1, ToUnix(at));
    BindId(s, 2, by);
    s->bind(3, id.value);
    s->exec();
    return OkStatus();
  });
}

Status SqliteResources::SetThread(ResourceId id, ThreadId thread) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare("UPDATE resources SET thread_id = ? WHERE id = ?");
    BindId(s, 1, thread);
    s->bind(2, id.value);
    s->exec();
    return OkStatus();
  });
}

Result<bool> SqliteResources::Delete(ResourceId id) {
  return Guard([&]() -> Result<bool> {
    Stmt s = c_.Prepare("DELETE FROM resources WHERE id = ?");
    s->bind(1, id.value);
    return s->exec() > 0;
  });
}

Result<int64_t> SqliteResources::FileBytesSharedBy(AccountId account) {
  return Guard([&]() -> Result<int64_t> {
    Stmt s = c_.Prepare(
        "SELECT COALESCE(SUM(file_size), 0) FROM resources WHERE shared_by = ? "
        "AND kind = 'file'");
    s->bind(1, account.value);
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

Result<std::unordered_set<std::string>> SqliteResources::FileHashes() {
  return Guard([&]() -> Result<std::unordered_set<std::string>> {
    std::unordered_set<std::string> out;
    Stmt s = c_.Prepare(
        "SELECT DISTINCT file_sha256 FROM resources WHERE file_sha256 IS NOT "
        "NULL");
    while (s->executeStep()) out.insert(s->getColumn(0).getString());
    return out;
  });
}

}  // namespace rt::store::sqlite
