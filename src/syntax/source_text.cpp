#include "syntax/source_text.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace dfopt::syntax {

SourceText::SourceText(std::string bytes) : bytes_(std::move(bytes)) {
  lineStarts_.push_back(0);
  const char* begin = bytes_.data();
  const char* end = begin + bytes_.size();
  for (const char* at = begin; (at = static_cast<const char*>(std::memchr(at, '\n', end - at))); ++at)
    lineStarts_.push_back(static_cast<uint32_t>(at - begin) + 1);
}

std::string_view SourceText::slice(ByteRange range) const {
  return std::string_view(bytes_).substr(range.begin, range.size());
}

static bool isContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

uint32_t SourceText::lineOf(uint32_t offset) const {
  auto after = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
  return static_cast<uint32_t>(after - lineStarts_.begin());
}

Position SourceText::position(uint32_t offset) const {
  uint32_t line = lineOf(offset);
  uint32_t column = 1;
  for (uint32_t i = lineStarts_[line - 1]; i < offset && i < bytes_.size(); ++i) {
    if (!isContinuationByte(static_cast<unsigned char>(bytes_[i]))) ++column;
  }
  return {line, column};
}

// Length of the UTF-8 sequence starting at `at`, or 0 when it is invalid.
static size_t utf8SequenceLength(std::string_view bytes, size_t at) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (length == 0 || lead > 0xF4 || at + length > bytes.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    if (!isContinuationByte(byte(at + i))) return 0;
  }
  unsigned char second = byte(at + 1);
  if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
  if (lead == 0xED && second > 0x9F) return 0;  // surrogate
  if (lead == 0xF0 && second < 0x90) return 0;  // overlong
  if (lead == 0xF4 && second > 0x8F) return 0;  // above U+10FFFF
  return length;
}

// Are these 8 bytes all ASCII and none of them NUL? Most of a file is.
static bool plainAscii(std::string_view bytes, size_t at) {
  uint64_t word;
  std::memcpy(&word, bytes.data() + at, sizeof word);
  constexpr uint64_t kOnes = 0x0101010101010101, kHighBits = 0x8080808080808080;
  bool anyHighBit = (word & kHighBits) != 0;
  bool anyZero = ((word - kOnes) & ~word & kHighBits) != 0;
  return !anyHighBit && !anyZero;
}

std::optional<EncodingProblem> findEncodingProblem(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size();) {
    if (i + 8 <= bytes.size() && plainAscii(bytes, i)) {
      i += 8;
      continue;
    }
    if (bytes[i] == '\0') {
      return EncodingProblem{static_cast<uint32_t>(i), "binary file: contains a NUL byte"};
    }
    size_t length = utf8SequenceLength(bytes, i);
    if (length == 0) {
      return EncodingProblem{static_cast<uint32_t>(i), "not UTF-8 text: invalid byte sequence"};
    }
    i += length;
  }
  return std::nullopt;
}

}  // namespace dfopt::syntax
