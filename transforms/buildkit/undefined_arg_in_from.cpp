// UndefinedArgInFrom: FROM (its image or its --platform) uses a variable
// that is neither an ARG declared before the first FROM nor one of
// BuildKit's predefined platform ARGs, so it expands to nothing. No fix:
// the ARG the author meant, and its value, are theirs to say.
#include <algorithm>

#include <fmt/format.h>

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/scope.h"

namespace dfopt::transforms::buildkit {
namespace {

void report(const model::WordExpansion& expansion, const std::vector<std::string>& names,
            const model::Instruction& from, std::vector<engine::Finding>& findings) {
  for (const std::string& name : expansion.unmatched) {
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    engine::Finding finding;
    finding.offset = from.keywordRange.begin;
    finding.message = fmt::format("FROM argument '{}' is not declared", name);
    if (std::string match = suggestName(name, names); !match.empty()) {
      finding.message += fmt::format(" (did you mean {}?)", match);
    }
    findings.push_back(std::move(finding));
  }
}

}  // namespace

void undefinedArgInFrom(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const GlobalScope& global = input.global;
  std::vector<std::string> names = fromArgNames(global);
  for (const FromExpansion& from : fromExpansions(input.file, global)) {
    const model::Instruction& instruction = input.file.instructions[from.stage->from];
    report(from.name, names, instruction, findings);
    if (from.platform) report(*from.platform, names, instruction, findings);
  }
}

}  // namespace dfopt::transforms::buildkit
