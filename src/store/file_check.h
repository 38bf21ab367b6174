#ifndef RT_STORE_FILE_CHECK_H_
#define RT_STORE_FILE_CHECK_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

// What an uploaded file really is, decided by its content (libmagic), never
// by its name or the type the browser claimed. Thread-safe.
namespace rt::store {

struct CheckedFile {
  std::string type;  // the stored type, from the allow-list ("application/pdf")
  int width = 0;     // images, when their header says; else 0
  int height = 0;
};

// What libmagic makes of the content of the file at `path`, as a MIME type
// ("application/msword"); "" when libmagic cannot be loaded. CheckFileType
// decides from it; tests and logs show it.
std::string DetectedType(const std::string& path);

// Whether `type` (a CheckedFile::type) is an image shown inline.
bool IsPreviewableImage(std::string_view type);

// Checks the file at `path`, which claims to be `file_name`: its content
// must be one of the allowed kinds (PDF; Word, Excel, PowerPoint and
// OpenDocument files, old and new; PNG, JPEG, GIF and WebP images; plain
// text and CSV; ZIP) and agree with the name's extension. ZIP-based files
// must pass InspectZip. Errors (field "file"): kUnsupportedType
// "file_type_not_allowed"; kRuleBroken "file_type_mismatch" (content and
// name disagree) and InspectZip's errors.
Result<CheckedFile> CheckFileType(const std::string& path,
                                  std::string_view file_name);

// What the central directory of a ZIP archive declares.
struct ZipSummary {
  int entries = 0;
  uint64_t uncompressed_bytes = 0;
  bool has_content_types = false;  // [Content_Types].xml (Office Open XML)
  bool has_mimetype = false;       // "mimetype" (OpenDocument)
  std::string
      first_dir;  // "word/", "xl/", "ppt/" ... of the first entry in one
};

inline constexpr int kMaxZipEntries = 10000;
inline constexpr uint64_t kMaxZipUncompressedBytes = 1ull << 30;  // 1 GiB
inline constexpr uint64_t kMaxZipRatio = 200;  // for entries over 1 MiB

// Reads the central directory of the ZIP file at `path` (only its tail and
// directory, never the compressed data), refusing archives that would
// expand absurdly. Errors (field "file"): kRuleBroken "zip_bomb" (declared
// total over kMaxZipUncompressedBytes, an entry compressed more than
// kMaxZipRatio times, more than kMaxZipEntries entries, ZIP64) and
// "zip_malformed" (no readable directory).
Result<ZipSummary> InspectZip(const std::string& path);

}  // namespace rt::store

#endif  // RT_STORE_FILE_CHECK_H_
