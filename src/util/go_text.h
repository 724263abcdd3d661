// Go-compatible text helpers used by the BuildKit port and the build context: UTF-8 decoding as in
// Go's unicode/utf8, the unicode predicates BuildKit relies on, strings.ToLower,
// strings.TrimSpace, strconv.Quote and fmt's %q of a []string.
//
// Unicode tables (IsPrint, IsLetter, IsDigit, ToLower) are generated from
// Unicode 15.0.0, the version Go 1.21+ ships; see go_unicode_tables.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dfopt::golang {

inline constexpr char32_t kRuneError = 0xFFFD;

struct DecodedRune {
  char32_t rune = kRuneError;
  std::size_t width = 0;
};

namespace detail {
DecodedRune decodeRuneAt(std::string_view s, std::size_t pos);
void appendAnyRune(std::string& out, char32_t r);
bool isAnySpace(char32_t r);
}  // namespace detail

// The ASCII case of the next three is inline: the BuildKit port calls them
// for every character of a line, and a call each was a fifth of its time.

// utf8.DecodeRuneInString(s[pos:]): invalid input -> {RuneError, 1}; empty -> {RuneError, 0}.
inline DecodedRune decodeRune(std::string_view s, std::size_t pos = 0) {
  if (pos < s.size() && static_cast<unsigned char>(s[pos]) < 0x80)
    return {static_cast<unsigned char>(s[pos]), 1};
  return detail::decodeRuneAt(s, pos);
}
// utf8.DecodeLastRuneInString(s[:end]).
DecodedRune decodeLastRune(std::string_view s, std::size_t end);
// utf8.AppendRune / strings.Builder.WriteRune: invalid code points become U+FFFD.
inline void appendRune(std::string& out, char32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
    return;
  }
  detail::appendAnyRune(out, r);
}

// unicode.IsSpace
inline bool isSpace(char32_t r) {
  if (r < 0x80) return r == ' ' || (r >= '\t' && r <= '\r');
  return detail::isAnySpace(r);
}
bool isPrint(char32_t r);      // unicode.IsPrint == strconv.IsPrint
bool isLetter(char32_t r);     // unicode.IsLetter
bool isDigit(char32_t r);      // unicode.IsDigit
char32_t toLower(char32_t r);  // unicode.ToLower (simple case mapping)

std::string toLower(std::string_view s);             // strings.ToLower
std::string_view trimSpace(std::string_view s);      // strings.TrimSpace
std::string_view trimLeftSpace(std::string_view s);  // strings.TrimLeftFunc(s, unicode.IsSpace)

std::string quote(std::string_view s);                     // strconv.Quote
std::string quoteList(const std::vector<std::string>& v);  // fmt.Sprintf("%q", []string)

}  // namespace dfopt::golang
