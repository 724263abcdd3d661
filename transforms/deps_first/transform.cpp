// deps-first: install dependencies from their manifests before the
// instruction that copies the whole source, so that editing the source no
// longer re-runs the install. When an install RUN follows a full copy
// (`COPY . .`, `COPY app/ /srv/`), a COPY of just the manifests and lock
// files and a RUN of the install (adjusted to need no source) go above the
// copy; the later RUN keeps only what still needs the source.
//
// This file walks each stage and decides per RUN; the other files of the
// folder classify the commands (classify.cpp, script.cpp), find the copy
// and the manifests (plan.cpp, manifests.cpp, manifest_problems.cpp) and
// write the move (move.cpp).
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "engine/instruction_edits.h"
#include "engine/style.h"
#include "transforms/deps_first/install.h"
#include "transforms/transforms.h"
#include "util/text.h"

namespace dfopt::transforms {
namespace deps_first {

using engine::Ecosystem;
using engine::Edit;
using engine::Finding;
using engine::Severity;
using model::Instruction;

namespace {

class StageWalk {
 public:
  StageWalk(const model::Dockerfile& file, const model::Stage& stage, const context::BuildContext& context)
      : file_(file), stage_(stage), context_(context) {
    for (size_t i = stage.from + 1; i < stage.end; ++i) {
      if (!file.instructions[i].is("run")) continue;
      for (const Install& install : installsOf(file.instructions[i], {})) {
        if (install.step == Step::Downloads) downloadSteps_.insert(install.ecosystem);
      }
    }
  }

  void run(engine::Result& result) {
    for (size_t i = stage_.from + 1; i < stage_.end; ++i) {
      if (file_.instructions[i].is("run")) {
        if (auto finding = planRun(i)) result.findings.push_back(std::move(*finding));
      }
    }
  }

 private:
  const model::Dockerfile& file_;
  const model::Stage& stage_;
  const context::BuildContext& context_;
  std::set<Ecosystem> downloadSteps_;
  std::set<size_t> movedRuns_;                                // RUNs moved above their copy as a whole
  std::set<std::pair<size_t, std::string>> copiedManifests_;  // (copy, manifest) already inserted

  // The nearest full copy above the RUN, and the first instruction between
  // them that could change what the install sees.
  std::optional<FullCopy> copyBefore(size_t runIndex, std::optional<size_t>& blocker) const {
    for (size_t j = runIndex; j-- > stage_.from + 1;) {
      const Instruction& instruction = file_.instructions[j];
      if (movedRuns_.count(j) || instruction.is("label") || instruction.is("expose")) continue;
      if (auto copy = fullCopyAt(file_, j, context_)) return copy;
      blocker = j;
    }
    return std::nullopt;
  }

  // The install step already runs above the copy (by hand, or by an
  // earlier run of this transform).
  std::optional<size_t> earlierInstall(size_t copyIndex, const std::vector<Install>& installs) const {
    for (size_t j = stage_.from + 1; j < copyIndex; ++j) {
      if (!file_.instructions[j].is("run")) continue;
      for (const Install& earlier : installsOf(file_.instructions[j], {})) {
        for (const Install& install : installs) {
          if (earlier.ecosystem == install.ecosystem) return j;
        }
      }
    }
    return std::nullopt;
  }

  Finding skipped(const Instruction& run, std::string_view label, std::string reason) const {
    Finding finding;
    finding.offset = run.keywordRange.begin;
    finding.severity = Severity::Info;
    finding.message = fmt::format("{} kept after the source copy: {}", label, reason);
    return finding;
  }

  size_t lineOf(size_t index) const { return file_.instructions[index].startLine; }

  std::optional<Finding> planRun(size_t runIndex) {
    const Instruction& run = file_.instructions[runIndex];
    shell::Script script = scriptOf(run);
    std::optional<size_t> blocker;
    std::optional<FullCopy> copy = copyBefore(runIndex, blocker);
    if (!copy) return std::nullopt;
    CommandScope scope{copy->destination, downloadSteps_};
    std::vector<Install> installs = installsOf(run, scope);
    if (installs.empty()) return std::nullopt;
    std::string label = installs.front().label;
    if (!run.heredocs.empty())
      return skipped(run, label, "the RUN is a here-document, which dfopt does not split");
    if (run.jsonForm) return skipped(run, label, "the RUN is in exec form, which dfopt does not split");
    if (script.complex) {
      return skipped(run, label,
                     fmt::format("the RUN uses {}, which dfopt does not split", script.complexReason));
    }
    if (blocker) {
      return skipped(run, label,
                     fmt::format("{} (line {}) sits between the copy and the install and may change "
                                 "what it installs",
                                 text::upper(file_.instructions[*blocker].keyword), lineOf(*blocker)));
    }
    if (copy->problem) return skipped(run, label, *copy->problem);
    if (auto earlier = earlierInstall(copy->index, installs)) {
      return skipped(run, label,
                     fmt::format("the stage already installs {} dependencies before the copy (line {})",
                                 engine::infoFor(installs.front().ecosystem).name, lineOf(*earlier)));
    }
    Segment segment = segmentOf(script, scope);
    if (segment.problem) return skipped(run, label, *segment.problem);
    Plan plan = planInstalls(file_, runIndex, script, segment, *copy, context_);
    if (plan.problem) return skipped(run, label, *plan.problem);
    return moveInstall(runIndex, script, segment, *copy, plan);
  }

  std::optional<Finding> moveInstall(size_t runIndex, const shell::Script& script, const Segment& segment,
                                     const FullCopy& copy, const Plan& plan) {
    const Instruction& run = file_.instructions[runIndex];
    const Instruction& copyInstruction = file_.instructions[copy.index];
    bool removesRun = removesWholeRun(segment, script.commands.size());
    auto early = earlyRunText(file_, run, script, segment, removesRun);
    if (!early) return skipped(run, plan.installs.front().label, "comments inside the install would be lost");
    std::vector<Manifest> newManifests;
    for (const Manifest& manifest : plan.manifests) {
      if (copiedManifests_.insert({copy.index, manifest.path}).second) newManifests.push_back(manifest);
    }
    Finding finding;
    finding.offset = run.keywordRange.begin;
    finding.message = successMessage(plan);
    std::string lines = copyLines(file_, copyInstruction, copy.writtenDestination, newManifests) + *early;
    if (engine::followsBlankLine(file_, copyInstruction)) lines += engine::Style(file_).newline();
    finding.edits.push_back(engine::insertBefore(file_, copyInstruction, lines));
    for (Edit& edit : laterRunEdits(file_, run, script, segment, removesRun)) finding.edits.push_back(edit);
    if (removesRun) movedRuns_.insert(runIndex);
    return finding;
  }
};

class DepsFirst final : public engine::Transform {
 public:
  std::string_view name() const override { return "deps-first"; }

  engine::Result run(const model::Dockerfile& file, const context::BuildContext& context,
                     const engine::Options&) const override {
    engine::Result result;
    for (const model::Stage& stage : file.stages) StageWalk(file, stage, context).run(result);
    return result;
  }
};

}  // namespace
}  // namespace deps_first

std::unique_ptr<engine::Transform> makeDepsFirst() { return std::make_unique<deps_first::DepsFirst>(); }

}  // namespace dfopt::transforms
