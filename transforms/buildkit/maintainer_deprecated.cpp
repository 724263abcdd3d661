// MaintainerDeprecated: MAINTAINER becomes the OCI label that replaced it,
// `LABEL org.opencontainers.image.authors="..."`, with the text quoted as
// one value.
#include <fmt/format.h>

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/lint_config.h"
#include "util/go_text.h"

namespace dfopt::transforms::buildkit {
namespace {

// The author text as one double-quoted LABEL value.
std::string labelValue(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

// LABEL in the case the MAINTAINER keyword has, so the file stays consistent.
std::string labelKeyword(const model::Instruction& maintainer) {
  bool lowerCase = maintainer.keyword.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos;
  return lowerCase ? "label" : "LABEL";
}

}  // namespace

void maintainerDeprecated(const CheckInput& input, std::vector<engine::Finding>& findings) {
  for (const model::Instruction& instruction : input.file.instructions) {
    if (!instruction.is("maintainer")) continue;
    if (!ruleEnabled(input.file, "MaintainerDeprecated", false, &instruction)) continue;
    engine::Finding finding;
    finding.offset = instruction.keywordRange.begin;
    finding.message =
        "Maintainer instruction is deprecated in favor of using label: LABEL "
        "org.opencontainers.image.authors says the same";
    bool oneLine = instruction.lineRange.end == instruction.argumentsRange.end &&
                   instruction.argumentsText().find('\n') == std::string::npos &&
                   instruction.innerComments.empty();
    if (oneLine && !instruction.argumentsText().empty()) {
      finding.edits.push_back(
          engine::Edit{{instruction.keywordRange.begin, instruction.argumentsRange.end},
                       fmt::format("{} org.opencontainers.image.authors={}", labelKeyword(instruction),
                                   labelValue(golang::trimSpace(instruction.argumentsText())))});
    }
    findings.push_back(std::move(finding));
  }
}

}  // namespace dfopt::transforms::buildkit
