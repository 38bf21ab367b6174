// multipart/form-data through GMime: fields, the file decoded to disk byte
// for byte, limits, and a fuzz-style pass over mutated bodies.
#include "mail/multipart.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "support/sample_files.h"
#include "support/temp_dir.h"

namespace rt::mail {
namespace {

constexpr char kType[] = "multipart/form-data; boundary=----rtboundary42";

std::string Part(const std::string& headers, const std::string& body) {
  return "------rtboundary42\r\n" + headers + "\r\n\r\n" + body + "\r\n";
}
std::string Field(const std::string& name, const std::string& value) {
  return Part("Content-Disposition: form-data; name=\"" + name + "\"", value);
}
std::string FilePart(const std::string& filename, const std::string& bytes) {
  return Part("Content-Disposition: form-data; name=\"file\"; filename=\"" +
                  filename + "\"\r\nContent-Type: application/pdf",
              bytes);
}
const std::string kEnd = "------rtboundary42--\r\n";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class MultipartTest : public ::testing::Test {
 protected:
  Result<MultipartForm> Parse(const std::string& body,
                              const MultipartLimits& limits = {},
                              const char* type = kType) {
    rt::testing::WriteFile(body_path_, body);
    return ParseMultipartFile(body_path_, type, file_path_, limits);
  }
  rt::testing::TempDir dir_;
  std::string body_path_ = dir_.path() + "/body";
  std::string file_path_ = dir_.path() + "/upload";
};

TEST_F(MultipartTest, FieldsAndTheFileByteForByte) {
  // Binary content with CR, LF, NUL and a near-boundary line.
  std::string bytes = rt::testing::SamplePdf() +
                      std::string("\r\n\0\xff\r\n--rtboundary\r\n", 20);
  auto f =
      Parse(Field("title", "Annual report") + Field("tags", "grants, data") +
            FilePart("report.pdf", bytes) + Field("csrf_token", "abc") + kEnd);
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_EQ(f->fields.size(), 3u);
  EXPECT_EQ(f->fields[0],
            (std::pair<std::string, std::string>{"title", "Annual report"}));
  EXPECT_EQ(f->fields[2].second, "abc");
  ASSERT_TRUE(f->file);
  EXPECT_EQ(f->file->file_name, "report.pdf");
  EXPECT_EQ(f->file->field, "file");
  EXPECT_EQ(f->file->claimed_type, "application/pdf");
  EXPECT_EQ(f->file->size, static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(ReadAll(f->file->path), bytes);
}

TEST_F(MultipartTest, AnEmptyFileInputIsNoFile) {
  auto f = Parse(Field("title", "x") + FilePart("", "") + kEnd);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->file);
  EXPECT_FALSE(std::filesystem::exists(file_path_));
}

TEST_F(MultipartTest, LimitsAndBadBodies) {
  MultipartLimits small;
  small.max_file_bytes = 100;
  small.max_field_bytes = 10;
  auto big = Parse(FilePart("a.pdf", std::string(500, 'x')) + kEnd, small);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, "file_too_large");
  EXPECT_EQ(big.error().kind, ErrorKind::kTooLarge);
  EXPECT_FALSE(std::filesystem::exists(file_path_));  // nothing half-stored
  EXPECT_EQ(
      Parse(Field("title", std::string(50, 'x')) + kEnd, small).error().code,
      "field_too_large");
  EXPECT_EQ(Parse(FilePart("a.pdf", "1") + FilePart("b.pdf", "2") + kEnd)
                .error()
                .code,
            "too_many_files");
  EXPECT_FALSE(std::filesystem::exists(file_path_));
  MultipartLimits few;
  few.max_parts = 2;
  EXPECT_EQ(
      Parse(Field("a", "1") + Field("b", "2") + Field("c", "3") + kEnd, few)
          .error()
          .code,
      "too_many_parts");
  EXPECT_EQ(Parse("not multipart at all", {}, "text/plain").error().code,
            "malformed_multipart");
  EXPECT_EQ(Parse(Field("a", "1") + kEnd, {}, "multipart/form-data\r\nX: y")
                .error()
                .code,
            "malformed_multipart");
  EXPECT_EQ(
      Parse(Part("Content-Type: text/plain", "no name") + kEnd).error().code,
      "malformed_multipart");
}

// Random and mutated bodies: always a result or a clear error, never a
// crash, and no file left behind by an error.
TEST_F(MultipartTest, FuzzedBodies) {
  const std::string base = Field("title", "Report") +
                           FilePart("r.pdf", rt::testing::SamplePdf()) +
                           Field("tags", "a, b") + kEnd;
  std::mt19937 rng(2026);
  for (int i = 0; i < 300; ++i) {
    std::string body = base;
    switch (i % 3) {
      case 0:
        for (int k = 0; k < 1 + static_cast<int>(rng() % 10); ++k) {
          body[rng() % body.size()] = static_cast<char>(rng());
        }
        break;
      case 1:
        body.resize(rng() % body.size());
        break;
      default:
        body.assign(rng() % 2000, '\0');
        for (char& ch : body) ch = static_cast<char>(rng());
        break;
    }
    std::filesystem::remove(file_path_);
    auto f = Parse(body);
    if (!f.ok()) {
      EXPECT_FALSE(f.error().code.empty());
      EXPECT_FALSE(std::filesystem::exists(file_path_)) << f.error().code;
    } else if (f->file) {
      EXPECT_EQ(static_cast<int64_t>(std::filesystem::file_size(f->file->path)),
                f->file->size);
    }
  }
}

}  // namespace
}  // namespace rt::mail
