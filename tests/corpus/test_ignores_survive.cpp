// Inline ignores are never moved away from their instruction, changed or
// lost by a transform: over every golden input and real build context, an
// ignore written above every instruction comes out of the whole pipeline
// byte for byte, still above an instruction, and changes nothing else.
#include <algorithm>

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "context/build_context.h"
#include "engine/ignores.h"
#include "engine/instruction_edits.h"
#include "engine/pipeline.h"
#include "engine/style.h"
#include "support.h"
#include "transforms/transforms.h"

using namespace dfopt;

namespace {

// Above the instruction's comment block, where a description comment stays
// last (BuildKit reads the last one). It names a transform the run skips, so that it silences nothing and the
// transforms do what they do without it.
constexpr std::string_view kPragma = "# dfopt: ignore[stage-graph] -- kept {}";

engine::Selection withoutStageGraph() {
  engine::Selection selection;
  selection.skip = {"stage-graph"};
  return selection;
}

std::string withIgnores(const model::Dockerfile& file, size_t& count) {
  std::string text = file.source->bytes();
  std::string newline = engine::Style(file).newline();
  count = file.instructions.size();
  for (size_t i = file.instructions.size(); i-- > 0;) {
    uint32_t at = engine::blockStart(file, file.instructions[i]);
    text.insert(at, fmt::format(fmt::runtime(kPragma), i) + newline);
  }
  return text;
}

std::string withoutPragmaLines(std::string_view text) {
  std::string_view prefix = kPragma.substr(0, kPragma.find("{}"));
  std::string kept;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    end = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view line = text.substr(at, end - at);
    if (!line.starts_with(prefix)) kept += line;
    at = end;
  }
  return kept;
}

void checkIgnoresSurvive(const testing::CorpusCase& c) {
  std::string text = testing::readFile(c.dockerfile);
  model::ParseOutcome parsed = model::parseDockerfile(text);
  if (!parsed.dockerfile) return;
  auto context = context::BuildContext::fromDirectory(c.context);
  size_t count = 0;
  std::string marked = withIgnores(*parsed.dockerfile, count);
  auto plain = engine::runPipeline(text, context, {}, transforms::all(), withoutStageGraph());
  auto outcome = engine::runPipeline(marked, context, {}, transforms::all(), withoutStageGraph());
  INFO(c.name << "\n" << outcome.after);
  REQUIRE(outcome.ok() == plain.ok());
  if (!outcome.ok()) return;
  if (text.find("dfopt:") == std::string::npos) {  // the golden/ignore inputs have ignores of their own
    for (const engine::Finding& finding : outcome.findings) CHECK(finding.transform != engine::kIgnoreChecks);
  }
  // The comment lines change nothing else: without them, the output is the plain run's.
  CHECK(withoutPragmaLines(outcome.after) == plain.after);
  model::ParseOutcome output = model::parseDockerfile(outcome.after);
  REQUIRE(output.dockerfile);
  std::vector<engine::Ignore> ignores = engine::readIgnores(*output.dockerfile);
  for (size_t i = 0; i < count; ++i) {
    std::string line = fmt::format(fmt::runtime(kPragma), i);
    INFO(line);
    auto found = std::find_if(ignores.begin(), ignores.end(), [&](const engine::Ignore& ignore) {
      std::string_view bytes = output.dockerfile->source->bytes();
      return bytes.substr(ignore.comment.range.begin, ignore.comment.range.size()) == line &&
             engine::lineStart(bytes, ignore.comment.range.begin) == ignore.comment.range.begin;
    });
    REQUIRE(found != ignores.end());
    CHECK(found->instruction);
  }
}

}  // namespace

TEST_CASE("ignores above every instruction of the golden inputs survive the pipeline", "[corpus][ignores]") {
  for (const testing::CorpusCase& c : testing::goldenInputCases()) checkIgnoresSurvive(c);
}

TEST_CASE("ignores above every instruction of the real build contexts survive the pipeline",
          "[corpus][ignores]") {
  for (const testing::CorpusCase& c : testing::realBuildContexts()) checkIgnoresSurvive(c);
}
