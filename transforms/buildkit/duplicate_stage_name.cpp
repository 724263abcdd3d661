// DuplicateStageName: two stages with one name (BuildKit compares them in
// lower case). Which one the author meant is theirs to say: no fix.
#include <set>

#include <fmt/format.h>

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/lint_config.h"
#include "util/go_text.h"

namespace dfopt::transforms::buildkit {

void duplicateStageName(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const model::Dockerfile& file = input.file;
  if (!ruleEnabled(file, "DuplicateStageName", false)) return;
  std::set<std::string> seen;
  for (const model::Stage& stage : file.stages) {
    if (stage.name.empty()) continue;
    std::string name = golang::toLower(stage.name);
    if (seen.insert(name).second) continue;
    engine::Finding finding;
    finding.offset = file.instructions[stage.from].arguments[2].range.begin;
    finding.message =
        fmt::format("Duplicate stage name {}, stage names should be unique", golang::quote(name));
    findings.push_back(std::move(finding));
  }
}

}  // namespace dfopt::transforms::buildkit
