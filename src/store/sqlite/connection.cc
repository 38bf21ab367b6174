#include "store/sqlite/connection.h"

#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <map>

namespace rt::store::sqlite {

namespace {

constexpr int kBusyTimeoutMs = 5000;

// A backstop on SQLite's heap across all connections of the process: past
// it, page caches recycle their own pages instead of growing. Normal use
// (the writer's 16 MB, 1 MB per reading connection, schema and statements)
// stays near it; it keeps 34+ connections within the 64 MB RSS budget when,
// over a long uptime, many write threads' caches would otherwise fill up.
// (48 MB let the bench's reply phases reach 62.6 MB of RSS.)
constexpr int64_t kSoftHeapLimitBytes = 36 << 20;

// Page cache of every other connection, in KiB. They read through the
// process's shared copies (content_cache.h, sqlite_cache.h) for the hot
// pages, and the OS keeps the file cached; SQLite's 2 MB default per
// connection, times 34 connections, was most of the RSS budget.
constexpr int kReaderCacheKib = 1024;

// Page cache of a WriteQueue's writer connection, in KiB (other connections
// keep kReaderCacheKib). Every write of the process goes through it,
// and on the 1M-post bench data 2 MB kept missing: the reply path spent a
// fifth of its time copying pages in with pread. 16 MB cut the server's CPU
// per reply by ~20% and costs 14 MB of the 64 MB RSS budget.
constexpr int kWriterCacheKib = 16 * 1024;

// WAL size, in pages, past which a commit of the writer connection asks for
// a background checkpoint: SQLite's default for its automatic checkpoint.
constexpr int kCheckpointFrames = 1000;

// While a WriteQueue leader runs a closure, the connection the closure was
// queued through (`from`) and the leader's own (`also`) stand for the
// queue's writer connection (`to`) on the leader's thread.
// Connection::Target consults it.
struct Redirect {
  Connection* from = nullptr;
  Connection* also = nullptr;
  Connection* to = nullptr;
};
thread_local Redirect redirect;

// Sets `redirect` for a scope.
class ScopedRedirect {
 public:
  explicit ScopedRedirect(Redirect r) : saved_(redirect) { redirect = r; }
  ~ScopedRedirect() { redirect = saved_; }
  ScopedRedirect(const ScopedRedirect&) = delete;
  ScopedRedirect& operator=(const ScopedRedirect&) = delete;

 private:
  Redirect saved_;
};

Status Exec(SQLite::Database& db, const char* sql) {
  return Guard([&]() -> Status {
    db.exec(sql);
    return OkStatus();
  });
}

void RollbackQuietly(SQLite::Database& db, const char* sql) {
  try {
    db.exec(sql);
  } catch (...) {
    // SQLite may already have rolled back on its own (e.g. SQLITE_FULL).
  }
}

bool InAutocommit(SQLite::Database& db) {
  return sqlite3_get_autocommit(db.getHandle()) != 0;
}

// What a closure gets when SQLite abandoned the transaction it ran in (after
// SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM or SQLITE_BUSY): its writes are
// gone even though it returned ok.
Error Abandoned() {
  Error e = MakeError(ErrorKind::kUnavailable, "database_unavailable",
                      "The database is unavailable. Please try again.");
  e.retry_after_seconds = 1;
  return e;
}

// Runs one closure of a batch inside its own savepoint, so its failure
// undoes its writes and nobody else's.
Status RunInSavepoint(SQLite::Database& db, const std::function<Status()>& fn) {
  Status s = Exec(db, "SAVEPOINT rt_batch");
  if (!s.ok()) return s;
  try {
    s = fn();
  } catch (...) {
    s = ToError(std::current_exception());
  }
  if (InAutocommit(db)) return s.ok() ? Status(Abandoned()) : s;
  if (s.ok()) {
    s = Exec(db, "RELEASE rt_batch");
    if (s.ok()) return s;
  }
  RollbackQuietly(db, "ROLLBACK TO rt_batch; RELEASE rt_batch");
  return s;
}

}  // namespace

std::shared_ptr<WriteQueue> WriteQueue::For(const std::string& path) {
  static std::mutex registry_mu;
  // Never freed: a thread-local store may close its connection after static
  // destruction.
  static auto* registry = new std::map<std::string, std::weak_ptr<WriteQueue>>;
  const std::string key = std::filesystem::weakly_canonical(path).string();
  std::lock_guard<std::mutex> lock(registry_mu);
  std::erase_if(*registry, [](const auto& kv) { return kv.second.expired(); });
  std::weak_ptr<WriteQueue>& slot = (*registry)[key];
  std::shared_ptr<WriteQueue> q = slot.lock();
  if (!q) {
    q = std::make_shared<WriteQueue>(path);
    slot = q;
  }
  return q;
}

WriteQueue::WriteQueue(std::string path) : path_(std::move(path)) {}

WriteQueue::~WriteQueue() {
  {
    std::lock_guard<std::mutex> lock(checkpoint_mu_);
    stopping_ = true;
    checkpoint_cv_.notify_all();
  }
  if (checkpointer_.joinable()) checkpointer_.join();
}

int WriteQueue::OnWalCommit(void* queue, sqlite3* /*db*/, const char* /*name*/,
                            int frames) {
  if (frames < kCheckpointFrames) return SQLITE_OK;
  auto* q = static_cast<WriteQueue*>(queue);
  std::lock_guard<std::mutex> lock(q->checkpoint_mu_);
  q->checkpoint_wanted_ = true;
  if (!q->checkpointer_.joinable()) {
    q->checkpointer_ = std::thread([q] { q->Checkpointer(); });
  }
  q->checkpoint_cv_.notify_one();
  return SQLITE_OK;
}

void WriteQueue::Checkpointer() {
  std::unique_ptr<Connection> c;
  std::unique_lock<std::mutex> lock(checkpoint_mu_);
  while (true) {
    checkpoint_cv_.wait(lock, [&] { return checkpoint_wanted_ || stopping_; });
    if (stopping_) return;
    checkpoint_wanted_ = false;
    lock.unlock();
    try {
      if (!c) c.reset(new Connection(path_, this));
      // PASSIVE, like SQLite's automatic checkpoint: copies what it can
      // without waiting for readers or the writer. Failures (SQLITE_BUSY
      // when another process checkpoints) are retried on the next request.
      sqlite3_wal_checkpoint_v2(c->db_.getHandle(), nullptr,
                                SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      checkpoints_.fetch_add(1, std::memory_order_relaxed);
    } catch (...) {
      // Could not open a connection; the next commit asks again.
    }
    lock.lock();
  }
}

void WriteQueue::Lock() {
  if (HeldByThisThread()) {
    ++owner_depth_;
    return;
  }
  write_mu_.lock();
  owner_.store(std::this_thread::get_id(), std::memory_order_relaxed);
  owner_depth_ = 1;
}

void WriteQueue::Unlock() {
  if (--owner_depth_ > 0) return;
  owner_.store(std::thread::id(), std::memory_order_relaxed);
  write_mu_.unlock();
}

bool WriteQueue::HeldByThisThread() const {
  // Relaxed suffices: only this thread ever stores its own id.
  return owner_.load(std::memory_order_relaxed) == std::this_thread::get_id();
}

WriteQueueStats WriteQueue::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {transactions_.load(), commits_.load(), queue_.size(),
          checkpoints_.load()};
}

Status WriteQueue::Run(Connection& own, const std::function<Status()>& fn) {
  Waiter w;
  w.fn = &fn;
  w.caller = &own;
  Waiter* self = &w;
  if (HeldByThisThread()) {
    // This thread holds the lock for a statement it is still using. A leader
    // would wait for that lock while we waited for the leader, so run alone:
    // the lock already keeps every other writer out.
    RunBatch(own, &self, 1);
    return w.result;
  }
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(self);
  w.cv.wait(lock, [&] { return w.done || queue_.front() == self; });
  if (w.done) return w.result;

  // Leader: take the front of the queue (ourselves first).
  Waiter* batch[kMaxBatch];
  size_t n = 0;
  for (auto it = queue_.begin(); it != queue_.end() && n < kMaxBatch; ++it) {
    batch[n++] = *it;
  }
  lock.unlock();
  RunBatch(own, batch, n);
  lock.lock();
  for (size_t i = 0; i < n; ++i) {
    Waiter* x = queue_.front();
    queue_.pop_front();
    if (x != self) {
      x->done = true;
      // Under mu_: once we let go of it, x may return and destroy its cv.
      x->cv.notify_one();
    }
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next leader
  return w.result;
}

void WriteQueue::RunBatch(Connection& own, Waiter* const* batch, size_t n) {
  Lock();
  struct Unlocker {
    WriteQueue* q;
    ~Unlocker() { q->Unlock(); }
  } unlocker{this};
  transactions_.fetch_add(n, std::memory_order_relaxed);
  if (!writer_) {
    try {
      std::unique_ptr<Connection> c(new Connection(path_, this));
      c->db_.exec("PRAGMA cache_size=-" + std::to_string(kWriterCacheKib));
      // Replaces SQLite's automatic checkpoint (which is a WAL hook too).
      sqlite3_wal_hook(c->db_.getHandle(), &WriteQueue::OnWalCommit, this);
      writer_ = std::move(c);
    } catch (...) {
      Status failed = ToError(std::current_exception());
      for (size_t i = 0; i < n; ++i) batch[i]->result = failed;
      return;
    }
  }
  Connection& writer = *writer_;
  SQLite::Database& db = writer.db_;
  size_t i = 0;
  while (i < n) {
    Status begun = Exec(db, "BEGIN IMMEDIATE");
    if (!begun.ok()) {
      for (; i < n; ++i) batch[i]->result = begun;
      break;
    }
    const size_t first = i;
    bool abandoned = false;
    ++writer.tx_depth_;
    for (; i < n && !abandoned; ++i) {
      ScopedRedirect r({batch[i]->caller, &own, &writer});
      batch[i]->result = RunInSavepoint(db, *batch[i]->fn);
      abandoned = InAutocommit(db);
    }
    --writer.tx_depth_;
    // Closures after an abandoned transaction go on in a new one.
    Status end = abandoned ? Status(Abandoned()) : Exec(db, "COMMIT");
    if (end.ok()) {
      commits_.fetch_add(1, std::memory_order_relaxed);
    } else {
      if (!abandoned) RollbackQuietly(db, "ROLLBACK");
      for (size_t j = first; j < i; ++j) {
        if (batch[j]->result.ok()) batch[j]->result = end;
      }
    }
  }
}

Connection::Connection(const std::string& path, WriteQueue* writer_of)
    : db_(path,
          SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
          kBusyTimeoutMs),
      queue_(writer_of) {
  static std::once_flag heap_limit_set;
  std::call_once(heap_limit_set,
                 [] { sqlite3_soft_heap_limit64(kSoftHeapLimitBytes); });
  // FULL rather than WAL's usual NORMAL: an acknowledged write must survive a
  // power cut, not just a process crash.
  db_.exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
      "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
  // The writer sets its own (WriteQueue::RunBatch).
  if (writer_of == nullptr) db_.exec("PRAGMA cache_size=-" + std::to_string(kReaderCacheKib));
}

Connection::Connection(const std::string& path) : Connection(path, nullptr) {
  queue_ref_ = WriteQueue::For(path);
  queue_ = queue_ref_.get();
}

Connection& Connection::Target() {
  const Redirect& r = redirect;
  return this == r.from || this == r.also ? *r.to : *this;
}

namespace {

// Whether `sql` may write. SQLiteCpp does not expose the statement handle,
// so ask SQLite about a throwaway copy (once per statement and connection).
bool Writes(SQLite::Database& db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db.getHandle(), sql, -1, &s, nullptr) != SQLITE_OK) {
    sqlite3_finalize(s);
    return true;  // unreachable: SQLiteCpp prepared it just before
  }
  bool writes = sqlite3_stmt_readonly(s) == 0;
  sqlite3_finalize(s);
  return writes;
}

}  // namespace

void Connection::BeginReadSnapshot() {
  if (read_snapshot_ || tx_depth_ != 0 || !InAutocommit(db_)) return;
  if (!begin_) begin_ = std::make_unique<SQLite::Statement>(db_, "BEGIN");
  begin_->tryReset();
  begin_->exec();
  read_snapshot_ = true;
  // Unique in the process, not just per connection: a connection opened
  // later at the same address must not meet an old serial.
  static std::atomic<uint64_t> serials{0};
  read_snapshot_serial_ = serials.fetch_add(1, std::memory_order_relaxed) + 1;
}

void Connection::EndReadSnapshot() {
  if (!read_snapshot_) return;
  read_snapshot_ = false;
  if (InAutocommit(db_)) return;
  try {
    if (!commit_) commit_ = std::make_unique<SQLite::Statement>(db_, "COMMIT");
    commit_->tryReset();
    commit_->exec();
  } catch (...) {
    // A read transaction has nothing to lose; make sure it is gone.
    RollbackQuietly(db_, "ROLLBACK");
  }
}

Stmt Connection::Prepare(const char* sql) {
  Connection& t = Target();
  Cached& slot = t.cache_[sql];
  if (!slot.stmt) {
    slot.stmt = std::make_unique<SQLite::Statement>(t.db_, sql);
    slot.writes = Writes(t.db_, sql);
  } else {
    slot.stmt->tryReset();  // the error of a failed last step was reported
    slot.stmt->clearBindings();
  }
  if (slot.writes) t.EndReadSnapshot();
  WriteQueue* locked = nullptr;
  if (slot.writes && t.tx_depth_ == 0 && InAutocommit(t.db_)) {
    // An autocommit write: keep batches out until it is done, rather than
    // leaving it to SQLite's busy handler (which polls with sleeps and gives
    // up after busy_timeout while batches keep taking the file's lock).
    t.queue_->Lock();
    locked = t.queue_;
  }
  return Stmt(*slot.stmt, locked);
}

Error ToError(const std::exception_ptr& e, const char* conflict_code,
              const char* conflict_message) {
  try {
    std::rethrow_exception(e);
  } catch (const SQLite::Exception& ex) {
    int code = ex.getErrorCode();
    int ext = ex.getExtendedErrorCode();
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      Error err = MakeError(ErrorKind::kUnavailable, "database_unavailable",
                            "The database is busy. Please try again.");
      err.retry_after_seconds = 1;
      return err;
    }
    if (conflict_code != nullptr && (ext == SQLITE_CONSTRAINT_UNIQUE ||
                                     ext == SQLITE_CONSTRAINT_PRIMARYKEY)) {
      return MakeError(
          ErrorKind::kConflict, conflict_code,
          conflict_message ? conflict_message : "That already exists.");
    }
  } catch (...) {
  }
  return MakeError(ErrorKind::kInternal, "internal",
                   "Something went wrong on our side. Please try again later.");
}

Account ReadAccount(const SQLite::Statement& s, int first) {
  Account a;
  a.id = AccountId{s.getColumn(first).getInt64()};
  a.email = s.getColumn(first + 1).getString();
  a.name = s.getColumn(first + 2).getString();
  a.job_title = s.getColumn(first + 3).getString();
  a.organisation = s.getColumn(first + 4).getString();
  a.location = s.getColumn(first + 5).getString();
  a.is_admin = s.getColumn(first + 6).getInt() != 0;
  a.created_at = FromUnix(s.getColumn(first + 7).getInt64());
  if (!s.getColumn(first + 8).isNull()) {
    a.mail_paused_at = FromUnix(s.getColumn(first + 8).getInt64());
    a.mail_pause_reason = s.getColumn(first + 9).getString();
  }
  if (!s.getColumn(first + 10).isNull()) {
    a.email_verified_at = FromUnix(s.getColumn(first + 10).getInt64());
  }
  return a;
}

}  // namespace rt::store::sqlite
