// The whole pipeline over every real-world Dockerfile: no crash, the output
// parses, a second run changes nothing, and every comment line survives.
#include <map>
#include <sstream>

#include <catch2/catch.hpp>

#include "engine/pipeline.h"
#include "support.h"
#include "transforms/transforms.h"

using namespace dfopt;

namespace {

std::map<std::string, int> commentLines(const std::string& text) {
  std::map<std::string, int> counts;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] != '#') continue;
    size_t last = line.find_last_not_of(" \t\r");
    ++counts[line.substr(first, last - first + 1)];
  }
  return counts;
}

bool keepsEveryComment(const std::string& before, const std::string& after) {
  auto kept = commentLines(after);
  for (const auto& [comment, count] : commentLines(before)) {
    if (kept[comment] < count) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("the pipeline over the real-world corpus: parses, idempotent, keeps comments",
          "[corpus][rewrite]") {
  auto context = context::BuildContext::fromFiles({});
  size_t files = 0, changed = 0;
  for (const auto& path : dfopt::testing::realWorldDockerfiles()) {
    std::string text = dfopt::testing::readFile(path);
    INFO("file " << path.filename().string());
    auto first = engine::runPipeline(text, context, {}, transforms::all());
    REQUIRE(first.ok());
    CHECK(model::parseDockerfile(first.after).dockerfile.has_value());
    CHECK(keepsEveryComment(text, first.after));
    auto second = engine::runPipeline(first.after, context, {}, transforms::all());
    REQUIRE(second.ok());
    CHECK(second.after == first.after);
    ++files;
    changed += first.changed();
  }
  CHECK(files == 447);
  WARN("real-world files changed by the pipeline: " << changed << "/" << files);
}
