// stage-graph: reports what the stage graph shows is wrong or unused, and
// changes nothing: a --from naming no stage (the builder would pull an image
// of that name), stages that use each other in a circle (the build fails),
// and stages the last stage does not use (info: they may be built with
// --target).
#include <algorithm>

#include <fmt/format.h>

#include "analysis/graph.h"
#include "transforms/transforms.h"

namespace dfopt::transforms {
namespace {

using engine::Finding;
using engine::Severity;

Finding report(uint32_t offset, Severity severity, std::string message) {
  Finding finding;
  finding.offset = offset;
  finding.severity = severity;
  finding.message = std::move(message);
  return finding;
}

void reportUnknown(const model::Dockerfile& file, const analysis::StageGraph& stages,
                   engine::Result& result) {
  for (const auto& [index, name] : stages.unknownReferences()) {
    const model::Instruction& instruction = file.instructions[index];
    std::string what = instruction.is("from")  ? "FROM"
                       : instruction.is("run") ? "RUN --mount"
                                               : "COPY --from";
    result.findings.push_back(report(
        instruction.keywordRange.begin, Severity::Warning,
        fmt::format(
            "{} names {}, which is no {}stage of this file: the builder would pull an image of that name",
            what, name, instruction.is("from") ? "earlier " : "")));
  }
}

void reportCycles(const model::Dockerfile& file, const analysis::StageGraph& stages, engine::Result& result) {
  for (const std::vector<size_t>& cycle : stages.cycles()) {
    std::vector<std::string> names;
    for (size_t stage : cycle) names.push_back(file.stageLabel(stage));
    const model::Instruction& first = file.instructions[file.stages[cycle.front()].from];
    result.findings.push_back(
        report(first.keywordRange.begin, Severity::Warning,
               fmt::format("stages {} use each other in a circle: the build fails", fmt::join(names, ", "))));
  }
}

void reportUnused(const model::Dockerfile& file, const analysis::StageGraph& stages, engine::Result& result) {
  std::vector<size_t> used = stages.stagesFor(file.stages.size() - 1);
  for (const model::Stage& stage : file.stages) {
    if (std::find(used.begin(), used.end(), stage.index) != used.end()) continue;
    const model::Instruction& from = file.instructions[stage.from];
    result.findings.push_back(
        report(from.keywordRange.begin, Severity::Info,
               fmt::format("stage {} is not used by the last stage: a plain build skips it ({})",
                           file.stageLabel(stage.index),
                           stage.name.empty() ? "name it with AS to build it alone with --target"
                                              : "build it with --target " + stage.name)));
  }
}

class StageGraphCheck final : public engine::Transform {
 public:
  std::string_view name() const override { return "stage-graph"; }

  engine::Result run(const model::Dockerfile& file, const context::BuildContext&,
                     const engine::Options& options) const override {
    engine::Result result;
    if (file.stages.empty() || options.changesOnly) return result;  // it only reports
    analysis::StageGraph stages(file);
    reportUnknown(file, stages, result);
    reportCycles(file, stages, result);
    reportUnused(file, stages, result);
    return result;
  }
};

}  // namespace

std::unique_ptr<engine::Transform> makeStageGraph() { return std::make_unique<StageGraphCheck>(); }

}  // namespace dfopt::transforms
