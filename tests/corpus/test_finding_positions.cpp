// Where findings point, over every golden case and every real build
// context: inside the input file (a line it has, a column on that line's
// text) and told once per line, transform and message.
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>

#include <catch2/catch.hpp>

#include "context/build_context.h"
#include "engine/pipeline.h"
#include "support.h"
#include "transforms/transforms.h"

using namespace dfopt;
using Case = testing::CorpusCase;

namespace {

// The length of each line's text (without its line break), by line number from 1.
std::vector<size_t> lineLengths(const std::string& text) {
  std::vector<size_t> lengths;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    size_t length = end - start;
    if (length > 0 && text[end - 1] == '\r') --length;
    lengths.push_back(length);
    start = end + 1;
  }
  return lengths;
}

void checkFindings(const Case& c) {
  std::string text = testing::readFile(c.dockerfile);
  auto context = context::BuildContext::fromDirectory(c.context);
  auto outcome = engine::runPipeline(text, context, {}, transforms::all());
  if (!outcome.ok()) return;
  std::vector<size_t> lengths = lineLengths(text);
  std::set<std::tuple<uint32_t, std::string, std::string>> told;
  for (const engine::Finding& finding : outcome.findings) {
    syntax::Position at = outcome.inputSource->position(finding.offset);
    INFO(c.name << " " << at.line << ":" << at.column << " [" << finding.transform << "] "
                << finding.message);
    REQUIRE(at.line >= 1);
    REQUIRE(at.line <= lengths.size());
    CHECK(at.column >= 1);
    CHECK(at.column <= lengths[at.line - 1]);
    CHECK(told.insert({at.line, finding.transform, finding.message}).second);
  }
}

}  // namespace

TEST_CASE("findings over the golden cases point inside the input, once each", "[corpus][positions]") {
  auto cases = testing::goldenInputCases();
  CHECK(cases.size() > 100);
  for (const Case& c : cases) checkFindings(c);
}

TEST_CASE("findings over the real build contexts point inside the input, once each", "[corpus][positions]") {
  auto cases = testing::realBuildContexts();
  CHECK(cases.size() == 34);
  for (const Case& c : cases) checkFindings(c);
}
