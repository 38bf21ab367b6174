#include "store/file_check.h"

#include <magic.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "core/text.h"

namespace rt::store {

namespace {

constexpr char kDocx[] =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr char kXlsx[] =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr char kPptx[] =
    "application/vnd.openxmlformats-officedocument.presentationml.presentation";
constexpr char kOdt[] = "application/vnd.oasis.opendocument.text";
constexpr char kOds[] = "application/vnd.oasis.opendocument.spreadsheet";
constexpr char kOdp[] = "application/vnd.oasis.opendocument.presentation";

// How each allowed extension is stored, and which detected types its
// content may have. ZIP-based formats are also told apart by their
// directory (see Family), since libmagic names some of them only "zip".
enum class Family { kPlain, kZip, kOoxml, kOdf, kOle };

struct Allowed {
  std::string_view ext;
  std::string_view stored;
  std::string_view name;  // for messages: "a PDF"
  Family family;
  std::string_view zip_dir;  // OOXML: the part folder ("word/")
  std::initializer_list<std::string_view> detected;
};

const Allowed kAllowed[] = {
    {"pdf",
     "application/pdf",
     "a PDF",
     Family::kPlain,
     "",
     {"application/pdf"}},
    {"png", "image/png", "a PNG image", Family::kPlain, "", {"image/png"}},
    {"jpg", "image/jpeg", "a JPEG image", Family::kPlain, "", {"image/jpeg"}},
    {"jpeg", "image/jpeg", "a JPEG image", Family::kPlain, "", {"image/jpeg"}},
    {"gif", "image/gif", "a GIF image", Family::kPlain, "", {"image/gif"}},
    {"webp", "image/webp", "a WebP image", Family::kPlain, "", {"image/webp"}},
    {"txt", "text/plain", "a text file", Family::kPlain, "", {"text/plain"}},
    {"csv",
     "text/csv",
     "a CSV file",
     Family::kPlain,
     "",
     {"text/csv", "text/plain", "application/csv"}},
    {"zip",
     "application/zip",
     "a ZIP archive",
     Family::kZip,
     "",
     {"application/zip"}},
    {"docx",
     kDocx,
     "a Word document",
     Family::kOoxml,
     "word/",
     {kDocx, "application/zip", "application/octet-stream"}},
    {"xlsx",
     kXlsx,
     "an Excel workbook",
     Family::kOoxml,
     "xl/",
     {kXlsx, "application/zip", "application/octet-stream"}},
    {"pptx",
     kPptx,
     "a PowerPoint presentation",
     Family::kOoxml,
     "ppt/",
     {kPptx, "application/zip", "application/octet-stream"}},
    {"odt",
     kOdt,
     "an OpenDocument text",
     Family::kOdf,
     "",
     {kOdt, "application/zip"}},
    {"ods",
     kOds,
     "an OpenDocument spreadsheet",
     Family::kOdf,
     "",
     {kOds, "application/zip"}},
    {"odp",
     kOdp,
     "an OpenDocument presentation",
     Family::kOdf,
     "",
     {kOdp, "application/zip"}},
    {"doc",
     "application/msword",
     "a Word document",
     Family::kOle,
     "",
     {"application/msword", "application/x-ole-storage", "application/CDFV2"}},
    {"xls",
     "application/vnd.ms-excel",
     "an Excel workbook",
     Family::kOle,
     "",
     {"application/vnd.ms-excel", "application/x-ole-storage",
      "application/CDFV2"}},
    {"ppt",
     "application/vnd.ms-powerpoint",
     "a PowerPoint presentation",
     Family::kOle,
     "",
     {"application/vnd.ms-powerpoint", "application/x-ole-storage",
      "application/CDFV2"}},
};

struct MagicCloser {
  void operator()(magic_set* m) const { magic_close(m); }
};

// libmagic handles are not thread-safe: one per thread, loaded on first use.
magic_t ThreadMagic() {
  thread_local std::unique_ptr<magic_set, MagicCloser> m = [] {
    magic_t h = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS |
                           MAGIC_NO_CHECK_ELF | MAGIC_NO_CHECK_TAR);
    if (h != nullptr && magic_load(h, nullptr) != 0) {
      magic_close(h);
      h = nullptr;
    }
    return std::unique_ptr<magic_set, MagicCloser>(h);
  }();
  return m.get();
}

// What the content is, in words, for messages ("a PDF"); "" when unknown.
std::string_view NameOfDetected(std::string_view detected) {
  for (const Allowed& a : kAllowed) {
    if (a.detected.size() > 0 && *a.detected.begin() == detected) return a.name;
  }
  return "";
}

bool IsAllowedDetected(std::string_view detected) {
  for (const Allowed& a : kAllowed) {
    for (std::string_view d : a.detected) {
      if (d == detected && d != "application/octet-stream") return true;
    }
  }
  return false;
}

Error NotAllowed() {
  return MakeError(
      ErrorKind::kUnsupportedType, "file_type_not_allowed",
      "This kind of file cannot be shared. Share a PDF, an office document "
      "(Word, Excel, PowerPoint or OpenDocument), an image (PNG, JPEG, GIF or "
      "WebP), a text or CSV file, or a ZIP archive.",
      "file");
}

Error Mismatch(std::string_view ext, std::string_view detected) {
  std::string_view what = NameOfDetected(detected);
  std::string msg =
      "This file's name ends in ." + std::string(ext) + ", but its content is ";
  msg += what.empty() ? std::string("something else") : std::string(what);
  msg += ". Choose the right file, or give it a name that says what it is.";
  return MakeError(ErrorKind::kRuleBroken, "file_type_mismatch", msg, "file");
}

Error ZipError(const char* code, const std::string& msg) {
  return MakeError(ErrorKind::kRuleBroken, code, msg, "file");
}

uint32_t Le16(const unsigned char* p) { return p[0] | (p[1] << 8); }
uint32_t Le32(const unsigned char* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}
uint32_t Be16(const unsigned char* p) { return (p[0] << 8) | p[1]; }
uint32_t Be32(const unsigned char* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) |
         p[3];
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Reads up to `n` bytes at `offset`; fewer at the end of the file.
std::vector<unsigned char> ReadAt(std::FILE* f, uint64_t offset, size_t n) {
  std::vector<unsigned char> buf(n);
  if (std::fseek(f, static_cast<long>(offset), SEEK_SET) != 0) return {};
  buf.resize(std::fread(buf.data(), 1, n, f));
  return buf;
}

// Width and height from an image's header, when it says.
void ReadImageSize(const std::string& path, std::string_view type,
                   CheckedFile& out) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return;
  std::vector<unsigned char> b = ReadAt(f.get(), 0, 64 * 1024);
  const size_t n = b.size();
  const unsigned char* p = b.data();
  uint32_t w = 0, h = 0;
  if (type == "image/png" && n >= 24) {
    w = Be32(p + 16);
    h = Be32(p + 20);
  } else if (type == "image/gif" && n >= 10) {
    w = Le16(p + 6);
    h = Le16(p + 8);
  } else if (type == "image/webp" && n >= 30) {
    if (std::string_view(reinterpret_cast<const char*>(p + 12), 4) == "VP8X") {
      w = 1 + (p[24] | (p[25] << 8) | (p[26] << 16));
      h = 1 + (p[27] | (p[28] << 8) | (p[29] << 16));
    } else if (std::string_view(reinterpret_cast<const char*>(p + 12), 4) ==
                   "VP8L" &&
               n >= 25) {
      uint32_t bits = Le32(p + 21);
      w = 1 + (bits & 0x3FFF);
      h = 1 + ((bits >> 14) & 0x3FFF);
    } else if (std::string_view(reinterpret_cast<const char*>(p + 12), 4) ==
               "VP8 ") {
      w = Le16(p + 26) & 0x3FFF;
      h = Le16(p + 28) & 0x3FFF;
    }
  } else if (type == "image/jpeg") {
    // Walk the markers to the first start-of-frame.
    size_t i = 2;
    while (i + 9 < n) {
      if (p[i] != 0xFF) break;
      unsigned char marker = p[i + 1];
      if (marker == 0xFF) {
        ++i;
        continue;
      }
      size_t len = Be16(p + i + 2);
      bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 &&
                 marker != 0xC8 && marker != 0xCC;
      if (sof) {
        h = Be16(p + i + 5);
        w = Be16(p + i + 7);
        break;
      }
      if (len < 2) break;
      i += 2 + len;
    }
  }
  if (w > 0 && h > 0 && w <= 100000 && h <= 100000) {
    out.width = static_cast<int>(w);
    out.height = static_cast<int>(h);
  }
}

}  // namespace

std::string DetectedType(const std::string& path) {
  magic_t m = ThreadMagic();
  if (m == nullptr) return "";
  const char* t = magic_file(m, path.c_str());
  return t == nullptr ? "" : t;
}

bool IsPreviewableImage(std::string_view type) {
  return type == "image/png" || type == "image/jpeg" || type == "image/gif" ||
         type == "image/webp";
}

Result<ZipSummary> InspectZip(const std::string& path) {
  auto malformed = [] {
    return ZipError(
        "zip_malformed",
        "This file says it is a ZIP archive but cannot be read as one.");
  };
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return malformed();
  if (std::fseek(f.get(), 0, SEEK_END) != 0) return malformed();
  long end = std::ftell(f.get());
  if (end < 22) return malformed();
  const uint64_t size = static_cast<uint64_t>(end);
  // The end-of-central-directory record is in the last 22 + 65535 bytes.
  const uint64_t tail_len = std::min<uint64_t>(size, 22 + 65535);
  std::vector<unsigned char> tail = ReadAt(f.get(), size - tail_len, tail_len);
  if (tail.size() != tail_len) return malformed();
  size_t eocd = std::string::npos;
  for (size_t i = tail.size() - 22 + 1; i-- > 0;) {
    if (Le32(&tail[i]) == 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string::npos) return malformed();
  const unsigned char* e = &tail[eocd];
  const uint32_t entries = Le16(e + 10);
  const uint32_t cd_size = Le32(e + 12);
  const uint32_t cd_offset = Le32(e + 16);
  auto bomb = [](const std::string& why) {
    return ZipError("zip_bomb",
                    "This archive would expand to far more than it holds (" +
                        why + "), so it is refused.");
  };
  if (entries == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
    return bomb("it is a ZIP64 archive");
  }
  if (entries > static_cast<uint32_t>(kMaxZipEntries))
    return bomb("too many files");
  if (static_cast<uint64_t>(cd_offset) + cd_size > size ||
      cd_size > 16u * 1024 * 1024) {
    return malformed();
  }
  std::vector<unsigned char> cd = ReadAt(f.get(), cd_offset, cd_size);
  if (cd.size() != cd_size) return malformed();
  ZipSummary out;
  size_t pos = 0;
  for (uint32_t i = 0; i < entries; ++i) {
    if (pos + 46 > cd.size() || Le32(&cd[pos]) != 0x02014b50)
      return malformed();
    const unsigned char* h = &cd[pos];
    const uint64_t compressed = Le32(h + 20);
    const uint64_t uncompressed = Le32(h + 24);
    const size_t name_len = Le16(h + 28), extra_len = Le16(h + 30),
                 comment_len = Le16(h + 32);
    if (compressed == 0xFFFFFFFF || uncompressed == 0xFFFFFFFF) {
      return bomb("it is a ZIP64 archive");
    }
    if (pos + 46 + name_len + extra_len + comment_len > cd.size())
      return malformed();
    std::string_view name(reinterpret_cast<const char*>(h + 46), name_len);
    out.uncompressed_bytes += uncompressed;
    if (out.uncompressed_bytes > kMaxZipUncompressedBytes)
      return bomb("over 1 GB in all");
    if (uncompressed > (1u << 20) &&
        uncompressed / std::max<uint64_t>(compressed, 1) > kMaxZipRatio) {
      return bomb("a file inside is compressed more than " +
                  std::to_string(kMaxZipRatio) + " times");
    }
    if (name == "[Content_Types].xml") out.has_content_types = true;
    if (name == "mimetype") out.has_mimetype = true;
    if (out.first_dir.empty()) {
      size_t slash = name.find('/');
      std::string_view dir =
          slash == std::string_view::npos ? "" : name.substr(0, slash + 1);
      if (dir == "word/" || dir == "xl/" || dir == "ppt/")
        out.first_dir = std::string(dir);
    }
    ++out.entries;
    pos += 46 + name_len + extra_len + comment_len;
  }
  return out;
}

Result<CheckedFile> CheckFileType(const std::string& path,
                                  std::string_view file_name) {
  std::string detected = DetectedType(path);
  if (!IsAllowedDetected(detected)) {
    // Office Open XML files that libmagic cannot name are judged by the
    // extension's own rule below; everything else is refused here.
    if (detected != "application/octet-stream") return NotAllowed();
  }
  std::string ext;
  size_t dot = file_name.find_last_of('.');
  if (dot != std::string_view::npos)
    ext = text::ToLowerAscii(file_name.substr(dot + 1));
  const Allowed* rule = nullptr;
  for (const Allowed& a : kAllowed) {
    if (a.ext == ext) rule = &a;
  }
  if (rule == nullptr) {
    if (detected == "application/octet-stream") return NotAllowed();
    return Mismatch(ext.empty() ? std::string("(nothing)") : ext, detected);
  }
  bool matches = false;
  for (std::string_view d : rule->detected) matches |= d == detected;
  if (!matches) {
    if (detected == "application/octet-stream") return NotAllowed();
    return Mismatch(ext, detected);
  }
  CheckedFile out;
  out.type = std::string(rule->stored);
  const bool zip_based = rule->family == Family::kZip ||
                         rule->family == Family::kOoxml ||
                         rule->family == Family::kOdf;
  if (zip_based) {
    RT_ASSIGN_OR_RETURN(ZipSummary z, InspectZip(path));
    if (rule->family == Family::kOoxml &&
        (!z.has_content_types ||
         (detected != rule->stored && z.first_dir != rule->zip_dir))) {
      return Mismatch(ext, "application/zip");
    }
    if (rule->family == Family::kOdf && detected != rule->stored &&
        !z.has_mimetype) {
      return Mismatch(ext, "application/zip");
    }
  }
  if (IsPreviewableImage(out.type)) ReadImageSize(path, out.type, out);
  return out;
}

}  // namespace rt::store
