// multi-stage: a single stage that ships its build tool chain becomes a
// `build` stage and a lean `production` stage that gets only what the app
// runs: a wheel, a virtualenv, production node_modules, a static binary, a
// jar. The build stage keeps its steps; CMD, ENTRYPOINT, EXPOSE,
// HEALTHCHECK, STOPSIGNAL, VOLUME and a USER after the build steps move to
// the production stage with their comments; ENV, LABEL and the ARGs they
// use are copied there. Whatever dfopt cannot account for (a RUN it does
// not understand, files copied outside the app directory, system packages
// the app may need at run time) leaves the file as it is, with the reason.
//
// The parts, sharing job.h: stage.cpp reads the stage (commands.cpp gives
// each RUN's commands with their byte ranges, classify.cpp what each does),
// images.cpp chooses the runtime image, decision.cpp decides whether to
// split and with which recipe (python.cpp, node.cpp with node_install.cpp,
// compiled.cpp, which read the manifests through manifests.cpp), and
// edits.cpp writes the two stages (and a recipe's own, such as Node's deps).
#include <fmt/format.h>

#include "transforms/multi_stage/job.h"
#include "transforms/transforms.h"

namespace dfopt::transforms {
namespace multi_stage {
namespace {

engine::Finding splitStage(const Dockerfile& file, const context::BuildContext& context,
                           const engine::Options& options) {
  Job job = jobFor(file, context, options);
  Plan plan = planFor(job);
  engine::Finding finding;
  finding.offset = job.offset(job.stage.from);
  finding.message = fmt::format("split into a build stage and a production stage: {}", plan.summary);
  if (!job.chosenFrom.empty()) {
    bool python = job.base.family == Family::Python;
    finding.message += fmt::format(
        "; {0} is not an official {3} image, so the runtime image is of the version {1} names{2} (check that "
        "the app needs nothing else from {0})",
        job.base.expanded, job.chosenFrom,
        python ? fmt::format(", and the production stage runs the virtualenv's own interpreter, so the build "
                             "fails if {} lacks it",
                             job.runtime)
               : "",
        python ? "python" : "node");
  }
  finding.edits = splitEdits(job, plan);
  return finding;
}

engine::Finding notSplitFinding(const NotSplit& refusal) {
  return {"", refusal.offset, engine::Severity::Info, "not split: " + refusal.reason, {}, {}};
}

class MultiStage final : public engine::Transform {
 public:
  std::string_view name() const override { return "multi-stage"; }

  engine::Result run(const Dockerfile& file, const context::BuildContext& context,
                     const engine::Options& options) const override {
    engine::Result result;
    if (file.stages.empty()) return result;
    if (file.stages.size() > 1) {
      result.findings.push_back(
          {"",
           offsetOf(file, file.stages.back().from),
           engine::Severity::Info,
           fmt::format("not split: already multi-stage ({} stages)", file.stages.size()),
           {},
           {}});
      return result;
    }
    try {  // the base image's analysis may throw NotSplit too
      if (auto refusal = earlyRefusal(file, options)) {
        result.findings.push_back(notSplitFinding(*refusal));
        return result;
      }
      result.findings.push_back(splitStage(file, context, options));
    } catch (const NotSplit& skip) {
      result.findings.push_back(notSplitFinding(skip));
    }
    return result;
  }
};

}  // namespace
}  // namespace multi_stage

std::unique_ptr<engine::Transform> makeMultiStage() { return std::make_unique<multi_stage::MultiStage>(); }

}  // namespace dfopt::transforms
