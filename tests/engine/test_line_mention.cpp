// Line numbers in messages: written by the pipeline from offsets, so that a
// message names the input's line even after a step moved it.
#include <catch2/catch.hpp>

#include "context/build_context.h"
#include "engine/line_mention.h"
#include "engine/pipeline.h"
#include "transforms/transforms.h"

using dfopt::engine::lineMention;
using dfopt::engine::writeLineMentions;

TEST_CASE("line mentions: each is written as the line of its offset", "[engine]") {
  auto lineOf = [](uint32_t offset) { return offset / 10 + 1; };
  std::string message =
      "line " + lineMention(42) + " replaces lines " + lineMention(0) + ", " + lineMention(99);
  CHECK(writeLineMentions(message, lineOf) == "line 5 replaces lines 1, 10");
  CHECK(writeLineMentions("no mention here", lineOf) == "no mention here");
}

TEST_CASE("line mentions: a stray mark is left as it is", "[engine]") {
  auto lineOf = [](uint32_t) -> uint32_t { return 7; };
  std::string stray = std::string("a\0b", 3);
  CHECK(writeLineMentions(stray, lineOf) == stray);
  std::string notNumber = std::string("a\0x\0", 4) + " line " + lineMention(3);
  CHECK(writeLineMentions(notNumber, lineOf) == std::string("a\0x\0", 4) + " line 7");
}

TEST_CASE("line mentions: a message names the input's line after a step inserted lines", "[engine]") {
  // non-root inserts its user lines before secrets runs; ENV TOKEN is on line 5 of the input
  const std::string dockerfile =
      "# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nARG TOKEN\nRUN fetch \"$TOKEN\"\nENV TOKEN=abc\n"
      "CMD [\"python\", \"app.py\"]\n";
  auto context =
      dfopt::context::BuildContext::fromFiles({{"Dockerfile", dockerfile}, {"app.py", "print(1)\n"}});
  auto outcome = dfopt::engine::runPipeline(dockerfile, context, {}, dfopt::transforms::all(), {});
  REQUIRE(outcome.after != dockerfile);  // a step before secrets changed the text
  bool found = false;
  for (const auto& finding : outcome.findings) {
    if (finding.transform != "secrets" || finding.message.find("declares it again") == std::string::npos)
      continue;
    found = true;
    CHECK(finding.message.find("line 5 declares it again") != std::string::npos);
    CHECK(finding.message.find('\0') == std::string::npos);
  }
  CHECK(found);
}
