// Group commit of concurrent write transactions (sqlite::WriteQueue): every
// acknowledged transaction lands, batches really form, closures of one batch
// succeed or fail on their own, and nothing is acknowledged before it is
// committed.

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_util.h"
#include "store/store.h"
#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

using namespace std::chrono_literals;

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->Migrate().ok());
    conn_ = std::make_unique<sqlite::Connection>(path());
  }

  std::string path() const { return db_.url().substr(7); }

  // Another store (connection) on the database, as each request thread has.
  std::unique_ptr<Store> Open() {
    Result<std::unique_ptr<Store>> s = OpenStore(db_.url());
    EXPECT_TRUE(s.ok());
    return s.ok() ? std::move(s).value() : nullptr;
  }

  sqlite::WriteQueue& queue() { return conn_->write_queue(); }

  int64_t CountAccounts() {
    SQLite::Database plain(path(), SQLite::OPEN_READONLY);
    return plain.execAndGet("SELECT COUNT(*) FROM accounts").getInt64();
  }

  bool HasAccount(const std::string& email) {
    SQLite::Database plain(path(), SQLite::OPEN_READONLY);
    SQLite::Statement s(plain, "SELECT 1 FROM accounts WHERE email = ?");
    s.bind(1, email);
    return s.executeStep();
  }

  // Waits until `n` callers are inside WriteQueue::Run.
  bool WaitQueued(size_t n) {
    for (auto deadline = std::chrono::steady_clock::now() + 10s;
         std::chrono::steady_clock::now() < deadline;
         std::this_thread::sleep_for(1ms)) {
      if (queue().stats().queued >= n) return true;
    }
    return false;
  }

  // Starts a transaction on its own thread that holds the write queue (as
  // leader, committing nothing yet) until `release` counts down, so that
  // transactions started meanwhile queue up behind it into one batch.
  std::thread HoldLeader(std::latch& release) {
    std::promise<void> running;
    std::future<void> started = running.get_future();
    std::thread t([this, &release, running = std::move(running)]() mutable {
      leader_thread_ = std::this_thread::get_id();
      std::unique_ptr<Store> s = Open();
      Status st = s->InTransaction([&]() -> Status {
        running.set_value();
        release.wait();
        return ToStatus(
            s->accounts().Create({"leader@example.org", "L", "h"}, kNow));
      });
      EXPECT_TRUE(st.ok());
    });
    started.wait();
    return t;
  }

  SqliteTestDatabase db_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<sqlite::Connection> conn_;
  std::thread::id leader_thread_;  // of the last HoldLeader
};

Status CreateAccount(Store& s, const std::string& email) {
  return ToStatus(s.accounts().Create({email, "N", "h"}, kNow));
}

TEST_F(GroupCommitTest, ManyThreadsManyTransactionsAllLand) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 40;
  const sqlite::WriteQueueStats before = queue().stats();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::unique_ptr<Store> s = Open();
      for (int i = 0; i < kPerThread; ++i) {
        std::string email =
            "m" + std::to_string(t) + "-" + std::to_string(i) + "@example.org";
        Status st = s->InTransaction([&]() -> Status {
          RT_RETURN_IF_ERROR(CreateAccount(*s, email));
          return s->audit().Record(AccountId{}, "test.write", email, kNow);
        });
        if (!st.ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountAccounts(), kThreads * kPerThread);
  const sqlite::WriteQueueStats after = queue().stats();
  EXPECT_EQ(after.transactions - before.transactions,
            static_cast<uint64_t>(kThreads * kPerThread));
  EXPECT_LE(after.commits - before.commits,
            after.transactions - before.transactions);
  EXPECT_EQ(after.queued, 0u);
}

TEST_F(GroupCommitTest, QueuedTransactionsShareOneCommit) {
  constexpr int kWaiting = 8;
  const sqlite::WriteQueueStats before = queue().stats();
  std::latch release(1);
  std::thread leader = HoldLeader(release);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kWaiting; ++t) {
    threads.emplace_back([&, t] {
      std::unique_ptr<Store> s = Open();
      Status st = s->InTransaction([&] {
        return CreateAccount(*s, "q" + std::to_string(t) + "@example.org");
      });
      if (!st.ok()) ++failures;
    });
  }
  ASSERT_TRUE(WaitQueued(kWaiting + 1));
  // Nothing queued behind the leader is visible before its batch commits.
  EXPECT_EQ(CountAccounts(), 0);
  release.count_down();
  leader.join();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountAccounts(), kWaiting + 1);
  const sqlite::WriteQueueStats after = queue().stats();
  EXPECT_EQ(after.transactions - before.transactions, kWaiting + 1u);
  // The leader's own commit, then one for everybody who queued behind it.
  EXPECT_EQ(after.commits - before.commits, 2u);
}

TEST_F(GroupCommitTest, FailingClosureDoesNotUndoItsNeighbours) {
  const sqlite::WriteQueueStats before = queue().stats();
  std::latch release(1);
  std::thread leader = HoldLeader(release);
  Status ok1, failed, threw, ok2;
  auto run = [&](Status* out, auto body) {
    return std::thread([&, out, body] {
      std::unique_ptr<Store> s = Open();
      *out = s->InTransaction([&]() -> Status { return body(*s); });
    });
  };
  std::vector<std::thread> threads;
  threads.push_back(
      run(&ok1, [](Store& s) { return CreateAccount(s, "ok1@example.org"); }));
  threads.push_back(run(&failed, [](Store& s) -> Status {
    RT_RETURN_IF_ERROR(CreateAccount(s, "failed@example.org"));
    return MakeError(ErrorKind::kRuleBroken, "changed_mind", "No.");
  }));
  threads.push_back(run(&threw, [](Store& s) -> Status {
    RT_RETURN_IF_ERROR(CreateAccount(s, "threw@example.org"));
    throw std::runtime_error("boom");
  }));
  threads.push_back(run(&ok2, [](Store& s) -> Status {
    RT_RETURN_IF_ERROR(CreateAccount(s, "ok2@example.org"));
    // A unique violation fails this statement only; the closure goes on.
    EXPECT_FALSE(CreateAccount(s, "ok2@example.org").ok());
    return OkStatus();
  }));
  ASSERT_TRUE(WaitQueued(5));
  release.count_down();
  leader.join();
  for (std::thread& t : threads) t.join();

  EXPECT_EQ(queue().stats().commits - before.commits, 2u);  // really one batch
  EXPECT_TRUE(ok1.ok());
  EXPECT_TRUE(ok2.ok());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "changed_mind");
  ASSERT_FALSE(threw.ok());
  EXPECT_EQ(threw.error().kind, ErrorKind::kInternal);
  EXPECT_TRUE(HasAccount("ok1@example.org"));
  EXPECT_TRUE(HasAccount("ok2@example.org"));
  EXPECT_TRUE(HasAccount("leader@example.org"));
  EXPECT_FALSE(HasAccount("failed@example.org"));
  EXPECT_FALSE(HasAccount("threw@example.org"));
}

TEST_F(GroupCommitTest, BatchedClosureReadsItsWritesAndNests) {
  std::latch release(1);
  std::thread leader = HoldLeader(release);
  // The first caller queued behind the held leader leads the next batch, so
  // queue one before the closure under test, which then runs on its thread.
  std::thread::id next_leader;
  std::thread first([&] {
    next_leader = std::this_thread::get_id();
    std::unique_ptr<Store> s = Open();
    EXPECT_TRUE(s->InTransaction([&] {
                   return CreateAccount(*s, "first@example.org");
                 }).ok());
  });
  ASSERT_TRUE(WaitQueued(2));
  std::thread::id ran_on;
  bool saw_own_write = false;
  bool outsider_saw_it = true;
  Status nested_failed;
  Status st;
  std::thread follower([&] {
    std::unique_ptr<Store> s = Open();
    std::unique_ptr<Store> outsider = Open();
    st = s->InTransaction([&]() -> Status {
      ran_on = std::this_thread::get_id();
      RT_RETURN_IF_ERROR(CreateAccount(*s, "outer@example.org"));
      // Through the store the closure was written against, on whichever
      // thread runs it: its own uncommitted write is there...
      Result<std::optional<Account>> mine =
          s->accounts().FindByEmail("outer@example.org");
      saw_own_write = mine.ok() && mine->has_value();
      // ...and invisible to any other connection until the batch commits.
      Result<std::optional<Account>> theirs =
          outsider->accounts().FindByEmail("outer@example.org");
      outsider_saw_it = !theirs.ok() || theirs->has_value();
      RT_RETURN_IF_ERROR(s->InTransaction(
          [&] { return CreateAccount(*s, "inner@example.org"); }));
      nested_failed = s->InTransaction([&]() -> Status {
        RT_RETURN_IF_ERROR(CreateAccount(*s, "undone@example.org"));
        return MakeError(ErrorKind::kRuleBroken, "inner_failed", "No.");
      });
      return OkStatus();
    });
    // The closure ran on the leader's thread, not this one.
    EXPECT_NE(ran_on, std::this_thread::get_id());
  });
  ASSERT_TRUE(WaitQueued(3));
  release.count_down();
  leader.join();
  first.join();
  follower.join();
  ASSERT_TRUE(st.ok()) << st.error().code;
  EXPECT_EQ(ran_on, next_leader);
  EXPECT_TRUE(saw_own_write);
  EXPECT_FALSE(outsider_saw_it);
  ASSERT_FALSE(nested_failed.ok());
  EXPECT_EQ(nested_failed.error().code, "inner_failed");
  EXPECT_TRUE(HasAccount("outer@example.org"));
  EXPECT_TRUE(HasAccount("inner@example.org"));
  EXPECT_FALSE(HasAccount("undone@example.org"));
}

TEST_F(GroupCommitTest, BatchedClosureMayUseThePoolStoreOfTheThreadRunningIt) {
  // App code reaches the database through StorePool::ForThisThread. Should a
  // closure do that, it gets the leader's store, which must be inside the
  // batch's transaction too (rather than wait for it and fail).
  StorePool pool(db_.url());
  std::latch release(1);
  std::thread leader = HoldLeader(release);
  std::thread first([&] {
    Store* s = *pool.ForThisThread();
    EXPECT_TRUE(s->InTransaction([&] {
                   return CreateAccount(*s, "first@example.org");
                 }).ok());
  });
  ASSERT_TRUE(WaitQueued(2));
  Status st;
  bool saw_it = false;
  std::thread follower([&] {
    Store* mine = *pool.ForThisThread();
    st = mine->InTransaction([&]() -> Status {
      Store* running = *pool.ForThisThread();
      EXPECT_NE(running, mine);  // on the leader's thread
      RT_RETURN_IF_ERROR(CreateAccount(*running, "via-pool@example.org"));
      Result<std::optional<Account>> a =
          mine->accounts().FindByEmail("via-pool@example.org");
      saw_it = a.ok() && a->has_value();
      return OkStatus();
    });
  });
  ASSERT_TRUE(WaitQueued(3));
  const auto released = std::chrono::steady_clock::now();
  release.count_down();
  leader.join();
  first.join();
  follower.join();
  EXPECT_TRUE(st.ok()) << st.error().code;
  EXPECT_LT(std::chrono::steady_clock::now() - released, 2s);
  EXPECT_TRUE(saw_it);
  EXPECT_TRUE(HasAccount("via-pool@example.org"));
}

TEST_F(GroupCommitTest, AutocommitWriteWaitsForTheBatchInsteadOfFailing) {
  // A statement that writes outside a transaction holds the queue's lock
  // while it lives; a read does not.
  {
    sqlite::Stmt read = conn_->Prepare("SELECT COUNT(*) FROM accounts");
    EXPECT_FALSE(queue().HeldByThisThread());
  }
  {
    sqlite::Stmt write = conn_->Prepare("DELETE FROM accounts WHERE id = -1");
    EXPECT_TRUE(queue().HeldByThisThread());
  }
  EXPECT_FALSE(queue().HeldByThisThread());

  std::latch release(1);
  std::thread leader = HoldLeader(release);
  std::promise<Status> done;
  std::future<Status> result = done.get_future();
  std::thread writer([&] {
    std::unique_ptr<Store> s = Open();
    done.set_value(CreateAccount(*s, "auto@example.org"));  // no transaction
  });
  EXPECT_EQ(result.wait_for(200ms), std::future_status::timeout);
  const auto released = std::chrono::steady_clock::now();
  release.count_down();
  // Promptly after the batch, not after a busy-handler sleep or timeout.
  ASSERT_EQ(result.wait_for(2s), std::future_status::ready);
  EXPECT_LT(std::chrono::steady_clock::now() - released, 1s);
  Status st = result.get();
  EXPECT_TRUE(st.ok()) << st.error().code;
  leader.join();
  writer.join();
  EXPECT_TRUE(HasAccount("auto@example.org"));
}

TEST_F(GroupCommitTest, AtomicallyOutsideATransactionIsAQueuedTransaction) {
  const sqlite::WriteQueueStats before = queue().stats();
  int depth_inside = -1;
  Status s = sqlite::Atomically(*conn_, [&]() -> Status {
    depth_inside = conn_->tx_depth();
    conn_
        ->Prepare(
            "INSERT INTO accounts (email, name, name_key, password_hash,"
            " is_admin, is_demo, created_at, updated_at) VALUES "
            "('atom@example.org', 'A', 'a', 'h', 0, 0, 0, 0)")
        ->exec();
    return OkStatus();
  });
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(depth_inside, 1);
  EXPECT_EQ(queue().stats().transactions - before.transactions, 1u);
  EXPECT_TRUE(HasAccount("atom@example.org"));

  // An exception inside still reaches the caller's Guard, which maps a
  // unique violation to the caller's conflict code, and undoes everything.
  Status dup = sqlite::Guard(
      [&]() -> Status {
        return sqlite::Atomically(*conn_, [&]() -> Status {
          conn_
              ->Prepare("DELETE FROM accounts WHERE email = 'atom@example.org'")
              ->exec();
          conn_
              ->Prepare(
                  "INSERT INTO accounts (email, name, name_key, "
                  "password_hash, is_admin, is_demo, created_at, "
                  "updated_at) VALUES ('x@example.org', 'X', 'x', 'h', "
                  "0, 0, 0, 0), ('x@example.org', 'X', 'x', 'h', 0, 0, "
                  "0, 0)")
              ->exec();
          return OkStatus();
        });
      },
      "taken", "Taken.");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "taken");
  EXPECT_TRUE(HasAccount("atom@example.org"));
  EXPECT_FALSE(HasAccount("x@example.org"));
}

TEST_F(GroupCommitTest, WalIsCheckpointedInTheBackground) {
  const uint64_t before = queue().stats().checkpoints;
  // About 6 MB of WAL, past the 1000-page (4 MB) checkpoint threshold.
  const std::string big(300 * 1024, 'x');
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(
        store_
            ->InTransaction([&] {
              return ToStatus(store_->accounts().Create(
                  {"big" + std::to_string(i) + "@example.org", "B", big},
                  kNow));
            })
            .ok());
  }
  bool checkpointed = false;
  for (int i = 0; i < 500 && !checkpointed; ++i) {
    checkpointed = queue().stats().checkpoints > before;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(checkpointed);
  // The checkpoint copied the WAL into the database file: a connection that
  // ignores the WAL altogether (immutable) sees the rows.
  SQLite::Database raw("file:" + path() + "?immutable=1",
                       SQLite::OPEN_READONLY | SQLite::OPEN_URI);
  EXPECT_GE(raw.execAndGet("SELECT COUNT(*) FROM accounts").getInt64(), 10);
  EXPECT_EQ(CountAccounts(), 20);
}

TEST_F(GroupCommitTest, NoAcknowledgedWriteIsLostWhenTheProcessIsKilled) {
  // A child process writes from several threads and reports each
  // acknowledged write through a pipe; it is SIGKILLed mid-stream. Every
  // write it acknowledged must be in the database afterwards.
  // SQLite connections must not cross a fork, so the parent holds none.
  store_.reset();
  conn_.reset();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string url = db_.url();
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        Result<std::unique_ptr<Store>> s = OpenStore(url);
        if (!s.ok()) _exit(2);
        for (int i = 0;; ++i) {
          int64_t id = t * 1000000 + i;
          Status st = (*s)->InTransaction([&] {
            return CreateAccount(**s, std::to_string(id) + "@example.org");
          });
          if (!st.ok()) _exit(3);
          if (write(fds[1], &id, sizeof id) != sizeof id) _exit(4);
        }
      });
    }
    for (std::thread& t : threads) t.join();
    _exit(0);
  }
  close(fds[1]);
  std::set<int64_t> acked;
  auto start = std::chrono::steady_clock::now();
  int64_t id;
  while (read(fds[0], &id, sizeof id) == sizeof id) {
    acked.insert(id);
    if (std::chrono::steady_clock::now() - start > 700ms) break;
  }
  kill(pid, SIGKILL);
  while (read(fds[0], &id, sizeof id) == sizeof id) acked.insert(id);
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status))
      << "child exited with " << WEXITSTATUS(status);
  ASSERT_GT(acked.size(), 10u);

  SQLite::Database plain(path(), SQLite::OPEN_READONLY);
  std::set<int64_t> stored;
  SQLite::Statement q(plain, "SELECT email FROM accounts");
  while (q.executeStep()) {
    std::string email = q.getColumn(0).getString();
    stored.insert(std::stoll(email.substr(0, email.find('@'))));
  }
  for (int64_t a : acked) EXPECT_TRUE(stored.count(a)) << a;
}

}  // namespace
}  // namespace rt::store::testing
