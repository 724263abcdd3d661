#pragma once
// What a build's output says about its steps: which ones ran and which came
// from the cache, read from the progress lines of BuildKit, the classic
// docker builder, podman and buildah.
#include <string>
#include <vector>

namespace dfopt::verify {

struct BuildStep {
  std::string stage;        // as the output names it; empty when it does not
  std::string instruction;  // as the output shows it: "RUN pip install ..."
  bool cached = false;
};

// The steps of a build, from the output of BuildKit (`#5 [build 2/4] RUN ...`
// then `#5 CACHED`), the classic docker builder (`Step 2/4 : RUN ...` then
// ` ---> Using cache`) or podman/buildah (`[1/2] STEP 2/4: RUN ...` then
// `--> Using cache ...`).
std::vector<BuildStep> parseSteps(const std::string& output);

struct StepCount {
  int total = 0;                                // steps other than FROM
  int rerun = 0;                                // of those, not served from the cache
  int runRerun = 0;                             // RUN steps among them
  std::vector<std::string> dependencyInstalls;  // RUN steps among them that install dependencies
};

// Counts the steps of a build's output (after an edit: those that re-ran).
StepCount countSteps(const std::string& output);

}  // namespace dfopt::verify
