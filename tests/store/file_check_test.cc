// Type by content (libmagic) and the ZIP directory check, on real small
// files made here, plus a fuzz-style pass over mutated archives.
#include "store/file_check.h"

#include <gtest/gtest.h>

#include <random>

#include "support/sample_files.h"
#include "support/temp_dir.h"

namespace rt::store {
namespace {

using rt::testing::MakeZip;
using rt::testing::WriteFile;

class FileCheckTest : public ::testing::Test {
 protected:
  std::string Put(const std::string& name, const std::string& bytes) {
    std::string p = dir_.path() + "/" + name;
    WriteFile(p, bytes);
    return p;
  }
  rt::testing::TempDir dir_;
};

TEST_F(FileCheckTest, AllowedTypesMatchingTheirNames) {
  auto pdf =
      CheckFileType(Put("a.pdf", rt::testing::SamplePdf()), "Report.PDF");
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  EXPECT_EQ(pdf->type, "application/pdf");
  auto png = CheckFileType(Put("a.png", rt::testing::SamplePng()), "chart.png");
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_EQ(png->type, "image/png");
  EXPECT_EQ(png->width, 3);
  EXPECT_EQ(png->height, 2);
  EXPECT_TRUE(IsPreviewableImage(png->type));
  auto csv = CheckFileType(Put("a.csv", "branch,visits\nnorth,12\nsouth,30\n"),
                           "visits.csv");
  ASSERT_TRUE(csv.ok()) << csv.error().message;
  EXPECT_EQ(csv->type, "text/csv");
  auto txt = CheckFileType(Put("a.txt", "Plain notes about the meeting.\n"),
                           "notes.txt");
  ASSERT_TRUE(txt.ok());
  EXPECT_EQ(txt->type, "text/plain");
  auto zip =
      CheckFileType(Put("a.zip", MakeZip({{"a.txt", "hello"}})), "bundle.zip");
  ASSERT_TRUE(zip.ok()) << zip.error().message;
  EXPECT_EQ(zip->type, "application/zip");
  auto docx =
      CheckFileType(Put("a.docx", rt::testing::SampleDocx()), "letter.docx");
  ASSERT_TRUE(docx.ok()) << docx.error().message;
  EXPECT_EQ(docx->type,
            "application/"
            "vnd.openxmlformats-officedocument.wordprocessingml.document");
}

// Every kind on the allow-list, as a small real file built here: what
// libmagic (Debian 12's file 5.44) reports for it, and what is stored.
TEST_F(FileCheckTest, EveryAllowedKindFromARealFixture) {
  namespace t = rt::testing;
  const std::string kDocx =
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  const std::string kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  const std::string kPptx =
      "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  const std::string kOdt = "application/vnd.oasis.opendocument.text";
  const std::string kOds = "application/vnd.oasis.opendocument.spreadsheet";
  const std::string kOdp = "application/vnd.oasis.opendocument.presentation";
  struct Case {
    std::string name;  // as uploaded
    std::string bytes;
    std::string detected;  // libmagic's answer
    std::string stored;    // CheckedFile::type
    int width = 0, height = 0;
  };
  const std::vector<Case> cases = {
      {"report.pdf", t::SamplePdf(), "application/pdf", "application/pdf"},
      {"letter.docx", t::SampleDocx(), kDocx, kDocx},
      {"budget.xlsx", t::SampleOoxml("xl/workbook.xml"), kXlsx, kXlsx},
      {"slides.pptx", t::SampleOoxml("ppt/presentation.xml"), kPptx, kPptx},
      {"minutes.odt", t::SampleOdf(kOdt), kOdt, kOdt},
      {"figures.ods", t::SampleOdf(kOds), kOds, kOds},
      {"talk.odp", t::SampleOdf(kOdp), kOdp, kOdp},
      {"old.doc", t::SampleOle2("WordDocument"), "application/msword", "application/msword"},
      {"old.xls", t::SampleOle2("Workbook"), "application/vnd.ms-excel",
       "application/vnd.ms-excel"},
      // libmagic names a PowerPoint stream only as an OLE2 container.
      {"old.ppt", t::SampleOle2("PowerPoint Document"), "application/x-ole-storage",
       "application/vnd.ms-powerpoint"},
      {"chart.png", t::SamplePng(), "image/png", "image/png", 3, 2},
      {"photo.jpg", t::SampleJpeg(5, 2), "image/jpeg", "image/jpeg", 5, 2},
      {"photo.jpeg", t::SampleJpeg(8, 9), "image/jpeg", "image/jpeg", 8, 9},
      {"anim.gif", t::SampleGif(7, 4), "image/gif", "image/gif", 7, 4},
      {"pic.webp", t::SampleWebp(6, 3), "image/webp", "image/webp", 6, 3},
      {"notes.txt", "Plain notes about the meeting.\n", "text/plain", "text/plain"},
      {"visits.csv", "branch,visits\nnorth,12\nsouth,30\n", "text/csv", "text/csv"},
      {"bundle.zip", MakeZip({{"a.txt", "hello"}}), "application/zip", "application/zip"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = Put(c.name, c.bytes);
    EXPECT_EQ(DetectedType(path), c.detected);
    auto checked = CheckFileType(path, c.name);
    ASSERT_TRUE(checked.ok()) << checked.error().message;
    EXPECT_EQ(checked->type, c.stored);
    EXPECT_EQ(checked->width, c.width);
    EXPECT_EQ(checked->height, c.height);
  }
}

TEST_F(FileCheckTest, ARenamedExecutableIsRefusedWhateverItsName) {
  const std::string exe = Put("tool", rt::testing::SampleExe());
  EXPECT_EQ(DetectedType(exe), "application/vnd.microsoft.portable-executable");
  for (const char* name : {"report.pdf", "letter.docx", "old.doc", "notes.txt", "bundle.zip",
                           "photo.jpg", "setup.exe"}) {
    SCOPED_TRACE(name);
    auto r = CheckFileType(exe, name);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kUnsupportedType);
    EXPECT_EQ(r.error().code, "file_type_not_allowed");
    EXPECT_EQ(r.error().field, "file");
  }
  // Office documents must also be named for what they are.
  auto doc = CheckFileType(Put("w", rt::testing::SampleOle2("WordDocument")), "sheet.xls");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().code, "file_type_mismatch");
  auto odt = CheckFileType(
      Put("o", rt::testing::SampleOdf("application/vnd.oasis.opendocument.text")), "a.docx");
  ASSERT_FALSE(odt.ok());
  EXPECT_EQ(odt.error().code, "file_type_mismatch");
}

TEST_F(FileCheckTest, ContentThatIsNotItsClaimedTypeIsRefused) {
  auto r = CheckFileType(Put("a", rt::testing::SamplePdf()), "photo.png");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "file_type_mismatch");
  EXPECT_EQ(r.error().kind, ErrorKind::kRuleBroken);
  EXPECT_EQ(r.error().field, "file");
  EXPECT_NE(r.error().message.find("a PDF"), std::string::npos);
  EXPECT_EQ(CheckFileType(Put("b", "just text\n"), "fake.pdf").error().code,
            "file_type_mismatch");
  // A plain ZIP is not a Word document.
  EXPECT_EQ(CheckFileType(Put("c", MakeZip({{"a.txt", "x"}})), "fake.docx")
                .error()
                .code,
            "file_type_mismatch");
  // Allowed content with an unknown extension must be named for what it is.
  EXPECT_EQ(CheckFileType(Put("d", rt::testing::SamplePdf()), "report.exe")
                .error()
                .code,
            "file_type_mismatch");
}

TEST_F(FileCheckTest, TypesOutsideTheAllowListAreRefused) {
  std::string elf = std::string(
                        "\x7f"
                        "ELF\x02\x01\x01",
                        7) +
                    std::string(120, '\0');
  auto r = CheckFileType(Put("a", elf), "tool.pdf");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnsupportedType);
  EXPECT_EQ(r.error().code, "file_type_not_allowed");
  EXPECT_EQ(CheckFileType(Put("b", "<html><script>alert(1)</script></html>"),
                          "page.html")
                .error()
                .code,
            "file_type_not_allowed");
  std::string random(4096, '\0');
  std::mt19937 rng(7);
  for (char& ch : random) ch = static_cast<char>(rng());
  EXPECT_FALSE(CheckFileType(Put("c", random), "noise.pdf").ok());
}

TEST_F(FileCheckTest, ZipBombsAreRefusedFromTheDirectory) {
  // Declares 2 GB for 5 stored bytes: refused without inflating anything.
  auto big =
      InspectZip(Put("a.zip", MakeZip({{"a.txt", "hello", 0x7fffffff}})));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, "zip_bomb");
  // A ratio of 10 MB to 5 bytes in one entry.
  auto ratio =
      InspectZip(Put("b.zip", MakeZip({{"a.txt", "hello", 10u << 20}})));
  ASSERT_FALSE(ratio.ok());
  EXPECT_EQ(ratio.error().code, "zip_bomb");
  // Through CheckFileType, as an upload meets it.
  EXPECT_EQ(
      CheckFileType(Put("c.zip", MakeZip({{"a.txt", "hello", 0x7fffffff}})),
                    "x.zip")
          .error()
          .code,
      "zip_bomb");
  auto ok = InspectZip(
      Put("d.zip", MakeZip({{"a.txt", "hello"}, {"b.txt", "world"}})));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->entries, 2);
  EXPECT_EQ(ok->uncompressed_bytes, 10u);
  EXPECT_EQ(InspectZip(Put("e.zip", "PK not really")).error().code,
            "zip_malformed");
}

// Mutated and truncated archives never crash or read out of bounds (run
// under ASan to be sure), and always come back as a result or an error.
TEST_F(FileCheckTest, FuzzedArchivesAreHandled) {
  const std::string base = MakeZip({{"[Content_Types].xml", "<Types/>"},
                                    {"word/document.xml", "<w:document/>"},
                                    {"a.txt", std::string(200, 'x')}});
  std::mt19937 rng(12345);
  int ok = 0, refused = 0;
  for (int i = 0; i < 400; ++i) {
    std::string z = base;
    switch (i % 4) {
      case 0:  // flip bytes
        for (int k = 0; k < 1 + static_cast<int>(rng() % 8); ++k) {
          z[rng() % z.size()] = static_cast<char>(rng());
        }
        break;
      case 1:  // truncate
        z.resize(rng() % z.size());
        break;
      case 2:  // flip bytes in the directory and its end record only
        for (int k = 0; k < 4; ++k) {
          size_t tail = std::min<size_t>(z.size(), 160);
          z[z.size() - 1 - rng() % tail] = static_cast<char>(rng());
        }
        break;
      default:  // random bytes ending with a plausible end record
        z = std::string(rng() % 300, 'A') + z.substr(z.size() - 22);
        break;
    }
    auto r = InspectZip(Put("f.zip", z));
    (r.ok() ? ok : refused)++;
    if (!r.ok()) {
      EXPECT_TRUE(r.error().code == "zip_bomb" ||
                  r.error().code == "zip_malformed")
          << r.error().code;
    }
  }
  EXPECT_EQ(ok + refused, 400);
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace rt::store
