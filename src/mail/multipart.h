#ifndef RT_MAIL_MULTIPART_H_
#define RT_MAIL_MULTIPART_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

// multipart/form-data (RFC 7578) bodies, parsed with GMime: the HTML
// share form and the upload API send files this way. MIME parsing lives in
// rt_mail because that is where GMime is; nothing here knows about mail.
namespace rt::mail {

struct MultipartLimits {
  size_t max_parts = 16;
  size_t max_field_bytes = 64 * 1024;  // each text field
  int64_t max_file_bytes = 25 * 1024 * 1024;
};

// The one file of a form, decoded into a file of its own.
struct UploadedFile {
  std::string field;         // the form field's name ("file")
  std::string file_name;     // as the client sent it: untrusted, never a path
  std::string claimed_type;  // the part's Content-Type: untrusted
  std::string path;          // where its bytes were written
  int64_t size = 0;
};

struct MultipartForm {
  std::vector<std::pair<std::string, std::string>>
      fields;                        // text fields, in order
  std::optional<UploadedFile> file;  // nullopt when no file part had content
};

// Parses the multipart/form-data body stored in the file `body_path`, whose
// Content-Type header was `content_type` (with its boundary). Text fields
// are read into memory, each at most limits.max_field_bytes; the file part
// (one at most; an empty file input counts as none) is decoded straight into
// a new file at `file_path` and never held in memory; the body is not
// loaded either (GMime reads it through a file stream). On error nothing is
// left at `file_path`. Errors: kInvalidInput "malformed_multipart" (no
// boundary, not multipart, nested parts, bad headers), "too_many_parts",
// "too_many_files"; kTooLarge "field_too_large", "file_too_large" (field
// "file"); kInternal "upload_write_failed". Thread-safe.
Result<MultipartForm> ParseMultipartFile(const std::string& body_path,
                                         std::string_view content_type,
                                         const std::string& file_path,
                                         const MultipartLimits& limits);

}  // namespace rt::mail

#endif  // RT_MAIL_MULTIPART_H_
