// The whole pipeline over every real-world Dockerfile: no crash, the output
// parses, a second run changes nothing, and every comment line survives.
#include <catch2/catch.hpp>

#include "engine/pipeline.h"
#include "properties.h"
#include "support.h"
#include "transforms/transforms.h"

using namespace dfopt;

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
    CHECK(dfopt::testing::keepsEveryComment(text, first.after));
    auto second = engine::runPipeline(first.after, context, {}, transforms::all());
    REQUIRE(second.ok());
    CHECK(second.after == first.after);
    ++files;
    changed += first.changed();
  }
  CHECK(files == 447);
  WARN("real-world files changed by the pipeline: " << changed << "/" << files);
}
