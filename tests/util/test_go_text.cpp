// The inline ASCII cases of decodeRune, appendRune and isSpace answer as
// the full Go ports do, for every code point and every one- and two-byte
// sequence.
#include <catch2/catch.hpp>

#include "util/go_text.h"

using namespace dfopt;

TEST_CASE("decodeRune's inline case decodes as utf8.DecodeRuneInString", "[util][golang]") {
  for (unsigned first = 0; first < 256; ++first) {
    for (unsigned second = 0; second < 256; ++second) {
      std::string text{static_cast<char>(first), static_cast<char>(second)};
      for (size_t pos = 0; pos <= text.size(); ++pos) {
        golang::DecodedRune fast = golang::decodeRune(text, pos);
        golang::DecodedRune full = golang::detail::decodeRuneAt(text, pos);
        REQUIRE(fast.rune == full.rune);
        REQUIRE(fast.width == full.width);
      }
    }
  }
  CHECK(golang::decodeRune("a").rune == U'a');
  CHECK(golang::decodeRune("\xc3\xa9").rune == U'é');
  CHECK(golang::decodeRune("\xc3").rune == golang::kRuneError);
  CHECK(golang::decodeRune("", 0).width == 0);
}

TEST_CASE("appendRune and isSpace answer as the full ports for every code point", "[util][golang]") {
  for (char32_t rune = 0; rune <= 0x110000; ++rune) {
    std::string fast, full;
    golang::appendRune(fast, rune);
    golang::detail::appendAnyRune(full, rune);
    REQUIRE(fast == full);
    REQUIRE(golang::isSpace(rune) == golang::detail::isAnySpace(rune));
  }
  CHECK(golang::isSpace(U'\v'));
  CHECK(golang::isSpace(U'\u00a0'));
  CHECK_FALSE(golang::isSpace(U'\x1c'));  // Go's IsSpace leaves out the ASCII separators
  std::string surrogate;
  golang::appendRune(surrogate, 0xD800);
  CHECK(surrogate == "\xef\xbf\xbd");
}
