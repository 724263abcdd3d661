#include "verify/build_steps.h"

#include <map>
#include <sstream>

#include <re2/re2.h>

#include "util/text.h"
#include "verify/dependency_installs.h"

namespace dfopt::verify {
namespace {

// Builders print bytes, not always UTF-8: match them byte for byte.
RE2::Options bytes() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  return options;
}

// "RUN", "run" -> "run".
std::string keywordOf(const std::string& instruction) {
  return text::lower(instruction.substr(0, instruction.find(' ')));
}

}  // namespace

std::vector<BuildStep> parseSteps(const std::string& output) {
  static const RE2 buildkitStep(R"(#(\d+) \[([^\]]*?)\s*\d+/\d+\] (.*))", bytes());
  static const RE2 buildkitCached(R"(#(\d+) CACHED\s*)", bytes());
  static const RE2 otherStep(R"((\[[^\]]*\] )?(?:STEP \d+/\d+: |Step \d+/\d+ : )(.*))", bytes());
  std::vector<BuildStep> steps;
  std::map<std::string, size_t> byBuildkitId;
  std::stringstream lines(output);
  std::string line, id, stage, instruction;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (RE2::FullMatch(line, buildkitStep, &id, &stage, &instruction)) {
      if (byBuildkitId.emplace(id, steps.size()).second) steps.push_back({stage, instruction});
    } else if (RE2::FullMatch(line, buildkitCached, &id)) {
      auto it = byBuildkitId.find(id);
      if (it != byBuildkitId.end()) steps[it->second].cached = true;
    } else if (RE2::FullMatch(line, otherStep, &stage, &instruction)) {
      steps.push_back({stage, instruction});
    } else if (!steps.empty() && text::contains(line, "Using cache")) {
      steps.back().cached = true;
    }
  }
  return steps;
}

StepCount countSteps(const std::string& output) {
  StepCount count;
  std::map<std::string, std::vector<std::string>> stages;  // the instructions so far, by stage
  int unnamedStage = 0;                                    // outputs that name no stage: a FROM starts one
  for (const BuildStep& step : parseSteps(output)) {
    std::string keyword = keywordOf(step.instruction);
    if (keyword == "from" && step.stage.empty()) ++unnamedStage;
    std::vector<std::string>& stage = stages[step.stage.empty() ? std::to_string(unnamedStage) : step.stage];
    if (keyword == "from") continue;
    ++count.total;
    if (!step.cached) {
      ++count.rerun;
      if (keyword == "run") ++count.runRerun;
      if (installsDependencies(step.instruction, stage)) count.dependencyInstalls.push_back(step.instruction);
    }
    stage.push_back(step.instruction);
  }
  return count;
}

}  // namespace dfopt::verify
