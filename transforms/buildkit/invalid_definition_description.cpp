// InvalidDefinitionDescription (experimental in BuildKit, reported only
// when `# check=experimental=...` asks for it): the comment right above a
// named FROM or an ARG is its description in `--call=outline` and should
// start with the stage or argument name. Only the author knows whether the
// comment is a description: no fix.
#include <algorithm>

#include <fmt/format.h>

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/lint_config.h"
#include "util/go_text.h"

namespace dfopt::transforms::buildkit {
namespace {

// What BuildKit names the definition: the stage name (lower case) or the
// ARG's keys.
std::vector<std::string> definedNames(const model::Instruction& instruction) {
  std::vector<std::string> names;
  if (instruction.is("from")) {
    if (instruction.arguments.size() == 3) names.push_back(golang::toLower(instruction.arguments[2].text));
  } else if (instruction.is("arg")) {
    for (const model::Word& word : instruction.arguments)
      names.push_back(word.text.substr(0, word.text.find('=')));
  }
  return names;
}

}  // namespace

void invalidDefinitionDescription(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const model::Dockerfile& file = input.file;
  for (size_t i = 0; i < file.instructions.size(); ++i) {
    const model::Instruction& instruction = file.instructions[i];
    std::vector<std::string> names = definedNames(instruction);
    if (names.empty()) continue;
    std::vector<std::string> comments = previousComments(file, i);
    if (comments.empty()) continue;
    std::string_view last = comments.back();
    std::string_view firstWord = last.substr(0, last.find(' '));
    if (std::find(names.begin(), names.end(), firstWord) != names.end()) continue;
    if (!ruleEnabled(file, "InvalidDefinitionDescription", true, &instruction)) continue;
    engine::Finding finding;
    finding.offset = instruction.keywordRange.begin;
    finding.message =
        fmt::format("Comment for {} should follow the format: `# {} <description>`",
                    instruction.is("from") ? "FROM" : "ARG", names.size() > 1 ? "<arg_key>" : names[0]);
    findings.push_back(std::move(finding));
  }
}

}  // namespace dfopt::transforms::buildkit
