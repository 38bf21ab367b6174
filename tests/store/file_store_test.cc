// The file store's write-then-commit ordering and orphan reclaim.
#include "store/file_store.h"

#include <gtest/gtest.h>
#include <utime.h>

#include <filesystem>

#include "core/crypto.h"
#include "support/sample_files.h"
#include "support/temp_dir.h"

namespace rt::store {
namespace {

namespace fs = std::filesystem;

void Age(const std::string& path, int seconds) {
  struct utimbuf t;
  t.actime = t.modtime = time(nullptr) - seconds;
  utime(path.c_str(), &t);
}

TEST(FileStoreTest, CommitMovesTheUploadIntoPlaceByHash) {
  rt::testing::TempDir dir;
  FileStore files(dir.path() + "/resources");
  ASSERT_TRUE(files.Init().ok());
  std::string temp = files.NewTempPath();
  EXPECT_NE(temp, files.NewTempPath());
  rt::testing::WriteFile(temp, "hello");
  auto sha = crypto::Sha256OfFile(temp);
  ASSERT_TRUE(sha.ok());
  EXPECT_EQ(*sha,
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  ASSERT_TRUE(files.Commit(temp, *sha).ok());
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_TRUE(files.Has(*sha));
  EXPECT_EQ(files.PathOf(*sha), dir.path() + "/resources/objects/2c/" + *sha);
  // The same content again: one object, the second upload's temp file gone.
  std::string again = files.NewTempPath();
  rt::testing::WriteFile(again, "hello");
  ASSERT_TRUE(files.Commit(again, *sha).ok());
  EXPECT_FALSE(fs::exists(again));
  // Never a path from anything but a hash.
  EXPECT_EQ(files.PathOf("../../etc/passwd"), "");
  EXPECT_EQ(files.Commit(again, "not-a-hash").error().code, "invalid_hash");
}

TEST(FileStoreTest, ReclaimDeletesOnlyOldOrphans) {
  rt::testing::TempDir dir;
  FileStore files(dir.path() + "/resources");
  ASSERT_TRUE(files.Init().ok());
  auto put = [&](const std::string& text) {
    std::string temp = files.NewTempPath();
    rt::testing::WriteFile(temp, text);
    std::string sha = *crypto::Sha256OfFile(temp);
    EXPECT_TRUE(files.Commit(temp, sha).ok());
    return sha;
  };
  std::string kept = put("named by a row");
  std::string orphan = put("no row names me");
  std::string young = put("uploaded a moment ago, row not yet committed");
  std::string abandoned = files.NewTempPath();
  rt::testing::WriteFile(abandoned, "half an upload");
  std::string fresh_temp = files.NewTempPath();
  rt::testing::WriteFile(fresh_temp, "an upload in flight");
  Age(files.PathOf(kept), 7200);
  Age(files.PathOf(orphan), 7200);
  Age(abandoned, 7200);
  auto r = files.Reclaim({kept}, std::chrono::seconds(3600),
                         std::chrono::system_clock::now());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->objects, 1);
  EXPECT_EQ(r->temps, 1);
  EXPECT_TRUE(files.Has(kept));
  EXPECT_FALSE(files.Has(orphan));
  EXPECT_TRUE(files.Has(young));
  EXPECT_FALSE(fs::exists(abandoned));
  EXPECT_TRUE(fs::exists(fresh_temp));
  // Reusing an old orphan's content refreshes it, so reclaim spares it.
  Age(files.PathOf(young), 7200);
  std::string temp = files.NewTempPath();
  rt::testing::WriteFile(temp, "uploaded a moment ago, row not yet committed");
  ASSERT_TRUE(files.Commit(temp, young).ok());
  r = files.Reclaim({kept}, std::chrono::seconds(3600),
                    std::chrono::system_clock::now());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(files.Has(young));
}

}  // namespace
}  // namespace rt::store
