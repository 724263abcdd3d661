// The BuildKit checks marked Fix::None never edit. The pipeline leaves them
// out of its later passes (engine::Options::changesOnly), which keep only
// findings that change the file: right only if they could not have.
#include <catch2/catch.hpp>

#include "model/parse.h"
#include "support.h"
#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/scope.h"

using namespace dfopt;

namespace {

// The names of the Fix::None checks that edited `text` in `context`.
std::vector<std::string> editingChecksWithoutFix(const std::string& text,
                                                 const context::BuildContext& context) {
  std::vector<std::string> editing;
  model::ParseOutcome parsed = model::parseDockerfile(text);
  if (!parsed.dockerfile) return editing;
  transforms::buildkit::GlobalScope global = transforms::buildkit::globalScope(*parsed.dockerfile);
  engine::Options options;
  transforms::buildkit::CheckInput input{*parsed.dockerfile, context, options, global};
  for (const transforms::buildkit::Check& check : transforms::buildkit::allChecks()) {
    if (check.fix != transforms::buildkit::Fix::None) continue;
    std::vector<engine::Finding> found;
    check.run(input, found);
    for (const engine::Finding& finding : found) {
      if (finding.changes()) editing.emplace_back(check.name);
    }
  }
  return editing;
}

}  // namespace

TEST_CASE("BuildKit checks marked Fix::None edit no corpus file and no golden input", "[buildkit-checks]") {
  size_t read = 0;
  context::BuildContext empty = context::BuildContext::fromFiles({});
  for (const auto& path : testing::realWorldDockerfiles()) {
    INFO(path.string());
    CHECK(editingChecksWithoutFix(testing::readFile(path), empty).empty());
    ++read;
  }
  for (const testing::CorpusCase& golden : testing::goldenInputCases()) {
    INFO(golden.name);
    context::BuildContext context = context::BuildContext::fromDirectory(golden.context);
    CHECK(editingChecksWithoutFix(testing::readFile(golden.dockerfile), context).empty());
    ++read;
  }
  CHECK(read > 700);
}

TEST_CASE("A later pass that edits tells all the checks found, those without a fix too",
          "[buildkit-checks]") {
  // Casing and MaintainerDeprecated both edit the MAINTAINER line: the
  // second waits for the next pass, whose findings replace the first one's.
  // UndefinedVar (no fix, left out of the later pass at first) must still
  // be among them.
  std::string dockerfile = "FROM scratch\nmaintainer me\nCOPY $NOPE /x\n";
  testing::TransformRun run = testing::runTransform("buildkit", dockerfile, {});
  CHECK(run.after.find("LABEL org.opencontainers.image.authors") != std::string::npos);
  CHECK(run.messages.find("ConsistentInstructionCasing") != std::string::npos);
  CHECK(run.messages.find("MaintainerDeprecated") != std::string::npos);
  CHECK(run.messages.find("UndefinedVar: Usage of undefined variable '$NOPE'") != std::string::npos);
}
