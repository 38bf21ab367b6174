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

// An Office Open XML package: [Content_Types].xml, the package
// relationships and one part, `part` ("word/document.xml" for Word,
// "xl/workbook.xml" for Excel, "ppt/presentation.xml" for PowerPoint).
inline std::string SampleOoxml(const std::string& part) {
  return MakeZip({{"[Content_Types].xml",
                   "<?xml version=\"1.0\"?><Types "
                   "xmlns=\"http://schemas.openxmlformats.org/"
                   "package/2006/content-types\"></Types>"},
                  {"_rels/.rels", "<Relationships/>"},
                  {part, "<root/>"}});
}

// A .docx-shaped ZIP (Office Open XML parts).
inline std::string SampleDocx() { return SampleOoxml("word/document.xml"); }

// An OpenDocument package: the stored "mimetype" entry first, as the
// standard requires (libmagic reads the type from it), then its parts.
inline std::string SampleOdf(const std::string& mimetype) {
  return MakeZip({{"mimetype", mimetype},
                  {"content.xml", "<office:document-content/>"},
                  {"META-INF/manifest.xml", "<manifest:manifest/>"}});
}

// A legacy Office file: an OLE2 compound file (version 3, 512-byte
// sectors) holding one 4 KB stream named `stream` ("WordDocument" for
// Word, "Workbook" for Excel, "PowerPoint Document" for PowerPoint).
// Sector 0 is the allocation table, 1 the directory, 2-9 the stream.
inline std::string SampleOle2(const std::string& stream) {
  constexpr uint32_t kFree = 0xFFFFFFFF, kEnd = 0xFFFFFFFE, kFatSector = 0xFFFFFFFD;
  std::string out("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  out += std::string(16, '\0');                                     // CLSID
  for (uint32_t v : {0x3Eu, 3u, 0xFFFEu, 9u, 6u}) PutLe16(out, v);  // version, byte order, shifts
  out += std::string(6, '\0');
  // Directory sectors (0 in v3), FAT sectors, first directory sector,
  // transaction, mini-stream cutoff, first mini-FAT, mini-FAT sectors,
  // first DIFAT, DIFAT sectors; then the DIFAT's 109 entries.
  for (uint32_t v : {0u, 1u, 1u, 0u, 4096u, kEnd, 0u, kEnd, 0u}) PutLe32(out, v);
  PutLe32(out, 0);
  for (int i = 1; i < 109; ++i) PutLe32(out, kFree);
  std::vector<uint32_t> fat = {kFatSector, kEnd};
  for (uint32_t next = 3; next <= 9; ++next) fat.push_back(next);
  fat.push_back(kEnd);
  fat.resize(128, kFree);
  for (uint32_t v : fat) PutLe32(out, v);
  auto entry = [&](const std::string& name, uint8_t type, uint32_t child, uint32_t start,
                   uint32_t size) {
    std::string e;
    for (char ch : name) PutLe16(e, static_cast<unsigned char>(ch));  // UTF-16LE
    e.resize(64, '\0');
    PutLe16(e, name.empty() ? 0 : static_cast<uint32_t>(name.size() + 1) * 2);
    e += static_cast<char>(type);
    e += '\x01';  // black
    for (uint32_t v : {kFree, kFree, child}) PutLe32(e, v);
    e += std::string(16 + 4 + 16, '\0');  // CLSID, state, times
    PutLe32(e, start);
    PutLe32(e, size);
    PutLe32(e, 0);
    out += e;
  };
  entry("Root Entry", 5, 1, kEnd, 0);
  entry(stream, 2, kFree, 2, 4096);
  entry("", 0, kFree, 0, 0);
  entry("", 0, kFree, 0, 0);
  std::string data(4096, '\0');
  data[0] = '\xEC';  // a Word FIB starts so; harmless for the others
  data[1] = '\xA5';
  return out + data;
}

inline void PutBe16(std::string& s, uint32_t v) {
  s += static_cast<char>((v >> 8) & 0xff);
  s += static_cast<char>(v & 0xff);
}

// A JFIF JPEG header with a baseline frame of width x height.
inline std::string SampleJpeg(int width, int height) {
  std::string s("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
  s += std::string("\xFF\xC0\x00\x11\x08", 5);
  PutBe16(s, height);
  PutBe16(s, width);
  s += std::string("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
  return s + "\xFF\xD9";
}

// A width x height GIF89a with one pixel of data.
inline std::string SampleGif(int width, int height) {
  std::string s = "GIF89a";
  PutLe16(s, width);
  PutLe16(s, height);
  s += std::string("\x80\x00\x00\x00\x00\x00\xff\xff\xff,\x00\x00\x00\x00", 14);
  PutLe16(s, width);
  PutLe16(s, height);
  return s + std::string("\x00\x02\x02\x44\x01\x00;", 8);
}

// A lossy WebP (RIFF, "VP8 " chunk) key frame header of width x height.
inline std::string SampleWebp(int width, int height) {
  std::string frame("\x10\x02\x00\x9d\x01\x2a", 6);
  PutLe16(frame, width);
  PutLe16(frame, height);
  frame += std::string(4, '\0');
  std::string chunk = "VP8 ";
  PutLe32(chunk, static_cast<uint32_t>(frame.size()));
  chunk += frame;
  std::string s = "RIFF";
  PutLe32(s, static_cast<uint32_t>(4 + chunk.size()));
  return s + "WEBP" + chunk;
}

// The start of a Windows executable (MZ header, then a PE signature).
inline std::string SampleExe() {
  std::string s("MZ\x90\x00", 4);
  s += std::string(56, '\0');
  PutLe32(s, 64);  // e_lfanew: the PE header follows
  s += std::string("PE\0\0", 4);
  return s + std::string(200, '\0');
}

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace rt::testing

#endif  // RT_TESTS_SUPPORT_SAMPLE_FILES_H_
