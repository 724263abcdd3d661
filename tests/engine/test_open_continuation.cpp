// A last instruction whose line continuation runs to the end of the file:
// found, and a finding that writes after it keeps its edits out.
#include <catch2/catch.hpp>

#include "engine/open_continuation.h"
#include "support.h"

using dfopt::engine::openContinuationAtEnd;
using dfopt::testing::parseValid;

TEST_CASE("open continuation: the trailing escape of the last instruction, past comments and blanks",
          "[engine]") {
  std::string text = "FROM debian:12\nRUN apt-get update \\\n    # a comment\n\n";
  auto at = openContinuationAtEnd(parseValid(text));
  REQUIRE(at);
  CHECK(text[*at] == '\\');
  CHECK(*at == text.find('\\'));
  std::string backtick = "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir `";
  auto windows = openContinuationAtEnd(parseValid(backtick));
  REQUIRE(windows);
  CHECK(*windows == backtick.size() - 1);
}

TEST_CASE("open continuation: none when the last instruction ends", "[engine]") {
  CHECK_FALSE(openContinuationAtEnd(parseValid("FROM debian:12\nRUN echo \\\n  done\n")));
  CHECK_FALSE(openContinuationAtEnd(parseValid("FROM debian:12\nRUN echo\n# a last comment \\\n")));
  CHECK_FALSE(openContinuationAtEnd(parseValid("FROM debian:12\nRUN <<EOF\necho \\\nEOF\n")));
}

TEST_CASE("open continuation: only writing after the escape counts", "[engine]") {
  dfopt::engine::Finding finding;
  finding.edits.push_back({{10, 10}, "x"});
  CHECK_FALSE(dfopt::engine::writesAfter(finding, 10));
  CHECK(dfopt::engine::writesAfter(finding, 9));
  finding.edits = {{{20, 25}, ""}};  // a removal writes nothing
  CHECK_FALSE(dfopt::engine::writesAfter(finding, 9));
}
