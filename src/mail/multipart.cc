#include "mail/multipart.h"

#include <fcntl.h>
#include <gmime/gmime.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "mail/gmime_init.h"
#include "mail/gobject_ptr.h"

namespace rt::mail {

namespace {

Error Malformed(const std::string& why) {
  return MakeError(ErrorKind::kInvalidInput, "malformed_multipart",
                   "The form upload could not be read: " + why + ".");
}

// The raw (still encoded) length of a part's content; -1 when unknown.
gint64 RawLength(GMimeDataWrapper* w) {
  GMimeStream* s = g_mime_data_wrapper_get_stream(w);
  return s == nullptr ? -1 : g_mime_stream_length(s);
}

}  // namespace

Result<MultipartForm> ParseMultipartFile(const std::string& body_path,
                                         std::string_view content_type,
                                         const std::string& file_path,
                                         const MultipartLimits& limits) {
  if (content_type.find_first_of(std::string_view("\r\n\0", 3)) !=
      std::string_view::npos) {
    return Malformed("the content type is not valid");
  }
  EnsureGMimeInitialized();
  int fd = ::open(body_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Malformed("the upload was not received");
  // The parser needs the Content-Type header in front of the body; a
  // concatenated stream gives it that without copying the body. Both
  // sources are seekable, so with a persistent stream GMime keeps each
  // part's content as a window onto the file instead of reading it in.
  GPtr<GMimeStream> body(g_mime_stream_fs_new(fd));
  std::string head = "Content-Type: " + std::string(content_type) + "\r\n\r\n";
  GPtr<GMimeStream> head_stream(
      g_mime_stream_mem_new_with_buffer(head.data(), head.size()));
  GPtr<GMimeStream> cat(g_mime_stream_cat_new());
  g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat.get()), head_stream.get());
  g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat.get()), body.get());
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(cat.get()));
  g_mime_parser_set_persist_stream(parser.get(), TRUE);
  GPtr<GMimeObject> root(g_mime_parser_construct_part(parser.get(), nullptr));
  if (!root || !GMIME_IS_MULTIPART(root.get()))
    return Malformed("it is not multipart");
  const char* boundary =
      g_mime_multipart_get_boundary(GMIME_MULTIPART(root.get()));
  if (boundary == nullptr || *boundary == '\0')
    return Malformed("it has no boundary");

  MultipartForm form;
  GMimeMultipart* mp = GMIME_MULTIPART(root.get());
  const int count = g_mime_multipart_get_count(mp);
  if (count < 0 || static_cast<size_t>(count) > limits.max_parts) {
    return MakeError(ErrorKind::kInvalidInput, "too_many_parts",
                     "The form sent more fields than it has.");
  }
  bool wrote_file = false;
  auto fail = [&](Error e) -> Result<MultipartForm> {
    if (wrote_file) std::remove(file_path.c_str());
    return e;
  };
  for (int i = 0; i < count; ++i) {
    GMimeObject* obj = g_mime_multipart_get_part(mp, i);
    if (!GMIME_IS_PART(obj))
      return fail(Malformed("a part holds further parts"));
    GMimeContentDisposition* cd = g_mime_object_get_content_disposition(obj);
    const char* name =
        cd == nullptr ? nullptr
                      : g_mime_content_disposition_get_parameter(cd, "name");
    if (name == nullptr) return fail(Malformed("a part has no field name"));
    const char* filename =
        g_mime_content_disposition_get_parameter(cd, "filename");
    GMimeDataWrapper* content = g_mime_part_get_content(GMIME_PART(obj));
    const gint64 raw = content == nullptr ? 0 : RawLength(content);
    if (filename == nullptr) {
      if (raw > static_cast<gint64>(limits.max_field_bytes)) {
        return fail(MakeError(
            ErrorKind::kTooLarge, "field_too_large",
            std::string("The field '") + name + "' is too long.", name));
      }
      std::string value;
      if (content != nullptr) {
        GPtr<GMimeStream> mem(g_mime_stream_mem_new());
        g_mime_data_wrapper_write_to_stream(content, mem.get());
        GByteArray* bytes =
            g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
        if (bytes->len > limits.max_field_bytes) {
          return fail(MakeError(
              ErrorKind::kTooLarge, "field_too_large",
              std::string("The field '") + name + "' is too long.", name));
        }
        value.assign(reinterpret_cast<const char*>(bytes->data), bytes->len);
      }
      form.fields.emplace_back(name, std::move(value));
      continue;
    }
    if (form.file) {
      return fail(MakeError(ErrorKind::kInvalidInput, "too_many_files",
                            "Share one file at a time.", "file"));
    }
    if (raw > limits.max_file_bytes) {
      return fail(
          MakeError(ErrorKind::kTooLarge, "file_too_large",
                    "The file is larger than " +
                        std::to_string(limits.max_file_bytes / (1024 * 1024)) +
                        " MB. Share a smaller file, or a link to it.",
                    "file"));
    }
    int out_fd = ::open(file_path.c_str(),
                        O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out_fd < 0) {
      return fail(MakeError(ErrorKind::kInternal, "upload_write_failed",
                            "The file could not be stored. Try again."));
    }
    wrote_file = true;
    GPtr<GMimeStream> out(g_mime_stream_fs_new(out_fd));
    gint64 written = content == nullptr ? 0
                                        : g_mime_data_wrapper_write_to_stream(
                                              content, out.get());
    if (written < 0 || g_mime_stream_flush(out.get()) != 0) {
      return fail(MakeError(ErrorKind::kInternal, "upload_write_failed",
                            "The file could not be stored. Try again."));
    }
    out.reset();
    std::error_code ec;
    const auto size = std::filesystem::file_size(file_path, ec);
    if (ec) {
      return fail(MakeError(ErrorKind::kInternal, "upload_write_failed",
                            "The file could not be stored. Try again."));
    }
    if (static_cast<int64_t>(size) > limits.max_file_bytes) {
      return fail(
          MakeError(ErrorKind::kTooLarge, "file_too_large",
                    "The file is larger than " +
                        std::to_string(limits.max_file_bytes / (1024 * 1024)) +
                        " MB. Share a smaller file, or a link to it.",
                    "file"));
    }
    // A file input left empty still sends a part, with no name and no bytes.
    if (*filename == '\0' && size == 0) {
      std::remove(file_path.c_str());
      wrote_file = false;
      continue;
    }
    UploadedFile f;
    f.field = name;
    f.file_name = filename;
    GMimeContentType* ct = g_mime_object_get_content_type(obj);
    if (ct != nullptr) {
      char* mime = g_mime_content_type_get_mime_type(ct);
      if (mime != nullptr) {
        f.claimed_type = mime;
        g_free(mime);
      }
    }
    f.path = file_path;
    f.size = static_cast<int64_t>(size);
    form.file = std::move(f);
  }
  return form;
}

}  // namespace rt::mail
