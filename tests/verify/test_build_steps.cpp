// Reading the steps of a build from the builders' progress output.
#include <catch2/catch.hpp>

#include "verify/build_steps.h"

using namespace dfopt::verify;

namespace {

// BuildKit's plain progress: a step line when it starts, CACHED when the
// cache serves it; the same step may be named again later.
const char* kBuildkitRebuild = R"(#0 building with "default" instance using docker driver
#1 [internal] load build definition from Dockerfile.after
#1 DONE 0.0s
#5 [build 1/5] FROM docker.io/library/python:3.11
#5 CACHED
#10 [production 1/3] FROM docker.io/library/python:3.11-slim
#10 CACHED
#6 [build 2/5] WORKDIR /app
#6 CACHED
#7 [build 3/5] COPY requirements.txt ./
#7 CACHED
#11 [production 2/3] RUN groupadd --gid 10000 appuser
#11 CACHED
#8 [build 4/5] RUN pip install -r requirements.txt
#8 CACHED
#9 [build 5/5] COPY . .
#9 DONE 0.1s
#12 [production 3/3] COPY --from=build /app /app
#12 DONE 0.1s
#12 [production 3/3] COPY --from=build /app /app
#13 exporting to image
)";

const char* kPodmanRebuild =
    "[1/2] STEP 1/4: FROM python:3.11 AS build\n"
    "[1/2] STEP 2/4: WORKDIR /app\n"
    "--> Using cache 5d1c0e7a\n"
    "--> 5d1c0e7a\n"
    "[1/2] STEP 3/4: COPY . .\n"
    "--> 8e2f\n"
    "[1/2] STEP 4/4: RUN pip install -r requirements.txt\n"
    "Collecting flask\n"
    "--> 91ab\n"
    "[2/2] STEP 1/2: FROM python:3.11-slim\n"
    "[2/2] STEP 2/2: COPY --from=build /app /app\n"
    "--> 77cd\n";

const char* kClassicRebuild =
    "Step 1/4 : FROM python:3.11\r\n"
    " ---> 1f2e\r\n"
    "Step 2/4 : WORKDIR /app\r\n"
    " ---> Using cache\r\n"
    " ---> 3c4d\r\n"
    "Step 3/4 : COPY . .\r\n"
    " ---> 5e6f\r\n"
    "Step 4/4 : RUN npm ci\r\n"
    " ---> Running in 7a8b\r\n";

}  // namespace

TEST_CASE("BuildKit steps: stage, instruction, cached", "[verify]") {
  std::vector<BuildStep> steps = parseSteps(kBuildkitRebuild);
  REQUIRE(steps.size() == 8);
  CHECK(steps[0].stage == "build");
  CHECK(steps[0].instruction == "FROM docker.io/library/python:3.11");
  CHECK(steps[0].cached);
  CHECK(steps[4].stage == "production");
  CHECK(steps[4].instruction == "RUN groupadd --gid 10000 appuser");
  CHECK(steps[6].instruction == "COPY . .");
  CHECK_FALSE(steps[6].cached);
  CHECK_FALSE(steps[7].cached);
}

TEST_CASE("BuildKit steps of a single stage name none", "[verify]") {
  std::vector<BuildStep> steps =
      parseSteps("#5 [1/2] FROM docker.io/library/node:20\n#5 CACHED\n#6 [2/2] RUN npm ci\n");
  REQUIRE(steps.size() == 2);
  CHECK(steps[1].stage.empty());
  CHECK(steps[1].instruction == "RUN npm ci");
  CHECK_FALSE(steps[1].cached);
}

TEST_CASE("podman, buildah and classic docker steps", "[verify]") {
  std::vector<BuildStep> podman = parseSteps(kPodmanRebuild);
  REQUIRE(podman.size() == 6);
  CHECK(podman[1].stage == "[1/2] ");
  CHECK(podman[1].instruction == "WORKDIR /app");
  CHECK(podman[1].cached);
  CHECK_FALSE(podman[2].cached);
  CHECK(podman[5].stage == "[2/2] ");

  std::vector<BuildStep> buildah = parseSteps("STEP 1/2: FROM golang:1.22\nSTEP 2/2: RUN go mod download\n");
  REQUIRE(buildah.size() == 2);
  CHECK(buildah[1].stage.empty());
  CHECK(buildah[1].instruction == "RUN go mod download");

  std::vector<BuildStep> mixed = parseSteps("[1/2] STEP 2/2: RUN make\nSTEP 2/2: RUN go build\n");
  REQUIRE(mixed.size() == 2);
  CHECK(mixed[1].stage.empty());

  std::vector<BuildStep> classic = parseSteps(kClassicRebuild);
  REQUIRE(classic.size() == 4);
  CHECK(classic[1].cached);
  CHECK(classic[3].instruction == "RUN npm ci");
  CHECK_FALSE(classic[3].cached);
}

TEST_CASE("counting the steps a rebuild re-ran", "[verify]") {
  StepCount buildkit = countSteps(kBuildkitRebuild);
  CHECK(buildkit.total == 6);
  CHECK(buildkit.rerun == 2);
  CHECK(buildkit.runRerun == 0);
  CHECK(buildkit.dependencyInstalls.empty());

  StepCount podman = countSteps(kPodmanRebuild);
  CHECK(podman.total == 4);
  CHECK(podman.rerun == 3);
  CHECK(podman.runRerun == 1);
  CHECK(podman.dependencyInstalls == std::vector<std::string>{"RUN pip install -r requirements.txt"});

  StepCount classic = countSteps(kClassicRebuild);
  CHECK(classic.total == 3);
  CHECK(classic.rerun == 2);
  CHECK(classic.dependencyInstalls == std::vector<std::string>{"RUN npm ci"});
}

TEST_CASE("a poetry install after --no-root counts only in the same stage", "[verify]") {
  const char* sameStage =
      "STEP 1/4: FROM python:3.12\n"
      "STEP 2/4: RUN poetry install --no-root\n"
      "--> Using cache 1a\n"
      "STEP 3/4: COPY . .\n"
      "STEP 4/4: RUN poetry install\n";
  CHECK(countSteps(sameStage).dependencyInstalls.empty());

  const char* nextStage =
      "STEP 1/5: FROM python:3.12\n"
      "STEP 2/5: RUN poetry install --no-root\n"
      "--> Using cache 1a\n"
      "STEP 3/5: FROM python:3.12-slim\n"
      "STEP 4/5: COPY . .\n"
      "STEP 5/5: RUN poetry install\n";
  CHECK(countSteps(nextStage).dependencyInstalls == std::vector<std::string>{"RUN poetry install"});

  const char* buildkitStages =
      "#4 [deps 2/2] RUN poetry install --no-root\n#4 CACHED\n"
      "#5 [app 2/3] COPY . .\n#6 [app 3/3] RUN poetry install\n";
  CHECK(countSteps(buildkitStages).dependencyInstalls.size() == 1);
}
