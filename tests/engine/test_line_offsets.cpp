// The line arithmetic the edits share (engine/style.h).
#include <catch2/catch.hpp>

#include "engine/style.h"

using dfopt::engine::lineStart;
using dfopt::engine::nextLineStart;

TEST_CASE("lineStart is the start of the line holding the offset", "[engine]") {
  std::string_view text = "FROM a\r\nRUN b\n\nCMD c";
  CHECK(lineStart(text, 0) == 0);
  CHECK(lineStart(text, 5) == 0);
  CHECK(lineStart(text, 7) == 0);  // the '\n' belongs to its line
  CHECK(lineStart(text, 8) == 8);
  CHECK(lineStart(text, 12) == 8);
  CHECK(lineStart(text, 14) == 14);  // the empty line
  CHECK(lineStart(text, 15) == 15);
  CHECK(lineStart(text, static_cast<uint32_t>(text.size())) == 15);
  CHECK(lineStart("", 0) == 0);
}

TEST_CASE("nextLineStart is past the newline ending the line, or the end", "[engine]") {
  std::string_view text = "FROM a\nRUN b";
  CHECK(nextLineStart(text, 0) == 7);
  CHECK(nextLineStart(text, 6) == 7);
  CHECK(nextLineStart(text, 7) == text.size());
}
