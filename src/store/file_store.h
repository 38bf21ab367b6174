#ifndef RT_STORE_FILE_STORE_H_
#define RT_STORE_FILE_STORE_H_

#include <chrono>
#include <string>
#include <unordered_set>

#include "core/date.h"
#include "core/result.h"

namespace rt::store {

// Uploaded files, stored by content under `root` (a folder of the data
// folder that nothing serves): objects/ab/<sha256> for committed content
// and tmp/ for uploads in flight. Names people give files never become
// paths. Thread-safe; several processes may share one root.
//
// Ordering: an upload is written to a temp file, then Commit fsyncs it and
// renames it into place (and fsyncs the folder) before the caller commits
// the database row naming it, so a crash can leave an orphan file but never
// a row pointing at a missing one. Reclaim removes orphans.
class FileStore {
 public:
  explicit FileStore(std::string root) : root_(std::move(root)) {}

  // Creates the folders. Errors: kUnavailable "file_store_unavailable".
  Status Init() const;

  // A fresh path under tmp/ for an upload to be written to (not created).
  std::string NewTempPath() const;

  // Moves the finished file at `temp_path` into place as the object
  // `sha256` (hex). When the object exists already (same content), the
  // temp file is removed and the object's time refreshed, so that a
  // concurrent Reclaim's grace period covers it. Errors: kInvalidInput
  // "invalid_hash"; kUnavailable "file_store_unavailable".
  Status Commit(const std::string& temp_path, const std::string& sha256) const;

  // Where object `sha256` lives; "" for anything that is not 64 hex digits.
  std::string PathOf(const std::string& sha256) const;

  // Whether the object exists.
  bool Has(const std::string& sha256) const;

  struct Reclaimed {
    int objects = 0;  // committed files no row names
    int temps = 0;    // uploads abandoned in tmp/
  };
  // Deletes objects not in `keep` and temp files, each only when last
  // modified more than `grace` before `now`, so uploads in flight (written,
  // committed, but whose row is not yet committed) survive.
  Result<Reclaimed> Reclaim(const std::unordered_set<std::string>& keep,
                            std::chrono::seconds grace, TimePoint now) const;

  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

}  // namespace rt::store

#endif  // RT_STORE_FILE_STORE_H_
