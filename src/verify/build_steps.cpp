#include "verify/build_steps.h"

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include "verify/dependency_installs.h"

namespace dfopt::verify {
namespace {

std::string upperKeyword(const std::string& instruction) {
  std::string keyword = instruction.substr(0, instruction.find(' '));
  std::transform(keyword.begin(), keyword.end(), keyword.begin(), ::toupper);
  return keyword;
}

}  // namespace

std::vector<BuildStep> parseSteps(const std::string& output) {
  static const std::regex buildkitStep(R"(^#(\d+) \[([^\]]*?)\s*\d+/\d+\] (.*)$)");
  static const std::regex buildkitCached(R"(^#(\d+) CACHED\s*$)");
  static const std::regex otherStep(R"(^(\[[^\]]*\] )?(?:STEP \d+/\d+: |Step \d+/\d+ : )(.*)$)");
  std::vector<BuildStep> steps;
  std::map<std::string, size_t> byBuildkitId;
  std::stringstream lines(output);
  std::string line;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (std::regex_match(line, match, buildkitStep)) {
      if (!byBuildkitId.contains(match[1])) {
        byBuildkitId[match[1]] = steps.size();
        steps.push_back({match[2], match[3]});
      }
    } else if (std::regex_match(line, match, buildkitCached)) {
      auto it = byBuildkitId.find(match[1]);
      if (it != byBuildkitId.end()) steps[it->second].cached = true;
    } else if (std::regex_match(line, match, otherStep)) {
      steps.push_back({match[1], match[2]});
    } else if (!steps.empty() && line.find("Using cache") != std::string::npos) {
      steps.back().cached = true;
    }
  }
  return steps;
}

StepCount countSteps(const std::string& output) {
  std::vector<BuildStep> steps = parseSteps(output);
  StepCount count;
  std::map<std::string, std::vector<std::string>> stages;  // instructions so far, by stage
  std::string unnamedStage = "0";                          // outputs that name no stage: a FROM starts one
  for (const BuildStep& step : steps) {
    std::string keyword = upperKeyword(step.instruction);
    if (keyword == "FROM" && step.stage.empty()) unnamedStage = std::to_string(std::stoi(unnamedStage) + 1);
    std::vector<std::string>& stage = stages[step.stage.empty() ? unnamedStage : step.stage];
    if (keyword == "FROM") continue;
    ++count.total;
    if (!step.cached) {
      ++count.rerun;
      if (keyword == "RUN") ++count.runRerun;
      if (installsDependencies(step.instruction, stage)) count.dependencyInstalls.push_back(step.instruction);
    }
    stage.push_back(step.instruction);
  }
  return count;
}

}  // namespace dfopt::verify
