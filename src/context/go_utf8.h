#pragma once
// UTF-8 decoding as Go does it: an invalid or truncated sequence is one byte
// read as U+FFFD, so every byte string is a sequence of runes.
#include <string_view>

namespace dfopt::context {

inline constexpr char32_t kRuneError = 0xFFFD;

// Decodes the rune at `offset` and moves `offset` past it.
inline char32_t decodeRune(std::string_view text, size_t& offset) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[offset + i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    ++offset;
    return lead;
  }
  size_t length = 0;
  char32_t rune = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, rune = lead & 0x1F, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, rune = lead & 0x0F, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, rune = lead & 0x07, minimum = 0x10000;
  }
  if (length == 0 || offset + length > text.size()) {
    ++offset;
    return kRuneError;
  }
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) {
      ++offset;
      return kRuneError;
    }
    rune = (rune << 6) | (byte(i) & 0x3F);
  }
  if (rune < minimum || rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) {
    ++offset;
    return kRuneError;
  }
  offset += length;
  return rune;
}

}  // namespace dfopt::context
