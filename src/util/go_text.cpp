// Go-compatible text helpers; see go_text.h. The Unicode tables are generated,
// in go_unicode_tables.cpp.
#include "util/go_text.h"

#include <algorithm>
#include <cstdint>
#include <span>

#include "util/go_unicode_tables.h"

namespace dfopt::golang {
namespace {

bool inRanges(std::span<const tables::Range> table, char32_t r) {
  auto it = std::upper_bound(table.begin(), table.end(), r,
                             [](char32_t v, const tables::Range& e) { return v < e.lo; });
  if (it == table.begin()) return false;
  --it;
  return r <= it->hi;
}

const tables::CaseRun* findRun(char32_t r) {
  const std::span<const tables::CaseRun> runs = tables::lowerRuns();
  auto it = std::upper_bound(runs.begin(), runs.end(), r,
                             [](char32_t v, const tables::CaseRun& e) { return v < e.lo; });
  if (it == runs.begin()) return nullptr;
  --it;
  return r <= it->hi ? &*it : nullptr;
}

constexpr char kLowerHex[] = "0123456789abcdef";

void appendHex(std::string& out, char32_t r, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kLowerHex[(r >> shift) & 0xF];
}

void appendEscapedRune(std::string& out, char32_t r) {
  if (r == '"' || r == '\\') {
    out += '\\';
    out += static_cast<char>(r);
    return;
  }
  if (isPrint(r)) {
    appendRune(out, r);
    return;
  }
  switch (r) {
    case '\a':
      out += "\\a";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\v':
      out += "\\v";
      return;
    default:
      break;
  }
  if (r < ' ' || r == 0x7f) {
    out += "\\x";
    appendHex(out, r, 2);
  } else if (r < 0x10000) {
    out += "\\u";
    appendHex(out, r, 4);
  } else {
    out += "\\U";
    appendHex(out, r, 8);
  }
}

}  // namespace

DecodedRune detail::decodeRuneAt(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return {kRuneError, 0};
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[pos + i]); };
  const std::size_t n = s.size() - pos;
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return {b0, 1};
  std::size_t size = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    size = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    size = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    size = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return {kRuneError, 1};
  }
  if (n < size) return {kRuneError, 1};
  if (byte(1) < lo || byte(1) > hi) return {kRuneError, 1};
  for (std::size_t i = 2; i < size; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return {kRuneError, 1};
  }
  char32_t r = b0 & (size == 2 ? 0x1F : size == 3 ? 0x0F : 0x07);
  for (std::size_t i = 1; i < size; ++i) r = (r << 6) | (byte(i) & 0x3F);
  return {r, size};
}

DecodedRune decodeLastRune(std::string_view s, std::size_t end) {
  if (end == 0) return {kRuneError, 0};
  std::size_t start = end - 1;
  const auto last = static_cast<unsigned char>(s[start]);
  if (last < 0x80) return {last, 1};
  const std::size_t lim = end >= 4 ? end - 4 : 0;
  // Go: for start--; start >= lim; start-- { if RuneStart(s[start]) break }
  bool found = false;
  while (start > lim) {
    --start;
    if ((static_cast<unsigned char>(s[start]) & 0xC0) != 0x80) {
      found = true;
      break;
    }
  }
  if (!found) start = lim;
  DecodedRune d = decodeRune(s.substr(0, end), start);
  if (start + d.width != end) return {kRuneError, 1};
  return d;
}

void detail::appendAnyRune(std::string& out, char32_t r) {
  if (r >= 0xD800 && r < 0xE000) r = kRuneError;
  if (r > 0x10FFFF) r = kRuneError;
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

bool detail::isAnySpace(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

bool isPrint(char32_t r) { return inRanges(tables::printRanges(), r); }
bool isLetter(char32_t r) { return inRanges(tables::letterRanges(), r); }
bool isDigit(char32_t r) { return inRanges(tables::digitRanges(), r); }

char32_t toLower(char32_t r) {
  if (r < 0x80) return (r >= 'A' && r <= 'Z') ? r + ('a' - 'A') : r;
  const tables::CaseRun* run = findRun(r);
  if (run == nullptr || (r - run->lo) % static_cast<char32_t>(run->stride) != 0) return r;
  return static_cast<char32_t>(static_cast<std::int32_t>(r) + run->delta);
}

std::string toLower(std::string_view s) {
  const bool ascii =
      std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) {
    std::string out(s);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
    return out;
  }
  std::string out;
  out.reserve(s.size());
  // strings.Map(unicode.ToLower, s): invalid bytes come out as U+FFFD.
  for (std::size_t pos = 0; pos < s.size();) {
    DecodedRune d = decodeRune(s, pos);
    appendRune(out, toLower(d.rune));
    pos += d.width;
  }
  return out;
}

std::string_view trimLeftSpace(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    DecodedRune d = decodeRune(s, pos);
    if (!isSpace(d.rune)) break;  // RuneError is not a space, so invalid bytes stop here
    pos += d.width;
  }
  return s.substr(pos);
}

std::string_view trimSpace(std::string_view s) {
  s = trimLeftSpace(s);
  std::size_t end = s.size();
  while (end > 0) {
    DecodedRune d = decodeLastRune(s, end);
    if (!isSpace(d.rune)) break;
    end -= d.width;
  }
  return s.substr(0, end);
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (std::size_t pos = 0; pos < s.size();) {
    DecodedRune d = decodeRune(s, pos);
    if (d.width == 1 && d.rune == kRuneError) {
      out += "\\x";
      appendHex(out, static_cast<unsigned char>(s[pos]), 2);
    } else {
      appendEscapedRune(out, d.rune);
    }
    pos += d.width;
  }
  out += '"';
  return out;
}

std::string quoteList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ' ';
    out += quote(v[i]);
  }
  out += ']';
  return out;
}

}  // namespace dfopt::golang
