// SourceText's line index and findEncodingProblem, which read eight bytes
// at a time where the text is plain ASCII: a problem or a newline is found
// at its exact offset wherever it falls against those eight-byte steps.
#include <catch2/catch.hpp>

#include "syntax/source_text.h"

using dfopt::syntax::findEncodingProblem;
using dfopt::syntax::SourceText;

TEST_CASE("a NUL byte or an invalid byte is reported at its offset, wherever it falls", "[source_text]") {
  for (size_t at = 0; at < 24; ++at) {
    for (char bad : {'\0', '\xff', '\x80'}) {
      std::string text(30, 'a');
      text[at] = bad;
      auto problem = findEncodingProblem(text);
      REQUIRE(problem.has_value());
      CHECK(problem->offset == at);
      CHECK_THAT(problem->message, Catch::Contains(bad == '\0' ? "NUL" : "not UTF-8"));
    }
  }
}

TEST_CASE("valid UTF-8 across the eight-byte steps is no problem", "[source_text]") {
  const std::string characters[] = {"é", "€", "𝄞"};
  for (const std::string& character : characters) {
    for (size_t at = 0; at < 16; ++at) {
      std::string text = std::string(at, 'a') + character + std::string(9, 'b');
      CHECK_FALSE(findEncodingProblem(text).has_value());
      // cut in the middle of the character: invalid at its first byte
      std::string cut =
          std::string(at, 'a') + character.substr(0, character.size() - 1) + std::string(9, 'b');
      auto problem = findEncodingProblem(cut);
      REQUIRE(problem.has_value());
      CHECK(problem->offset == at);
    }
  }
  CHECK_FALSE(findEncodingProblem("").has_value());
}

TEST_CASE("lines start after every newline", "[source_text]") {
  SourceText source("FROM a\n\nRUN b\r\nCMD c");
  CHECK(source.lineOf(0) == 1);
  CHECK(source.lineStart(2) == 7);
  CHECK(source.lineStart(3) == 8);
  CHECK(source.lineStart(4) == 15);
  CHECK(source.lineOf(14) == 3);
  CHECK(source.lineOf(15) == 4);
  CHECK(source.position(17).line == 4);
  CHECK(source.position(17).column == 3);
  SourceText empty("");
  CHECK(empty.lineOf(0) == 1);
  SourceText newlineOnly("\n");
  CHECK(newlineOnly.lineStart(2) == 1);
}
