#ifndef RT_STORE_SQLITE_CONTENT_CACHE_H_
#define RT_STORE_SQLITE_CONTENT_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/discussions.h"
#include "store/versioned_cache.h"
#include "store/sqlite/connection.h"

// What many viewers read alike and writers change rarely: the shared part of
// a thread page (ThreadContents) and the first page of a group's thread
// list, kept once per process for all threads.
//
// Why a copy stays right: migration 007's triggers bump the thread's (or the
// group's) row of thread_versions (group_thread_versions), and the
// "accounts" row of cache_versions, in the same transaction as any write to
// what the copy holds, whichever connection or process writes; 005's
// "groups" row covers group slugs. A copy is filed under the versions read
// *before* its data (so the data is at least as new as its versions) and is
// only filled outside transactions (MayFill in sqlite_cache.h), so a
// transaction's uncommitted, possibly rolled back, writes are never filed.
// A lookup reads the current versions (one statement) and uses a copy only
// when all of them are equal.
namespace rt::store::sqlite {

// Reads the versions for `content_sql`, a statement whose one parameter is
// the id of the thread or group and whose row, if any, has the content
// version in column 0; the accounts and groups versions come from
// VersionsFor. An invalid result (content 0) means "do not share": no row,
// or a database without migration 007.
// Throws what the read throws otherwise.
ContentVersion ReadContentVersion(Connection& c, const char* content_sql, int64_t id);

// The file `c` reads, to key process-wide copies: tests open many files in
// one process.
std::string_view DatabaseFile(Connection& c);

// The process's copies of thread contents (4 MB) and of first pages of
// thread lists (1 MB).
VersionedCache<ThreadContents>& ThreadContentsCache();
VersionedCache<std::vector<ThreadListing>>& ThreadListCache();

// Rough heap bytes of a value, for the budget.
size_t ApproximateBytes(const ThreadContents& t);
size_t ApproximateBytes(const std::vector<ThreadListing>& l);

}  // namespace rt::store::sqlite

#endif  // RT_STORE_SQLITE_CONTENT_CACHE_H_
