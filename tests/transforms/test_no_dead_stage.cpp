// No transform leaves a dead stage: in every golden output and in the
// pipeline's output over the corpus, each stage but the last is one the
// last stage needs (analysis::StageGraph), unless the input already had it,
// unused.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "analysis/effects.h"
#include "analysis/graph.h"
#include "engine/pipeline.h"
#include "support.h"
#include "transforms/transforms.h"
#include "util/text.h"

using namespace dfopt;
namespace fs = std::filesystem;

namespace {

std::vector<size_t> neededByLast(const model::Dockerfile& file) {
  if (file.stages.empty()) return {};
  analysis::StageGraph graph(file);
  return graph.stagesFor(file.stages.size() - 1);
}

bool contains(const std::vector<size_t>& list, size_t value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The stage of `before` that `after`'s stage `index` is: the same name, or
// for an unnamed stage the same position.
std::optional<size_t> sameStage(const model::Dockerfile& before, const model::Dockerfile& after,
                                size_t index) {
  const std::string& name = after.stages[index].name;
  for (size_t i = 0; i < before.stages.size(); ++i) {
    if (name.empty() ? before.stages[i].name.empty() && i == index
                     : text::lower(before.stages[i].name) == text::lower(name)) {
      return i;
    }
  }
  return std::nullopt;
}

// The stages of `after` the last stage does not need and that were not
// already unused in `before`, by label.
std::vector<std::string> deadStages(const std::string& beforeText, const std::string& afterText) {
  auto before = model::parseDockerfile(beforeText).dockerfile;
  auto after = model::parseDockerfile(afterText).dockerfile;
  REQUIRE(after.has_value());
  std::vector<size_t> needed = neededByLast(*after);
  std::vector<size_t> neededBefore = before ? neededByLast(*before) : std::vector<size_t>{};
  std::vector<std::string> dead;
  for (size_t i = 0; i + 1 < after->stages.size(); ++i) {
    if (contains(needed, i)) continue;
    std::optional<size_t> earlier = before ? sameStage(*before, *after, i) : std::nullopt;
    bool alreadyUnused = earlier && *earlier + 1 < before->stages.size() && !contains(neededBefore, *earlier);
    if (!alreadyUnused) dead.push_back(after->stageLabel(i));
  }
  return dead;
}

std::vector<std::string> tsvFields(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  std::string field;
  while (std::getline(in, field, '\t')) fields.push_back(field);
  return fields;
}

}  // namespace

TEST_CASE("no golden output has a stage the last stage does not use", "[golden][stages]") {
  size_t outputs = 0;
  for (const fs::path& group : dfopt::testing::directoriesIn(fs::path(DFOPT_SOURCE_DIR) / "golden")) {
    for (const fs::path& golden : dfopt::testing::directoriesIn(group)) {
      fs::path expected = golden / "expected" / "Dockerfile";
      if (!fs::exists(expected)) continue;
      INFO("golden case " << golden.string());
      std::string input = dfopt::testing::readFile(golden / "input" / "Dockerfile");
      CHECK(deadStages(input, dfopt::testing::readFile(expected)).empty());
      ++outputs;
    }
  }
  CHECK(outputs > 50);
}

TEST_CASE("the pipeline leaves no stage the last stage does not use, over the corpus", "[corpus][stages]") {
  fs::path realctx = dfopt::testing::sharedDir() / "corpus" / "realctx";
  std::ifstream manifest(realctx / "MANIFEST.tsv");
  std::string line;
  std::getline(manifest, line);  // the header
  size_t contexts = 0;
  while (std::getline(manifest, line)) {
    std::vector<std::string> fields = tsvFields(line);
    if (fields.size() < 5) continue;
    fs::path root = realctx / fields[0] / "ctx" / fields[4];
    INFO("context " << fields[0]);
    auto context = context::BuildContext::fromDirectory(root);
    std::string text = dfopt::testing::readFile(realctx / fields[0] / "ctx" / fields[3]);
    auto outcome = engine::runPipeline(text, context, {}, transforms::all());
    REQUIRE(outcome.ok());
    CHECK(deadStages(text, outcome.after).empty());
    ++contexts;
  }
  CHECK(contexts == 34);
  auto empty = context::BuildContext::fromFiles({});
  for (const fs::path& path : dfopt::testing::realWorldDockerfiles()) {
    INFO("file " << path.filename().string());
    std::string text = dfopt::testing::readFile(path);
    auto outcome = engine::runPipeline(text, empty, {}, transforms::all());
    REQUIRE(outcome.ok());
    CHECK(deadStages(text, outcome.after).empty());
  }
}
