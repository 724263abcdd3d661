// Which steps a change re-runs, by BuildKit's cache rule.
#include <catch2/catch.hpp>

#include "analysis/cache.h"
#include "support.h"

using namespace dfopt;
using dfopt::testing::parseValid;

namespace {

std::vector<bool> reruns(const std::string& text, const std::map<std::string, std::string>& files,
                         const std::vector<std::string>& changed, std::optional<size_t> target = {}) {
  auto file = parseValid(text);
  auto effects = analysis::analyzeEffects(file);
  analysis::StageGraph stages(file);
  auto context = context::BuildContext::fromFiles(files);
  auto prediction = analysis::predictCache(file, effects, stages, context,
                                           target.value_or(file.stages.size() - 1), changed);
  std::vector<bool> out;
  for (const auto& step : prediction.steps) out.push_back(step.rerun);
  return out;
}

}  // namespace

TEST_CASE("a source edit re-runs the full copy and everything after it", "[analysis][cache]") {
  std::string naive =
      "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD x\n";
  std::map<std::string, std::string> files = {{"requirements.txt", "flask\n"}, {"app.py", ""}};
  CHECK(reruns(naive, files, {"app.py"}) == std::vector<bool>{false, false, true, true, true});
  std::string better =
      "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . "
      ".\n"
      "CMD x\n";
  CHECK(reruns(better, files, {"app.py"}) == std::vector<bool>{false, false, false, false, true, true});
  CHECK(reruns(better, files, {"requirements.txt"}) ==
        std::vector<bool>{false, false, true, true, true, true});
}

TEST_CASE("excluded files and unrelated sources do not miss the cache", "[analysis][cache]") {
  std::string text = "FROM alpine\nCOPY src/ /src\nCOPY *.conf /etc/\n";
  std::map<std::string, std::string> files = {
      {".dockerignore", "src/tmp\n"}, {"src/a.c", ""}, {"src/tmp/x", ""}, {"n.conf", ""}, {"README", ""}};
  CHECK(reruns(text, files, {"src/tmp/x"}) == std::vector<bool>{false, false, false});
  CHECK(reruns(text, files, {"README"}) == std::vector<bool>{false, false, false});
  CHECK(reruns(text, files, {"n.conf"}) == std::vector<bool>{false, false, true});
  CHECK(reruns(text, files, {"src/a.c"}) == std::vector<bool>{false, true, true});
}

TEST_CASE("a stage that uses a stage with a miss misses from that step on", "[analysis][cache]") {
  std::string text =
      "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\n"
      "RUN go build -o /app .\nFROM alpine\nRUN apk add ca-certificates\nCOPY --from=build /app /app\n"
      "CMD [\"/app\"]\n";
  std::map<std::string, std::string> files = {{"go.mod", ""}, {"main.go", ""}};
  CHECK(reruns(text, files, {"main.go"}) ==
        std::vector<bool>{false, false, false, false, true, true, false, false, true, true});
  // --target build: only the build stage.
  CHECK(reruns(text, files, {"main.go"}, 0) == std::vector<bool>{false, false, false, false, true, true});
}

TEST_CASE("COPY --from hits the cache when what it copies did not change", "[analysis][cache]") {
  std::string text =
      "FROM alpine AS build\nCOPY app.conf /etc/app.conf\nCOPY . /src\nRUN mkdir /out\n"
      "FROM alpine\nCOPY --from=build /etc/app.conf /etc/\nCOPY --from=build /src /src\n";
  std::map<std::string, std::string> files = {{"app.conf", ""}, {"main.c", ""}};
  CHECK(reruns(text, files, {"main.c"}) == std::vector<bool>{false, false, true, true, false, false, true});
  CHECK(reruns(text, files, {"app.conf"}) == std::vector<bool>{false, true, true, true, false, true, true});
}

TEST_CASE("an unknown command that reads changed files may change anything", "[analysis][cache]") {
  std::string text =
      "FROM alpine AS build\nWORKDIR /src\nCOPY . .\nRUN ./build.sh\n"
      "FROM alpine\nCOPY --from=build /usr/bin/tool /usr/bin/\n";
  std::map<std::string, std::string> files = {{"build.sh", ""}};
  CHECK(reruns(text, files, {"build.sh"}) == std::vector<bool>{false, false, true, true, false, true});
}
