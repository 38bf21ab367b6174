#include "store/sqlite/sqlite_cache.h"

#include <sqlite3.h>

#include <cstring>

namespace rt::store::sqlite {

namespace {

// One slot per thread: each server thread has its own connection
// (StorePool), so a slot needs no lock, and a thread that switches
// databases (tests) just starts over.
struct Slot {
  std::string file;
  int64_t version = 0;
  bool filled = false;
  GroupsCache cache;
};

// The versions last read on this thread, and the read snapshot they were
// read in (Connection::ReadSnapshotSerial): reused until it ends.
struct VersionsSlot {
  const Connection* of = nullptr;
  uint64_t snapshot = 0;
  CacheVersions versions;
};

thread_local Slot slot;
thread_local VersionsSlot versions_slot;

}  // namespace

std::optional<int64_t> ReadGroupsVersion(Connection& c) {
  try {
    Stmt s = c.Prepare("SELECT version FROM cache_versions WHERE name = 'groups'");
    if (!s->executeStep()) return std::nullopt;
    return s->getColumn(0).getInt64();
  } catch (const SQLite::Exception& e) {
    if (std::strstr(e.what(), "no such table") != nullptr) return std::nullopt;
    throw;
  }
}

const CacheVersions& VersionsFor(Connection& c) {
  const uint64_t snapshot = c.ReadSnapshotSerial();
  if (snapshot != 0 && versions_slot.of == &c && versions_slot.snapshot == snapshot) {
    return versions_slot.versions;
  }
  CacheVersions v;
  try {
    // Scalar subqueries, not "name IN (…)": an IN list makes SQLite build
    // a temporary b-tree on every run, which costs more than the lookups.
    Stmt s = c.Prepare(
        "SELECT (SELECT version FROM cache_versions WHERE name = 'groups'), "
        "(SELECT version FROM cache_versions WHERE name = 'sessions'), "
        "(SELECT version FROM cache_versions WHERE name = 'memberships'), "
        "(SELECT version FROM cache_versions WHERE name = 'accounts'), "
        "(SELECT version FROM cache_versions WHERE name = 'delivery')");
    if (s->executeStep()) {
      auto read = [&](int i) { return s->isColumnNull(i) ? 0 : s->getColumn(i).getInt64(); };
      v.groups = read(0);
      v.sessions = read(1);
      v.memberships = read(2);
      v.accounts = read(3);
      v.delivery = read(4);
    }
  } catch (const SQLite::Exception& e) {
    if (std::strstr(e.what(), "no such table") == nullptr) throw;
  }
  versions_slot.of = snapshot != 0 ? &c : nullptr;
  versions_slot.snapshot = snapshot;
  versions_slot.versions = v;
  return versions_slot.versions;
}

GroupsCache* GroupsCacheFor(Connection& c) {
  const int64_t version = VersionsFor(c).groups;
  if (version == 0) return nullptr;
  const char* file = sqlite3_db_filename(c.db().getHandle(), "main");
  if (file == nullptr) file = "";
  if (!slot.filled || slot.version != version || slot.file != file) {
    slot.cache = GroupsCache();
    slot.file = file;
    slot.version = version;
    slot.filled = true;
  }
  return &slot.cache;
}

bool MayFill(Connection& c) {
  // A read snapshot (Connection::BeginReadSnapshot) holds committed data
  // only; a write transaction may hold writes that are later rolled back.
  return sqlite3_txn_state(c.db().getHandle(), "main") != SQLITE_TXN_WRITE;
}

}  // namespace rt::store::sqlite
