#ifndef RT_STORE_SQLITE_SQLITE_CACHE_H_
#define RT_STORE_SQLITE_SQLITE_CACHE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/store.h"

// Copies of rarely written rows that nearly every request reads (the
// association, the groups with their member counts and liaisons), kept by
// each thread across requests.
//
// Why a copy stays right: migration 004's triggers bump the "groups" row of
// cache_versions in the same transaction as any write to what the copy holds,
// whichever connection or process writes. Every use first reads that version
// (one indexed row) and drops the copy when it differs. Copies are only
// filled outside transactions, from committed data read after the version:
// the data is at least as new as the version it is filed under, and a
// transaction's own uncommitted (possibly rolled back) writes are never
// filed. Reading a copy inside a transaction is safe: while it holds the
// write lock no other commit can reach the version its own writes produce.
namespace rt::store::sqlite {

// The rows of cache_versions that copies are filed under; 0 for a row the
// database does not have yet (not migrated that far): nothing is then
// copied under it.
struct CacheVersions {
  int64_t groups = 0;
  int64_t accounts = 0;     // names and job titles (migration 007)
  int64_t sessions = 0;     // sessions and accounts (migration 023)
  int64_t memberships = 0;  // memberships (migration 023)
  int64_t delivery = 0;     // group_members.delivery (migration 024)
};

// The versions as `c` sees them now, read with one query, and once per read
// snapshot (Connection::BeginReadSnapshot): inside one they cannot change.
// All zero when the database has no cache_versions table. Throws what the
// read throws otherwise (busy, I/O), for Guard to report.
const CacheVersions& VersionsFor(Connection& c);

// The "groups" row of cache_versions; nullopt when the database has no
// cache_versions table (not migrated). Throws what the read throws otherwise.
std::optional<int64_t> ReadGroupsVersion(Connection& c);

// What the groups version covers, for one database file.
struct GroupsCache {
  std::unordered_map<std::string, std::optional<Association>> associations;  // by slug
  std::unordered_map<int64_t, std::vector<GroupListing>> lists;              // by association id
  std::map<std::pair<int64_t, std::string>, GroupListing> listings;          // found ones only
  // (group id, account id) -> role, kNone included; emptied when it reaches
  // kMaxRoles, so it stays small however many members visit.
  std::map<std::pair<int64_t, int64_t>, GroupRole> roles;
  static constexpr size_t kMaxRoles = 8192;
};

// This thread's copy for the database of `c`, emptied first when its
// version changed. nullptr when the database has no cache_versions table
// (not migrated): callers then read without a copy. Throws what the version
// read throws otherwise (busy, I/O), for Guard to report.
GroupsCache* GroupsCacheFor(Connection& c);

// Whether what `c` reads now may be filed in a copy: outside transactions
// and in read-only snapshots, never in a transaction that has written (see
// above).
bool MayFill(Connection& c);

}  // namespace rt::store::sqlite

#endif  // RT_STORE_SQLITE_SQLITE_CACHE_H_
