#ifndef RT_STORE_SQLITE_SQLITE_UTIL_H_
#define RT_STORE_SQLITE_SQLITE_UTIL_H_

#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/ids.h"
#include "store/sqlite/connection.h"

// Small helpers shared by the discussion and conversation repositories.
namespace rt::store::sqlite {

// Binds an id, or NULL for an invalid one: optional references are NULL in
// the schema so foreign keys can check them.
template <typename Tag>
void BindId(Stmt& s, int index, Id<Tag> id) {
  if (id.valid()) {
    s->bind(index, id.value);
  } else {
    s->bind(index);
  }
}

// Reads an id column; NULL reads as the invalid id.
template <typename IdT>
IdT ReadId(const SQLite::Statement& s, int i) {
  return IdT{s.getColumn(i).getInt64()};
}

inline TimePoint ReadTime(const SQLite::Statement& s, int i) {
  return FromUnix(s.getColumn(i).getInt64());
}

// Times as stored: whole seconds, so what Create returns equals what Find
// reads back.
inline TimePoint Stored(TimePoint t) { return FromUnix(ToUnix(t)); }

template <typename T>
T CheckedEnum(std::optional<T> v) {
  // CHECK constraints keep enum columns valid; anything else is corruption.
  if (!v) throw std::runtime_error("corrupt enum column");
  return *v;
}

// Runs `fn` (returning Status or Result<T>) all or nothing, so a write made
// of several statements never half happens. Inside the caller's transaction
// it is a savepoint and committing stays the caller's business; without one
// it is a transaction of its own, queued with the other writers of the file
// (WriteQueue), so a forgotten InTransaction can neither leave, say, a post
// counted in no thread, nor meet SQLITE_BUSY from a concurrent batch.
// Exceptions propagate (to Guard) after the rollback.
template <typename Fn>
auto Atomically(Connection& c, Fn&& fn) -> decltype(fn()) {
  using R = decltype(fn());
  if (c.tx_depth() == 0) {
    std::optional<R> out;
    std::exception_ptr thrown;
    Status s = c.RunTransaction([&]() -> Status {
      try {
        out.emplace(fn());
      } catch (...) {
        // Rethrown below, on the caller's thread, so that Guard can still
        // map it (e.g. a unique violation to the caller's conflict code).
        thrown = std::current_exception();
        return MakeError(ErrorKind::kInternal, "internal", "rethrown");
      }
      if (!out->ok()) return out->error();
      return OkStatus();
    });
    if (thrown) std::rethrow_exception(thrown);
    if (!s.ok() && (!out || out->ok())) return s.take_error();  // BEGIN/COMMIT
    return std::move(*out);
  }
  SQLite::Database& db = c.db();
  db.exec("SAVEPOINT rt_repo");
  auto undo = [&db] {
    try {
      db.exec("ROLLBACK TO rt_repo; RELEASE rt_repo");
    } catch (...) {
      // SQLite may already have rolled the transaction back (SQLITE_FULL).
    }
  };
  bool released = false;
  try {
    auto r = fn();
    if (r.ok()) {
      db.exec("RELEASE rt_repo");
      released = true;
    } else {
      undo();
    }
    return r;
  } catch (...) {
    if (!released) undo();
    throw;
  }
}

// Ids as a JSON array ("[1,2,3]") for `IN (SELECT value FROM json_each(?))`,
// so one cached statement serves any number of ids. Integers need no escaping.
template <typename IdT>
std::string JsonIdArray(const std::vector<IdT>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(ids[i].value);
  }
  out += ']';
  return out;
}

}  // namespace rt::store::sqlite

#endif  // RT_STORE_SQLITE_SQLITE_UTIL_H_
