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
  // The read snapshot in which `version` was last read: inside it the
  // version cannot change, so it is read once per request, not per lookup.
  const Connection* snapshot_of = nullptr;
  uint64_t snapshot = 0;
};

thread_local Slot slot;

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

GroupsCache* GroupsCacheFor(Connection& c) {
  const uint64_t snapshot = c.ReadSnapshotSerial();
  if (snapshot != 0 && slot.filled && slot.snapshot_of == &c && slot.snapshot == snapshot) {
    return &slot.cache;
  }
  std::optional<int64_t> read = ReadGroupsVersion(c);
  if (!read) return nullptr;
  const int64_t version = *read;
  const char* file = sqlite3_db_filename(c.db().getHandle(), "main");
  if (file == nullptr) file = "";
  if (!slot.filled || slot.version != version || slot.file != file) {
    slot.cache = GroupsCache();
    slot.file = file;
    slot.version = version;
    slot.filled = true;
  }
  slot.snapshot_of = &c;
  slot.snapshot = snapshot;
  return &slot.cache;
}

bool MayFill(Connection& c) {
  // A read snapshot (Connection::BeginReadSnapshot) holds committed data
  // only; a write transaction may hold writes that are later rolled back.
  return sqlite3_txn_state(c.db().getHandle(), "main") != SQLITE_TXN_WRITE;
}

}  // namespace rt::store::sqlite
