// ResourcesService against a real SQLite file and a real file store.
#include "app/resources.h"

#include <gtest/gtest.h>
#include <utime.h>

#include <filesystem>

#include "app/demo.h"
#include "app/groups.h"
#include "support/app_fixture.h"
#include "support/sample_files.h"

namespace rt::app {
namespace {

namespace fs = std::filesystem;

class ResourcesTest : public rt::testing::AppTest {
 protected:
  ResourcesTest() : files_(dir_.path() + "/resources") {
    EXPECT_TRUE(files_.Init().ok());
    EXPECT_TRUE(DemoSeeder(ctx_).Seed().ok());
    ana_ = As("active@demo.roundtable.test");
    lena_ = As("liaison@demo.roundtable.test");
    eve_ = As("expired@demo.roundtable.test");
    EXPECT_TRUE(GroupsService(ctx_).Join(ana_, kGroup).ok());
  }

  // An upload as the web layer hands it over: written to a temp path.
  UploadInput Upload(const std::string& name, const std::string& bytes) {
    std::string path = files_.NewTempPath();
    rt::testing::WriteFile(path, bytes);
    return {path, name, static_cast<int64_t>(bytes.size())};
  }
  NewResource Link(const std::string& url) {
    NewResource in;
    in.kind = "link";
    in.title = "A guide";
    in.url = url;
    in.tags = "Grants, data";
    return in;
  }
  ResourcesService Service(ResourceLimits limits = {}) {
    return ResourcesService(ctx_, &files_, limits);
  }
  static int FilesIn(const std::string& dir) {
    int n = 0;
    for (auto& e : fs::recursive_directory_iterator(dir))
      n += e.is_regular_file();
    return n;
  }

  static constexpr char kGroup[] = "data-measurement";
  store::FileStore files_;
  Viewer ana_, lena_, eve_;
};

TEST_F(ResourcesTest, ShareALinkBrowseByTagAndRecommend) {
  ResourcesService s = Service();
  auto r = s.Share(ana_, kGroup, Link("https://example.org/guide"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->resource.tags, (std::vector<std::string>{"grants", "data"}));
  auto page = s.List(ana_, kGroup, "GRANTS", ResourceId{});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->resources.size(), 1u);
  EXPECT_EQ(page->tag, "grants");
  EXPECT_EQ(page->resources[0].shared_by_name, "Ana Active");
  EXPECT_TRUE(s.List(ana_, kGroup, "other", ResourceId{})->resources.empty());
  // Ana cannot recommend her own; Lena can, once.
  EXPECT_EQ(s.Recommend(ana_, r->resource.id, true).error().code,
            "own_resource");
  EXPECT_EQ(*s.Recommend(lena_, r->resource.id, true), 1);
  EXPECT_EQ(*s.Recommend(lena_, r->resource.id, true), 1);
  EXPECT_TRUE(s.Get(lena_, r->resource.id)->recommended);
  EXPECT_EQ(*s.Recommend(lena_, r->resource.id, false), 0);
}

TEST_F(ResourcesTest, BadLinksAndOutsidersAreRefused) {
  ResourcesService s = Service();
  auto js = s.Share(ana_, kGroup, Link("javascript:alert(1)"));
  ASSERT_FALSE(js.ok());
  EXPECT_EQ(js.error().kind, ErrorKind::kRuleBroken);
  EXPECT_EQ(s.Share(ana_, kGroup, Link("data:text/html,hi")).error().code,
            "url_scheme_not_allowed");
  // Eve's membership lapsed: she is not in the group, whose content is for
  // members, so its library does not exist for her.
  EXPECT_EQ(s.Share(eve_, kGroup, Link("https://example.org")).error().kind,
            ErrorKind::kNotFound);
  EXPECT_EQ(s.List(eve_, kGroup, "", ResourceId{}).error().kind,
            ErrorKind::kNotFound);
  auto mine = s.Share(ana_, kGroup, Link("https://example.org"));
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(s.Get(eve_, mine->resource.id).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(s.Get(Viewer{}, mine->resource.id).error().kind,
            ErrorKind::kNotFound);
  EXPECT_TRUE(s.List(ana_, kGroup, "", ResourceId{})->resources.size() == 1);
}

TEST_F(ResourcesTest, FilesAreCheckedStoredByHashAndDownloadedWithPermission) {
  ResourcesService s = Service();
  NewResource in;
  in.title = "Annual report";
  in.file = Upload(
      "../../Annual\xE2\x80\xAE"
      "fdp.pdf",
      rt::testing::SamplePdf());
  const std::string temp = in.file->path;
  auto r = s.Share(ana_, kGroup, in);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->resource.kind, ResourceKind::kFile);
  EXPECT_EQ(r->resource.file_type, "application/pdf");
  EXPECT_EQ(r->resource.file_name, "Annualfdp.pdf");
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_TRUE(files_.Has(r->resource.file_sha256));
  auto d = s.File(lena_, r->resource.id, false);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->path, files_.PathOf(r->resource.file_sha256));
  EXPECT_EQ(s.File(eve_, r->resource.id, false).error().kind,
            ErrorKind::kNotFound);
  // A PDF has no inline preview; a PNG has.
  EXPECT_EQ(s.File(lena_, r->resource.id, true).error().kind,
            ErrorKind::kNotFound);
  NewResource img;
  img.title = "Chart";
  img.file = Upload("chart.png", rt::testing::SamplePng());
  auto png = s.Share(ana_, kGroup, img);
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_EQ(png->resource.image_width, 3);
  EXPECT_TRUE(s.Get(ana_, png->resource.id)->previewable);
  EXPECT_TRUE(s.File(ana_, png->resource.id, true).ok());
}

TEST_F(ResourcesTest, RefusedFilesLeaveNothingBehind) {
  ResourcesService s = Service(ResourceLimits{1024, 2048});
  const int before = FilesIn(files_.root());
  NewResource fake;
  fake.title = "Not a picture";
  fake.file = Upload("photo.png", rt::testing::SamplePdf());
  EXPECT_EQ(s.Share(ana_, kGroup, fake).error().code, "file_type_mismatch");
  NewResource bomb;
  bomb.title = "Bomb";
  bomb.file =
      Upload("b.zip", rt::testing::MakeZip({{"a", "hello", 0x7fffffff}}));
  EXPECT_EQ(s.Share(ana_, kGroup, bomb).error().code, "zip_bomb");
  NewResource big;
  big.title = "Big";
  big.file = Upload("big.txt", std::string(2000, 'a'));
  EXPECT_EQ(s.Share(ana_, kGroup, big).error().kind, ErrorKind::kTooLarge);
  NewResource none;
  none.kind = "file";
  none.title = "Nothing";
  EXPECT_EQ(s.Share(ana_, kGroup, none).error().code, "file_required");
  EXPECT_EQ(FilesIn(files_.root()), before);
  EXPECT_TRUE(s.List(ana_, kGroup, "", ResourceId{})->resources.empty());
  // The quota counts what the member shares already.
  for (int i = 0; i < 2; ++i) {
    NewResource ok;
    ok.title = "Notes " + std::to_string(i);
    ok.file = Upload("notes.txt",
                     std::string(900, static_cast<char>('a' + i)) + "\n");
    ASSERT_TRUE(s.Share(ana_, kGroup, ok).ok());
  }
  NewResource over;
  over.title = "One too many";
  over.file = Upload("more.txt", std::string(900, 'z') + "\n");
  EXPECT_EQ(s.Share(ana_, kGroup, over).error().code, "upload_quota_exceeded");
}

TEST_F(ResourcesTest, LiaisonsConfirmAndStaleness) {
  ResourcesService s = Service();
  auto r = s.Share(ana_, kGroup, Link("https://example.org"));
  ASSERT_TRUE(r.ok());
  clock_.Set(clock_.Now() + std::chrono::hours(24 * 400));
  EXPECT_TRUE(s.Get(ana_, r->resource.id)->stale);
  EXPECT_EQ(s.Confirm(ana_, r->resource.id).error().code, "not_staff");
  ASSERT_TRUE(s.Confirm(lena_, r->resource.id).ok());
  auto p = s.Get(ana_, r->resource.id);
  EXPECT_FALSE(p->stale);
  EXPECT_EQ(p->item.resource.checked_by, lena_.account->id);
}

TEST_F(ResourcesTest, DiscussionStartsOnceThenContinues) {
  ResourcesService s = Service();
  auto r = s.Share(ana_, kGroup, Link("https://example.org"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(s.Discuss(lena_, r->resource.id, "  ").error().field, "body");
  auto first = s.Discuss(lena_, r->resource.id, "Is this still **current**?");
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = s.Discuss(ana_, r->resource.id, "Yes, updated in May.");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->thread, second->thread);
  EXPECT_NE(first->post, second->post);
  EXPECT_EQ(s.Get(ana_, r->resource.id)->item.resource.thread_id,
            first->thread);
  auto thread =
      DiscussionsService(ctx_).GetThread(ana_, first->thread, PostId{});
  ASSERT_TRUE(thread.ok());
  EXPECT_NE(thread->opening.view->post.body_html.find("/resources/"),
            std::string::npos);
}

TEST_F(ResourcesTest, OrphanFilesAreReclaimedAndNamedOnesKept) {
  ResourcesService s = Service();
  NewResource in;
  in.title = "Kept";
  in.file = Upload("kept.txt", "kept\n");
  auto kept = s.Share(ana_, kGroup, in);
  ASSERT_TRUE(kept.ok());
  // A file committed to the store whose row never came (a crash between).
  std::string temp = files_.NewTempPath();
  rt::testing::WriteFile(temp, "orphan\n");
  std::string sha = *crypto::Sha256OfFile(temp);
  ASSERT_TRUE(files_.Commit(temp, sha).ok());
  struct utimbuf old;
  old.actime = old.modtime = time(nullptr) - 7200;
  utime(files_.PathOf(sha).c_str(), &old);
  utime(files_.PathOf(kept->resource.file_sha256).c_str(), &old);
  auto r = s.ReclaimOrphans(std::chrono::seconds(3600));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->objects, 1);
  EXPECT_FALSE(files_.Has(sha));
  EXPECT_TRUE(files_.Has(kept->resource.file_sha256));
  // Removing the resource makes its file an orphan.
  ASSERT_TRUE(s.Delete(ana_, kept->resource.id).ok());
  EXPECT_EQ(s.ReclaimOrphans(std::chrono::seconds(3600))->objects, 1);
  EXPECT_EQ(s.Get(ana_, kept->resource.id).error().kind, ErrorKind::kNotFound);
}

}  // namespace
}  // namespace rt::app
