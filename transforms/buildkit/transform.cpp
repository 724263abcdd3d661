// buildkit: runs BuildKit's checks (checks.cpp), but those the file's
// `# check=skip=` directive or a `check=` comment above the instruction skips. Two checks may want to
// edit the same bytes (casing and key=value on one ENV): the later one
// waits for the next pass, which sees the first one's result.
#include <algorithm>

#include <fmt/format.h>

#include "model/queries.h"

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/lint_config.h"
#include "transforms/transforms.h"

namespace dfopt::transforms {
namespace {

using engine::Edit;
using engine::Finding;

bool overlaps(const Edit& a, const Edit& b) {
  return a.range.begin < b.range.end && b.range.begin < a.range.end;
}

bool overlapsAny(const Finding& finding, const std::vector<Edit>& taken) {
  return std::any_of(finding.edits.begin(), finding.edits.end(), [&](const Edit& edit) {
    return std::any_of(taken.begin(), taken.end(), [&](const Edit& other) { return overlaps(edit, other); });
  });
}

class BuildkitChecks final : public engine::Transform {
 public:
  std::string_view name() const override { return "buildkit"; }

  engine::Result run(const model::Dockerfile& file, const context::BuildContext& context,
                     const engine::Options& options) const override {
    engine::Result result;
    std::vector<Edit> taken;
    buildkit::GlobalScope global = buildkit::globalScope(file);
    buildkit::CheckInput input{file, context, options, global};
    for (const buildkit::Check& check : buildkit::allChecks()) {
      if (options.changesOnly && check.fix == buildkit::Fix::None) continue;
      std::vector<Finding> found;
      check.run(input, found);
      for (Finding& finding : found) {
        if (!buildkit::ruleEnabled(file, check.name, false, model::instructionAt(file, finding.offset)))
          continue;
        if (overlapsAny(finding, taken)) continue;
        taken.insert(taken.end(), finding.edits.begin(), finding.edits.end());
        finding.message = fmt::format("{}: {}", check.name, finding.message);
        result.findings.push_back(std::move(finding));
      }
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<engine::Transform> makeBuildkitChecks() { return std::make_unique<BuildkitChecks>(); }

}  // namespace dfopt::transforms
