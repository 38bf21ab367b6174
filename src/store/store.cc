#include "store/store.h"

#include <atomic>
#include <mutex>
#include <thread>

#include "store/sqlite/sqlite_store.h"

namespace rt::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    return sqlite::SqliteStore::Open(url.substr(kSqlite.size()));
  }
  return MakeError(ErrorKind::kInvalidInput, "unsupported_database",
                   "The database URL must start with \"sqlite:\".");
}

namespace {

// Pools are told apart by serial rather than address, so a pool allocated
// where a destroyed one lived never matches a stale thread cache.
std::atomic<uint64_t> next_pool_serial{1};

struct ThreadCache {
  uint64_t pool_serial = 0;
  Store* store = nullptr;
};
thread_local ThreadCache thread_cache;

}  // namespace

struct StorePool::Impl {
  const uint64_t serial = next_pool_serial.fetch_add(1);
  std::mutex mu;
  std::unordered_map<std::thread::id, std::unique_ptr<Store>> stores;
};

StorePool::StorePool(std::string url) : url_(std::move(url)), impl_(new Impl) {}

StorePool::~StorePool() = default;

Result<Store*> StorePool::ForThisThread() {
  // Fast path: request threads call this on every request, so skip the lock.
  if (thread_cache.pool_serial == impl_->serial) return thread_cache.store;
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::unique_ptr<Store>& slot = impl_->stores[std::this_thread::get_id()];
  if (!slot) {
    Result<std::unique_ptr<Store>> opened = OpenStore(url_);
    if (!opened.ok()) {
      impl_->stores.erase(std::this_thread::get_id());
      return opened.take_error();
    }
    slot = std::move(opened).value();
  }
  thread_cache = ThreadCache{impl_->serial, slot.get()};
  return slot.get();
}

}  // namespace rt::store
