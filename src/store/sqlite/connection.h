#ifndef RT_STORE_SQLITE_CONNECTION_H_
#define RT_STORE_SQLITE_CONNECTION_H_

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "core/result.h"
#include "domain/accounts/account.h"

struct sqlite3;

// Engine internals shared by the SQLite repositories.
namespace rt::store::sqlite {

class Connection;

// How many write transactions ran and how many commits (fsyncs) they took.
struct WriteQueueStats {
  uint64_t transactions = 0;
  uint64_t commits = 0;
  size_t queued = 0;         // callers in Run now, the running batch included
  uint64_t checkpoints = 0;  // background WAL checkpoints run
};

// The writers of one database file in this process (every Connection to the
// file shares one). It gives them three things:
//
// Group commit. Run() queues a write transaction; the first caller in the
// queue becomes the leader, takes up to kMaxBatch queued closures, runs them
// on the queue's own writer connection inside one BEGIN IMMEDIATE ... COMMIT,
// each inside its own savepoint, and hands every caller its result once
// COMMIT returned. So N concurrent transactions pay one fsync instead of N,
// and nobody hears "ok" before its writes are durable. The others block
// meanwhile, so the references their closures captured stay valid. One
// writer connection (used by one leader at a time) rather than the leader's
// own means one warm page cache for all writes instead of one per thread.
//
// Checkpoints off the write path. SQLite's automatic checkpoint would run
// inside the COMMIT of whichever batch pushes the WAL past 1000 pages,
// delaying that batch's answers and the next batch. The writer connection
// instead wakes a background thread (with a connection of its own) that
// runs the same PASSIVE checkpoint, which neither blocks nor waits for the
// writer.
//
// Exclusion. Lock() is held by the leader for the whole transaction and by
// statements that write outside any transaction (see Connection::Prepare),
// so writers of this process never meet SQLITE_BUSY from each other and
// never wait in SQLite's sleeping busy handler. Other processes (the CLI
// while the server runs) are still covered by busy_timeout.
//
// Thread-safe. Lives as long as a Connection to the file (other than its
// writer connection) does.
class WriteQueue {
 public:
  // Large enough to absorb every request thread of the server at once,
  // small enough that one batch cannot hold the write lock for long.
  static constexpr size_t kMaxBatch = 64;

  // The queue of the database file at `path`, shared by every caller that
  // names the same file while any of them holds it.
  static std::shared_ptr<WriteQueue> For(const std::string& path);

  explicit WriteQueue(std::string path);
  ~WriteQueue();
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Runs `fn` in a write transaction, batched with concurrent callers. `own`
  // is the caller's connection (not in a transaction). `fn` runs on the
  // writer connection, possibly on another thread (the leader's) while this
  // one blocks; while it runs, `own` and the leader's own connection stand
  // for the writer connection on that thread, so repositories bound to
  // either read and write inside the batch's transaction.
  // Returns fn's status; if fn fails or throws, only its own writes are
  // undone. If BEGIN or COMMIT fails (or SQLite abandons the transaction),
  // every closure of that transaction gets the error and none of their
  // writes stay. Exceptions thrown by fn become errors (ToError). `fn` must
  // not wait for another thread's transaction; an outermost transaction it
  // starts on some third connection to the file fails instead of deadlocking.
  Status Run(Connection& own, const std::function<Status()>& fn);

  // Exclusive right to write to the file from this process. Reentrant on
  // the thread that holds it.
  void Lock();
  void Unlock();
  bool HeldByThisThread() const;

  WriteQueueStats stats() const;

 private:
  struct Waiter {
    const std::function<Status()>* fn;
    Connection* caller;  // the connection `fn` believes it writes through
    Status result;
    bool done = false;
    std::condition_variable cv;
  };
  // Runs `batch` on the writer connection as described at Run, for the
  // leader whose own connection is `own`. Called without mu_.
  void RunBatch(Connection& own, Waiter* const* batch, size_t n);
  // Called by SQLite after each commit of the writer connection.
  static int OnWalCommit(void* queue, sqlite3* db, const char* name,
                         int frames);
  void Checkpointer();

  const std::string path_;

  mutable std::mutex mu_;  // guards queue_ and each Waiter's `done`
  std::deque<Waiter*> queue_;

  std::mutex write_mu_;
  std::atomic<std::thread::id> owner_{};
  int owner_depth_ = 0;                 // only touched by the owner
  std::unique_ptr<Connection> writer_;  // opened on first use, under Lock()

  std::atomic<uint64_t> transactions_{0};
  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> checkpoints_{0};

  std::mutex checkpoint_mu_;  // guards what follows
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;
  bool stopping_ = false;
  std::thread checkpointer_;  // started by the first request
};

// A cached statement checked out for one use. Resetting on scope exit matters
// beyond tidiness: a stepped-but-unreset statement keeps its read transaction
// open, pinning an old WAL snapshot and blocking checkpoints. A statement
// that writes outside any transaction also holds its file's WriteQueue lock
// until it goes out of scope.
class Stmt {
 public:
  explicit Stmt(SQLite::Statement& s, WriteQueue* locked = nullptr)
      : s_(&s), locked_(locked) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() {
    s_->tryReset();
    if (locked_ != nullptr) locked_->Unlock();
  }
  SQLite::Statement* operator->() const { return s_; }
  SQLite::Statement& operator*() const { return *s_; }

 private:
  SQLite::Statement* s_;
  WriteQueue* locked_;
};

// One SQLite connection with its prepared-statement cache. Not thread-safe:
// one thread uses it at a time.
//
// While a WriteQueue leader runs a closure queued through this connection
// (or queued by the leader through it), db(), Prepare() and tx_depth()
// called on the leader's thread act on the queue's writer connection (see
// WriteQueue::Run); otherwise on this connection.
class Connection {
 public:
  // Opens (creating) the database file and applies the connection pragmas.
  // Throws SQLite::Exception.
  explicit Connection(const std::string& path);

  SQLite::Database& db() { return Target().db_; }

  // The cached statement for `sql`, reset with bindings cleared. The cache is
  // keyed by address, so `sql` must be a string literal (or otherwise live as
  // long as the connection). A statement that writes, prepared outside any
  // transaction, holds the WriteQueue lock for its lifetime, so it waits for
  // a running batch instead of failing with SQLITE_BUSY.
  Stmt Prepare(const char* sql);

  // How deeply InTransaction calls are nested on this connection.
  int& tx_depth() { return Target().tx_depth_; }

  // Runs `fn` as a write transaction of its own through the file's
  // WriteQueue (see WriteQueue::Run). Only when tx_depth() is 0.
  Status RunTransaction(const std::function<Status()>& fn) {
    EndReadSnapshot();
    return queue_->Run(*this, fn);
  }

  // A read transaction on this connection (not the writer's) so that the
  // statements until EndReadSnapshot see one snapshot and take SQLite's file
  // locks once instead of once each (the locks were ~15% of a page view's
  // time). Does nothing inside a transaction. A write on this connection
  // (RunTransaction, or a writing statement from Prepare) ends the snapshot
  // first, so writes never upgrade it and later reads see them. Throws
  // SQLite::Exception from BEGIN.
  void BeginReadSnapshot();
  // Ends the snapshot if one is open; never throws.
  void EndReadSnapshot();
  // While a read snapshot is open on the connection statements go to: a
  // number no other snapshot in this process had, so what was read inside the
  // snapshot can be reused until it ends. 0 when none is open.
  uint64_t ReadSnapshotSerial() {
    Connection& t = Target();
    return t.read_snapshot_ ? t.read_snapshot_serial_ : 0;
  }

  WriteQueue& write_queue() { return *queue_; }

 private:
  friend class WriteQueue;
  // A WriteQueue's writer connection, which must not keep its queue alive.
  Connection(const std::string& path, WriteQueue* writer_of);

  // The connection that db() etc. act on (see the class comment).
  Connection& Target();

  int tx_depth_ = 0;
  bool read_snapshot_ = false;
  uint64_t read_snapshot_serial_ = 0;
  SQLite::Database db_;
  // BEGIN and COMMIT of read snapshots, prepared once (sqlite3_exec would
  // compile them for every request).
  std::unique_ptr<SQLite::Statement> begin_, commit_;
  std::shared_ptr<WriteQueue> queue_ref_;  // null for a writer connection
  WriteQueue* queue_;
  struct Cached {
    std::unique_ptr<SQLite::Statement> stmt;
    bool writes = false;  // not sqlite3_stmt_readonly
  };
  std::unordered_map<const char*, Cached> cache_;
};

// The error a repository reports for an exception. Unique-constraint
// violations become kConflict `conflict_code` when one is given.
Error ToError(const std::exception_ptr& e, const char* conflict_code = nullptr,
              const char* conflict_message = nullptr);

// Runs `fn` (returning Status or Result<T>) and turns any exception into the
// matching error, so no exception leaves a repository.
template <typename Fn>
auto Guard(Fn&& fn, const char* conflict_code = nullptr,
           const char* conflict_message = nullptr) -> decltype(fn()) {
  try {
    return fn();
  } catch (...) {
    return ToError(std::current_exception(), conflict_code, conflict_message);
  }
}

// Account columns as ReadAccount expects them, for table alias "a".
#define RT_ACCOUNT_COLUMNS                                           \
  "a.id, a.email, a.name, a.job_title, a.organisation, a.location, " \
  "a.is_admin, a.created_at, a.mail_paused_at, a.mail_pause_reason, a.email_verified_at"
inline constexpr int kAccountColumnCount = 11;

// Reads RT_ACCOUNT_COLUMNS starting at column `first`.
Account ReadAccount(const SQLite::Statement& s, int first = 0);

}  // namespace rt::store::sqlite

#endif  // RT_STORE_SQLITE_CONNECTION_H_
