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

// --- Attachments: resources attached to posts (migration 021) -------------

namespace {

// The ids a post shows as attachments.
std::vector<int64_t> AttachedTo(const store::PostView& v) {
  std::vector<int64_t> ids;
  for (const store::PostAttachment& a : v.attachments) ids.push_back(a.id.value);
  return ids;
}

}  // namespace

class AttachmentsTest : public ResourcesTest {
 protected:
  AttachmentsTest() {
    auto link = Service().Share(ana_, kGroup, Link("https://example.org/guide"));
    EXPECT_TRUE(link.ok());
    link_ = link->resource.id;
    auto pdf = Service().Share(
        ana_, kGroup,
        {"file", "Annual report", "", "", "", "", Upload("report.pdf", rt::testing::SamplePdf())});
    EXPECT_TRUE(pdf.ok()) << pdf.error().message;
    pdf_ = pdf->resource.id;
  }
  size_t LibrarySize() {
    auto page = Service().List(ana_, kGroup, "", ResourceId{});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->resources.size() : 0;
  }
  DiscussionsService discussions_{ctx_};
  ResourceId link_, pdf_;
};

TEST_F(AttachmentsTest, PostsAttachLibraryResourcesShownInOrderOnTheThread) {
  NewThread in{"discussion", "Reports", "Have a look.", ""};
  in.attach.resource_ids = {pdf_, link_, pdf_};  // a repeat counts once
  auto created = discussions_.StartThread(ana_, kGroup, in, PostVia::kApi, "");
  ASSERT_TRUE(created.ok()) << created.error().message;
  Attachments reply;
  reply.resource_ids = {link_};
  auto replied =
      discussions_.Reply(lena_, created->thread, "Thanks", PostId{}, PostVia::kApi, "", reply);
  ASSERT_TRUE(replied.ok()) << replied.error().message;
  auto plain = discussions_.Reply(lena_, created->thread, "No files", PostId{}, PostVia::kApi, "");
  ASSERT_TRUE(plain.ok());

  auto page = discussions_.GetThread(lena_, created->thread, PostId{});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(AttachedTo(*page->opening.view), (std::vector<int64_t>{pdf_.value, link_.value}));
  const store::PostAttachment& pdf = page->opening.view->attachments[0];
  EXPECT_EQ(pdf.title, "Annual report");
  EXPECT_EQ(pdf.kind, ResourceKind::kFile);
  EXPECT_EQ(pdf.file_type, "application/pdf");
  EXPECT_EQ(pdf.file_size, static_cast<int64_t>(rt::testing::SamplePdf().size()));
  EXPECT_EQ(page->opening.view->attachments[1].url, "https://example.org/guide");
  ASSERT_EQ(page->replies.size(), 2u);
  EXPECT_EQ(AttachedTo(*page->replies[0].view), (std::vector<int64_t>{link_.value}));
  EXPECT_TRUE(page->replies[1].view->attachments.empty());
  // A single post read by id carries them too (the API's reply answer).
  EXPECT_EQ(AttachedTo(*discussions_.GetPost(lena_, replied->post)),
            (std::vector<int64_t>{link_.value}));

  // The resource's page lists the discussion, newest attaching post first.
  auto in_threads = Service().Discussions(ana_, link_);
  ASSERT_TRUE(in_threads.ok());
  ASSERT_EQ(in_threads->size(), 1u);
  EXPECT_EQ((*in_threads)[0].thread, created->thread);
  EXPECT_EQ((*in_threads)[0].post, replied->post);
  EXPECT_EQ((*in_threads)[0].title, "Reports");
  // Deleted posts no longer count.
  ASSERT_TRUE(discussions_.DeletePost(lena_, replied->post).ok());
  EXPECT_EQ((*Service().Discussions(ana_, link_))[0].post, created->post);
}

TEST_F(AttachmentsTest, OnlyAFewResourcesOfTheSameGroupMayBeAttached) {
  // Another group's resource.
  ASSERT_TRUE(GroupsService(ctx_).Join(ana_, "social-work").ok());
  auto other = Service().Share(ana_, "social-work", Link("https://example.org/other"));
  ASSERT_TRUE(other.ok());
  NewThread in{"discussion", "Mixed", "Text", ""};
  for (std::vector<ResourceId> ids :
       {std::vector<ResourceId>{other->resource.id}, std::vector<ResourceId>{ResourceId{999999}},
        std::vector<ResourceId>{pdf_, ResourceId{}}}) {
    in.attach.resource_ids = ids;
    auto r = discussions_.StartThread(ana_, kGroup, in, PostVia::kApi, "");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "resource_not_attachable");
    EXPECT_EQ(r.error().kind, ErrorKind::kRuleBroken);
    EXPECT_EQ(r.error().field, "resource_ids");
  }
  in.attach.resource_ids.assign(kMaxAttachments + 1, pdf_);
  auto many = discussions_.StartThread(ana_, kGroup, in, PostVia::kApi, "");
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().code, "too_many_attachments");
  EXPECT_EQ(many.error().field, "resource_ids");
  // None of the refused posts was kept.
  auto list = discussions_.ListThreads(ana_, kGroup, {}, std::nullopt);
  for (const store::ThreadListing& t : list->threads) EXPECT_NE(t.thread.title, "Mixed");
}

TEST_F(AttachmentsTest, ANewFileIsSharedWithThePostInOneTransaction) {
  const size_t before = LibrarySize();
  NewThread in{"discussion", "Survey results", "Attached.", ""};
  in.attach.resource_ids = {link_};
  NewResource upload;
  upload.file = Upload("survey-results_2026.csv", "branch,visits\nnorth,12\n");
  auto created = Service().StartThreadSharing(ana_, kGroup, in, upload, PostVia::kWeb, "key-1");
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(LibrarySize(), before + 1);
  auto page = discussions_.GetThread(ana_, created->thread, PostId{});
  ASSERT_EQ(page->opening.view->attachments.size(), 2u);
  const store::PostAttachment& csv = page->opening.view->attachments[1];
  EXPECT_EQ(csv.title, "survey results 2026");  // from its name
  EXPECT_EQ(csv.file_type, "text/csv");
  auto shared = Service().Get(ana_, csv.id);
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(shared->item.shared_by_name, "Ana Active");

  // The same request again (a double click): the same thread, one resource.
  upload.file = Upload("survey-results_2026.csv", "branch,visits\nnorth,12\n");
  auto again = Service().StartThreadSharing(ana_, kGroup, in, upload, PostVia::kWeb, "key-1");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->thread, created->thread);
  EXPECT_EQ(LibrarySize(), before + 1);

  // A reply that shares a file, titled by the poster.
  upload.file = Upload("chart.png", rt::testing::SamplePng());
  upload.title = "Visits chart";
  auto replied = Service().ReplySharing(lena_, created->thread, "Here is a chart.", PostId{}, {},
                                        upload, PostVia::kWeb, "");
  ASSERT_TRUE(replied.ok()) << replied.error().message;
  auto reply = discussions_.GetPost(ana_, replied->post);
  ASSERT_EQ(reply->attachments.size(), 1u);
  EXPECT_EQ(reply->attachments[0].title, "Visits chart");
  EXPECT_EQ(LibrarySize(), before + 2);
}

TEST_F(AttachmentsTest, NothingIsHalfStoredWhenThePostOrTheFileIsRefused) {
  const size_t before = LibrarySize();
  // The post is refused after the file was checked: no resource either.
  NewThread bad_title{"discussion", "", "Body", ""};
  NewResource upload;
  upload.file = Upload("notes.txt", "Meeting notes.\n");
  auto r = Service().StartThreadSharing(ana_, kGroup, bad_title, upload, PostVia::kWeb, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "title");
  // A reply to a locked thread: refused inside the transaction.
  auto thread =
      discussions_.StartThread(lena_, kGroup, {"discussion", "Locked", "x", ""}, PostVia::kWeb, "");
  ASSERT_TRUE(thread.ok());
  ASSERT_TRUE(discussions_.SetLocked(lena_, thread->thread, true).ok());
  upload.file = Upload("notes.txt", "Meeting notes.\n");
  auto locked =
      Service().ReplySharing(ana_, thread->thread, "Late", PostId{}, {}, upload, PostVia::kWeb, "");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, "thread_locked");
  EXPECT_EQ(LibrarySize(), before);
  // A file the allow-list refuses: nothing is posted.
  upload.file = Upload("tool.pdf", rt::testing::SampleExe());
  auto exe = Service().StartThreadSharing(ana_, kGroup, {"discussion", "Tool", "x", ""}, upload,
                                          PostVia::kWeb, "");
  ASSERT_FALSE(exe.ok());
  EXPECT_EQ(exe.error().code, "file_type_not_allowed");
  EXPECT_EQ(exe.error().field, "file");
  auto list = discussions_.ListThreads(ana_, kGroup, {}, std::nullopt);
  for (const store::ThreadListing& t : list->threads) EXPECT_NE(t.thread.title, "Tool");
  EXPECT_EQ(LibrarySize(), before);
  // Five from the library plus a new file is one too many, refused before
  // the file is touched.
  NewThread full{"discussion", "Full", "x", ""};
  full.attach.resource_ids = {link_, pdf_, ResourceId{1}, ResourceId{2}, ResourceId{3}};
  upload.file = Upload("notes.txt", "Meeting notes.\n");
  EXPECT_EQ(
      Service().StartThreadSharing(ana_, kGroup, full, upload, PostVia::kWeb, "").error().code,
      "too_many_attachments");
}

TEST_F(AttachmentsTest, RemovingAResourceTakesItOffThePostsAtOnce) {
  NewThread in{"discussion", "Links", "See these.", ""};
  in.attach.resource_ids = {link_, pdf_};
  auto created = discussions_.StartThread(ana_, kGroup, in, PostVia::kApi, "");
  ASSERT_TRUE(created.ok());
  // Read through a snapshot, as a page does, so the process keeps the
  // thread's contents: the removal must still show on the next read.
  auto read = [&] {
    ReadSnapshot snapshot(ctx_);
    auto page = discussions_.GetThread(lena_, created->thread, PostId{});
    EXPECT_TRUE(page.ok());
    return AttachedTo(*page->opening.view);
  };
  ASSERT_EQ(read(), (std::vector<int64_t>{link_.value, pdf_.value}));
  ASSERT_EQ(read(), (std::vector<int64_t>{link_.value, pdf_.value}));
  ASSERT_TRUE(Service().Delete(ana_, link_).ok());
  EXPECT_EQ(read(), (std::vector<int64_t>{pdf_.value}));
}

}  // namespace
}  // namespace rt::app
