#include "store/file_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "core/crypto.h"

namespace rt::store {

namespace fs = std::filesystem;

namespace {

Error Unavailable(const std::string& what) {
  return MakeError(
      ErrorKind::kUnavailable, "file_store_unavailable",
      "Files cannot be stored right now (" + what + "). Try again later.");
}

bool IsHexHash(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool SyncPath(const std::string& path, bool dir) {
  int fd = ::open(path.c_str(),
                  (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

Status FileStore::Init() const {
  std::error_code ec;
  fs::create_directories(fs::path(root_) / "objects", ec);
  if (!ec) fs::create_directories(fs::path(root_) / "tmp", ec);
  if (ec) return Unavailable(ec.message());
  return OkStatus();
}

std::string FileStore::NewTempPath() const {
  static std::atomic<uint64_t> counter{0};
  return root_ + "/tmp/" + std::to_string(::getpid()) + "-" +
         std::to_string(++counter) + "-" + crypto::RandomToken(9);
}

std::string FileStore::PathOf(const std::string& sha256) const {
  if (!IsHexHash(sha256)) return "";
  return root_ + "/objects/" + sha256.substr(0, 2) + "/" + sha256;
}

bool FileStore::Has(const std::string& sha256) const {
  std::string p = PathOf(sha256);
  std::error_code ec;
  return !p.empty() && fs::is_regular_file(p, ec);
}

Status FileStore::Commit(const std::string& temp_path,
                         const std::string& sha256) const {
  std::string dest = PathOf(sha256);
  if (dest.empty()) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_hash",
                     "Not a SHA-256 hash.");
  }
  std::error_code ec;
  if (fs::is_regular_file(dest, ec)) {
    fs::remove(temp_path, ec);
    // Refresh its time: an orphan copy being reused must not be reclaimed
    // before the row that now names it commits.
    fs::last_write_time(dest, fs::file_time_type::clock::now(), ec);
    if (ec) return Unavailable(ec.message());
    return OkStatus();
  }
  if (!SyncPath(temp_path, false)) return Unavailable("cannot sync the upload");
  std::string dir = fs::path(dest).parent_path().string();
  fs::create_directories(dir, ec);
  if (ec) return Unavailable(ec.message());
  if (::rename(temp_path.c_str(), dest.c_str()) != 0)
    return Unavailable("cannot move the upload");
  if (!SyncPath(dir, true)) return Unavailable("cannot sync the folder");
  return OkStatus();
}

Result<FileStore::Reclaimed> FileStore::Reclaim(
    const std::unordered_set<std::string>& keep, std::chrono::seconds grace,
    TimePoint now) const {
  Reclaimed out;
  std::error_code ec;
  auto old_enough = [&](const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return false;
    return FromUnix(st.st_mtime) + grace < now;
  };
  for (auto it =
           fs::recursive_directory_iterator(fs::path(root_) / "objects", ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string name = it->path().filename().string();
    if (keep.contains(name) || !old_enough(it->path())) continue;
    if (fs::remove(it->path(), ec)) ++out.objects;
  }
  if (ec) return Unavailable(ec.message());
  for (auto it = fs::directory_iterator(fs::path(root_) / "tmp", ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec) || !old_enough(it->path())) continue;
    if (fs::remove(it->path(), ec)) ++out.temps;
  }
  if (ec) return Unavailable(ec.message());
  return out;
}

}  // namespace rt::store
