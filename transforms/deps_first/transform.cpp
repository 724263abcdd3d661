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

#include "analysis/graph.h"
#include "analysis/run_effects.h"
#include "engine/instruction_edits.h"
#include "engine/line_mention.h"
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

// The instructions between the copy and the install that must move above
// the copy with the install, or why the install cannot move.
struct Companions {
  std::vector<size_t> moved;
  std::optional<std::string> problem;
};

class StageWalk {
 public:
  StageWalk(const model::Dockerfile& file, const model::Stage& stage, const context::BuildContext& context)
      : file_(file), stage_(stage), context_(context) {
    for (size_t i = stage.from + 1; i < stage.end; ++i) {
      const Instruction& instruction = file.instructions[i];
      if (instruction.is("copy") || instruction.is("add")) copies_.push_back(i);
      if (!instruction.is("run")) continue;
      for (const Install& install : *installsOf(file.instructions[i])) {
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
  // Made when a RUN first needs it: it compares every pair of the stage's
  // instructions, and most stages have no install to move.
  mutable std::optional<analysis::InstructionGraph> graph_;
  std::vector<size_t> copies_;  // the stage's COPY and ADD instructions
  std::set<Ecosystem> downloadSteps_;
  std::set<size_t> movedRuns_;                                // RUNs moved above their copy as a whole
  std::set<size_t> movedCompanions_;                          // what those moves took along
  std::set<std::pair<size_t, std::string>> copiedManifests_;  // (copy, manifest) already inserted

  // Computed for the whole file when a RUN first needs them, and kept with
  // the model: most stages have no install to move.
  const std::vector<analysis::Effects>& effects() const { return analysis::analyzeEffects(file_); }

  // The nearest full copy above the RUN.
  std::optional<FullCopy> copyBefore(size_t runIndex) const {
    for (auto j = copies_.rbegin(); j != copies_.rend(); ++j) {
      if (*j >= runIndex) continue;
      if (auto copy = fullCopyAt(file_, *j, context_)) return copy;
    }
    return std::nullopt;
  }

  const analysis::InstructionGraph& graph() const {
    if (!graph_) graph_.emplace(file_, effects(), stage_.from, stage_.end);
    return *graph_;
  }

  // Where the RUN keyword starts in the early RUN's text, past the comment
  // lines above it that move with it (they are no commands).
  static size_t keywordIn(const std::string& text) {
    size_t at = 0;
    while (true) {
      size_t first = text.find_first_not_of(" \t\r\n", at);
      if (first == std::string::npos) return text.size();
      if (text[first] != '#') return first;
      at = text.find('\n', first);
      if (at == std::string::npos) return text.size();
    }
  }

  // The accesses of the early RUN, in the install's place: its commands'
  // paths and the build state every RUN reads. A download that only warms
  // the cache (the install still runs later) reads the manifests the new
  // COPY brings, whatever the steps in between do to them.
  std::vector<analysis::Access> earlyAccesses(size_t runIndex, const std::string& earlyRun,
                                              bool warmUp) const {
    const analysis::Effects& install = effects()[runIndex];
    std::string cwd = install.workdir.value_or("/");
    size_t keyword = keywordIn(earlyRun);
    std::string script = earlyRun.substr(std::min(earlyRun.size(), earlyRun.find_first_of(" \t", keyword)));
    std::vector<analysis::Access> accesses;
    for (const analysis::Access& access : analysis::runEffects(script, cwd, install.home)->accesses) {
      bool manifestRead = !access.write && access.resource.kind == analysis::Resource::Kind::Path &&
                          text::isUnder(access.resource.name, cwd);
      if (!(warmUp && manifestRead)) accesses.push_back(access);
    }
    for (const analysis::Access& access : install.accesses) {
      if (access.resource.kind != analysis::Resource::Kind::Path && !access.write) accesses.push_back(access);
    }
    return accesses;
  }

  bool needs(const std::vector<analysis::Access>& early, size_t index) const {
    for (const analysis::Access& access : effects()[index].accesses) {
      for (const analysis::Access& mine : early) {
        if (analysis::conflicts(access, mine)) return true;
      }
    }
    return false;
  }

  // What the early RUN needs between the copy and the install moves with
  // it, with what those need in turn; none of it may need the copy.
  Companions companionsOf(size_t copyIndex, size_t runIndex, const std::string& earlyRun, bool warmUp) const {
    std::vector<analysis::Access> early = earlyAccesses(runIndex, earlyRun, warmUp);
    std::set<size_t> moved;
    for (size_t m = copyIndex + 1; m < runIndex; ++m) {
      if (movedRuns_.count(m) || !needs(early, m)) continue;
      if (movedCompanions_.count(m)) {
        // both moves would take it along, and remove it twice
        Companions taken;
        taken.problem = fmt::format("it needs {} (line {}), which the move of an earlier install takes along",
                                    analysis::describe(file_.instructions[m]), lineOf(m));
        return taken;
      }
      moved.insert(m);
      for (size_t s = copyIndex + 1; s < m; ++s) {
        if (!movedRuns_.count(s) && graph().dependsOn(m, s)) moved.insert(s);
      }
    }
    Companions companions;
    for (size_t m : moved) {
      if (graph().dependsOn(m, copyIndex)) {
        auto direct = graph().direct(m, copyIndex);
        companions.problem = fmt::format("it needs {} (line {}), which needs the source copy ({})",
                                         analysis::describe(file_.instructions[m]), lineOf(m),
                                         direct ? direct->why : "through the instructions between them");
        return companions;
      }
      companions.moved.push_back(m);
    }
    return companions;
  }

  // The install step already runs above the copy (by hand, or by an
  // earlier run of this transform).
  std::optional<size_t> earlierInstall(size_t copyIndex, const std::vector<Install>& installs) const {
    for (size_t j = stage_.from + 1; j < copyIndex; ++j) {
      if (!file_.instructions[j].is("run")) continue;
      for (const Install& earlier : *installsOf(file_.instructions[j])) {
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

  std::string lineOf(size_t index) const {
    return engine::lineMention(file_.instructions[index].range.begin);
  }

  std::optional<Finding> planRun(size_t runIndex) {
    const Instruction& run = file_.instructions[runIndex];
    std::optional<FullCopy> copy = copyBefore(runIndex);
    if (!copy) return std::nullopt;
    std::shared_ptr<const shell::Script> parsed = scriptOf(run);
    const shell::Script& script = *parsed;
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
    Companions companions = companionsOf(copy.index, runIndex, *early, segment.keepsInstallLater());
    if (companions.problem) return skipped(run, plan.installs.front().label, *companions.problem);
    std::vector<Manifest> newManifests;
    for (const Manifest& manifest : plan.manifests) {
      if (copiedManifests_.insert({copy.index, manifest.path}).second) newManifests.push_back(manifest);
    }
    Finding finding;
    finding.offset = run.keywordRange.begin;
    finding.message = successMessage(plan);
    std::string lines = copyLines(file_, copyInstruction, copy.writtenDestination, newManifests);
    std::vector<std::string> movedLines;
    for (size_t m : companions.moved) {
      lines += engine::blockText(file_, file_.instructions[m]);
      finding.edits.push_back(engine::removeBlock(file_, file_.instructions[m]));
      movedLines.push_back(lineOf(m));
      movedCompanions_.insert(m);
    }
    if (!movedLines.empty()) {
      finding.message += fmt::format(", with what it needs from line{} {}", movedLines.size() > 1 ? "s" : "",
                                     fmt::join(movedLines, ", "));
    }
    lines += *early;
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
