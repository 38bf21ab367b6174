#ifndef RT_TESTS_SUPPORT_SAMPLE_FILES_H_
#define RT_TESTS_SUPPORT_SAMPLE_FILES_H_

// Small real files made in the test, for type detection and uploads.

#include <cstdint>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace rt::testing {

// A minimal valid PDF (one empty page).
inline std::string SamplePdf() {
  return "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
         "2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
         "3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>> "
         "endobj\n"
         "trailer <</Root 1 0 R>>\n%%EOF\n";
}

// A 3 x 2 PNG header (signature and IHDR), enough for libmagic and sizes.
inline std::string SamplePng() {
  std::string s("\x89PNG\r\n\x1a\n", 8);
  s += std::string("\0\0\0\x0dIHDR", 8);
  s += std::string("\0\0\0\x03\0\0\0\x02\x08\x06\0\0\0", 13);
  s += std::string("\0\0\0\0", 4);  // CRC (not checked by libmagic)
  s += std::string("\0\0\0\0IEND\xae\x42\x60\x82", 12);
  return s;
}

inline void PutLe16(std::string& s, uint32_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>((v >> 8) & 0xff);
}
inline void PutLe32(std::string& s, uint32_t v) {
  PutLe16(s, v & 0xffff);
  PutLe16(s, v >> 16);
}

// A ZIP of stored (uncompressed) entries. `declared` overrides the
// uncompressed size the central directory declares for an entry (0: true).
struct ZipEntry {
  std::string name;
  std::string data;
  uint32_t declared = 0;
};
inline std::string MakeZip(const std::vector<ZipEntry>& entries) {
  std::string out, cd;
  for (const ZipEntry& e : entries) {
    uint32_t offset = static_cast<uint32_t>(out.size());
    PutLe32(out, 0x04034b50);
    PutLe16(out, 20);
    PutLe16(out, 0);
    PutLe16(out, 0);  // stored
    PutLe32(out, 0);
    PutLe32(out, 0);  // crc (not checked here)
    PutLe32(out, static_cast<uint32_t>(e.data.size()));
    PutLe32(out, static_cast<uint32_t>(e.data.size()));
    PutLe16(out, static_cast<uint32_t>(e.name.size()));
    PutLe16(out, 0);
    out += e.name;
    out += e.data;
    PutLe32(cd, 0x02014b50);
    PutLe16(cd, 20);
    PutLe16(cd, 20);
    PutLe16(cd, 0);
    PutLe16(cd, 0);
    PutLe32(cd, 0);
    PutLe32(cd, 0);
    PutLe32(cd, static_cast<uint32_t>(e.data.size()));
    PutLe32(cd, e.declared ? e.declared : static_cast<uint32_t>(e.data.size()));
    PutLe16(cd, static_cast<uint32_t>(e.name.size()));
    PutLe16(cd, 0);
    PutLe16(cd, 0);
    PutLe16(cd, 0);
    PutLe16(cd, 0);
    PutLe32(cd, 0);
    PutLe32(cd, offset);
    cd += e.name;
  }
  uint32_t cd_offset = static_cast<uint32_t>(out.size());
  out += cd;
  PutLe32(out, 0x06054b50);
  PutLe16(out, 0);
  PutLe16(out, 0);
  PutLe16(out, static_cast<uint32_t>(entries.size()));
  PutLe16(out, static_cast<uint32_t>(entries.size()));
  PutLe32(out, static_cast<uint32_t>(cd.size()));
  PutLe32(out, cd_offset);
  PutLe16(out, 0);
  return out;
}

// A .docx-shaped ZIP (Office Open XML parts).
inline std::string SampleDocx() {
  return MakeZip({{"[Content_Types].xml",
                   "<?xml version=\"1.0\"?><Types "
                   "xmlns=\"http://schemas.openxmlformats.org/"
                   "package/2006/content-types\"></Types>"},
                  {"_rels/.rels", "<Relationships/>"},
                  {"word/document.xml", "<w:document/>"}});
}

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace rt::testing

#endif  // RT_TESTS_SUPPORT_SAMPLE_FILES_H_
