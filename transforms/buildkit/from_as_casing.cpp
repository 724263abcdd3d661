// FromAsCasing: `AS` in another case than its `FROM`. The fix writes it in
// the case the FROM keyword has after ConsistentInstructionCasing's fix, so
// the two fixes agree in one pass.
#include <fmt/format.h>

#include "transforms/buildkit/casing.h"
#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/lint_config.h"

namespace dfopt::transforms::buildkit {
namespace {

// The FROM keyword as it will read once the file is fixed.
std::string fixedFromKeyword(const model::Dockerfile& file, const model::Instruction& from) {
  bool selfConsistent = isLowerCase(from.keyword) || isUpperCase(from.keyword);
  std::string majority = keywordInMajorityCase(file, from.keyword);
  if (majority != from.keyword && ruleEnabled(file, "ConsistentInstructionCasing", false)) return majority;
  return selfConsistent ? from.keyword : majority;
}

}  // namespace

void fromAsCasing(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const model::Dockerfile& file = input.file;
  for (const model::Stage& stage : file.stages) {
    const model::Instruction& from = file.instructions[stage.from];
    if (from.arguments.size() < 3) continue;
    const model::Word& as = from.arguments[1];
    if (text::lower(as.text) != "as") continue;  // not a stage name: BuildKit's build fails on it
    // BuildKit leaves a mixed-case FROM to ConsistentInstructionCasing
    if (isLowerCase(from.keyword)) {
      if (isLowerCase(as.text)) continue;
    } else if (isUpperCase(from.keyword)) {
      if (isUpperCase(as.text)) continue;
    } else {
      continue;
    }
    if (!ruleEnabled(file, "FromAsCasing", false, &from)) continue;
    engine::Finding finding;
    finding.offset = as.range.begin;
    finding.message = fmt::format("'{}' and '{}' keywords' casing do not match", as.text, from.keyword);
    std::string fixed =
        isLowerCase(fixedFromKeyword(file, from)) ? text::lower(as.text) : text::upper(as.text);
    if (fixed != as.text) {
      finding.edits.push_back({as.range, fixed});
    } else {
      finding.message += fmt::format("; ConsistentInstructionCasing's fix of '{}' to '{}' makes them match",
                                     from.keyword, fixedFromKeyword(file, from));
    }
    findings.push_back(std::move(finding));
  }
}

}  // namespace dfopt::transforms::buildkit
