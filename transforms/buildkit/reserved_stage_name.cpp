// ReservedStageName: a stage named `scratch` or `context` (after BuildKit
// lower-cases it). Renaming it would need every reference found: no fix.
#include <fmt/format.h>

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/lint_config.h"
#include "util/go_text.h"
#include "util/text.h"

namespace dfopt::transforms::buildkit {

void reservedStageName(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const model::Dockerfile& file = input.file;
  if (!ruleEnabled(file, "ReservedStageName", false)) return;
  for (const model::Stage& stage : file.stages) {
    std::string name = golang::toLower(stage.name);
    if (!text::isOneOf(name, {"scratch", "context"})) continue;
    engine::Finding finding;
    finding.offset = file.instructions[stage.from].arguments[2].range.begin;
    finding.message =
        fmt::format("Stage name should not use the same name as reserved stage {}", golang::quote(name));
    findings.push_back(std::move(finding));
  }
}

}  // namespace dfopt::transforms::buildkit
