// The table and the verdict of `dfopt verify`.
#include <catch2/catch.hpp>

#include "verify/report.h"

using namespace dfopt::verify;

namespace {

BuildOutcome outcome(double size, int layers, FinalUser user, int rerun, int total,
                     std::vector<std::string> installs) {
  BuildOutcome result;
  result.built = true;
  result.buildSeconds = 3.14;
  result.facts.size = size;
  result.facts.layers = layers;
  result.user = std::move(user);
  result.rebuilt = true;
  result.rebuildSeconds = 1.04;
  result.rebuild.rerun = rerun;
  result.rebuild.total = total;
  result.rebuild.runRerun = static_cast<int>(installs.size());
  result.rebuild.dependencyInstalls = std::move(installs);
  return result;
}

const BuildOutcome kBefore = outcome(764.9e6, 6, {"root", 0}, 4, 5, {"RUN npm install"});
const BuildOutcome kAfter = outcome(274.9e6, 6, {"node", 1000}, 4, 7, {});

}  // namespace

TEST_CASE("the table", "[verify]") {
  std::vector<std::string> expected = {
      "                         before        after",
      "build                    ok (3.1s)     ok (3.1s)",
      "size                     764.9 MB      274.9 MB         0.36x",
      "layers                   6             6",
      "steps re-run after edit  4 of 5        4 of 7           edited server.js",
      "  RUN steps              1             0",
      "  dependency installs    1             0",
      "rebuild time             1.0s          1.0s",
      "final user               root (uid 0)  node (uid 1000)",
  };
  CHECK(tableLines(kBefore, kAfter, std::string("server.js")) == expected);
}

TEST_CASE("the table when the rewrite does not build and nothing was edited", "[verify]") {
  BuildOutcome failed;
  std::vector<std::string> lines = tableLines(kBefore, failed, std::nullopt);
  REQUIRE(lines.size() == 9);
  CHECK(lines[1] == "build                    ok (3.1s)     FAILED");
  CHECK(lines[2] == "size                     764.9 MB      -");
  CHECK(lines[4] == "steps re-run after edit  n/a           n/a");
  CHECK(lines[5] == "  RUN steps              -             -");
  CHECK(lines[8] == "final user               root (uid 0)  -");
}

TEST_CASE("sizes and users as the table shows them", "[verify]") {
  CHECK(formatSize(std::nullopt) == "?");
  CHECK(formatSize(250e6) == "250.0 MB");
  CHECK(formatSize(2e9) == "2.00 GB");
  CHECK(formatUser({"node", 1000}) == "node (uid 1000)");
  CHECK(formatUser({"1000", 1000}) == "uid 1000");
  CHECK(formatUser({"app", std::nullopt}) == "app (uid ?)");
}

TEST_CASE("the verdict", "[verify]") {
  Verdict good = judge(kBefore, kAfter);
  CHECK(good.ok);
  CHECK(verdictLine(kBefore, kAfter, good) == "verdict: the rewrite builds and is no worse");

  BuildOutcome larger = kAfter;
  larger.facts.size = 2e9;
  CHECK(verdictLine(kBefore, larger, judge(kBefore, larger)) ==
        "verdict: worse: the image is larger (2.00 GB > 764.9 MB)");

  BuildOutcome slightlyLarger = kAfter;
  slightlyLarger.facts.size = 764.9e6 * 1.01;
  CHECK(judge(kBefore, slightlyLarger).ok);

  BuildOutcome failed;
  Verdict broken = judge(kBefore, failed);
  CHECK_FALSE(broken.ok);
  CHECK(verdictLine(kBefore, failed, broken) == "verdict: worse: the rewritten Dockerfile does not build");

  CHECK(verdictLine(failed, kAfter, judge(failed, kAfter)) ==
        "verdict: the original does not build; the rewrite does");
}

TEST_CASE("the verdict: dependency installs after the edit, root", "[verify]") {
  BuildOutcome installs = kAfter;
  installs.rebuild.dependencyInstalls = {"RUN pip install -r requirements.txt", "RUN npm ci"};
  CHECK(verdictLine(kBefore, installs, judge(kBefore, installs)) ==
        "verdict: worse: more dependency installs re-run after the edit (2 > 1: RUN pip install -r "
        "requirements.txt; RUN npm ci)");

  BuildOutcome root = kAfter;
  root.user = {"root", 0};
  BuildOutcome nonRoot = kBefore;
  nonRoot.user = {"app", std::nullopt};
  CHECK(verdictLine(nonRoot, root, judge(nonRoot, root)) ==
        "verdict: worse: the final user is root, the original's is not");

  BuildOutcome notRebuilt = kAfter;
  notRebuilt.rebuilt = false;
  CHECK(judge(kBefore, notRebuilt).reasons ==
        std::vector<std::string>{"the rewritten Dockerfile does not rebuild after the edit"});
}
