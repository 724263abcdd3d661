// ConsistentInstructionCasing: every keyword in the case of the majority,
// as BuildKit counts it; a fix changes the keyword's bytes only.
#include <fmt/format.h>

#include "transforms/buildkit/casing.h"
#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/lint_config.h"

namespace dfopt::transforms::buildkit {

bool majorityLowerCase(const model::Dockerfile& file) {
  int lower = 0;
  int upper = 0;
  for (const model::Stage& stage : file.stages) {
    for (size_t i = stage.from; i < stage.end; ++i) {
      const std::string& keyword = file.instructions[i].keyword;
      if (isLowerCase(keyword))
        ++lower;
      else if (isUpperCase(keyword))
        ++upper;
    }
  }
  return lower > upper;
}

std::string keywordInMajorityCase(const model::Dockerfile& file, std::string_view keyword) {
  return majorityLowerCase(file) ? text::lower(keyword) : text::upper(keyword);
}

void consistentInstructionCasing(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const model::Dockerfile& file = input.file;
  if (!ruleEnabled(file, "ConsistentInstructionCasing", false)) return;
  bool lower = majorityLowerCase(file);
  for (const model::Stage& stage : file.stages) {
    for (size_t i = stage.from; i < stage.end; ++i) {
      const model::Instruction& instruction = file.instructions[i];
      std::string wanted = lower ? text::lower(instruction.keyword) : text::upper(instruction.keyword);
      if (wanted == instruction.keyword) continue;
      engine::Finding finding;
      finding.offset = instruction.keywordRange.begin;
      finding.message = fmt::format("Command '{}' should match the case of the command majority ({})",
                                    instruction.keyword, lower ? "lowercase" : "uppercase");
      finding.edits.push_back({instruction.keywordRange, wanted});
      findings.push_back(std::move(finding));
    }
  }
}

}  // namespace dfopt::transforms::buildkit
