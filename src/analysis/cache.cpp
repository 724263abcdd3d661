#include "analysis/cache.h"

#include "analysis/copied_files.h"

#include <fmt/format.h>

#include "context/dockerignore.h"
#include "util/text.h"

namespace dfopt::analysis {
namespace {

std::optional<std::string> changedPathBrought(const Effects& effects, const std::vector<std::string>& changed,
                                              const context::BuildContext& context) {
  for (const std::string& path : changed) {
    for (const std::string& source : effects.contextSources) {
      if (sourceBrings(source, path, context)) return path;
    }
  }
  return std::nullopt;
}

bool overlapsAny(std::string_view path, const std::vector<std::string>& paths) {
  for (const std::string& other : paths) {
    if (text::isUnder(path, other) || text::isUnder(other, path)) return true;
  }
  return false;
}

// Why a step that uses another stage re-runs: FROM or RUN --mount=from a
// stage with a miss; COPY --from when what it copies changed there (BuildKit
// and buildah key such a copy by the checksums of the files copied).
std::optional<std::string> stageReason(const model::Dockerfile& file, const Effects& effect,
                                       const std::vector<bool>& missed,
                                       const std::vector<std::vector<std::string>>& changedContent,
                                       size_t stage) {
  for (size_t used : effect.stagesUsed) {
    if (used >= missed.size() || used == stage || !missed[used]) continue;
    if (!effect.destination) return fmt::format("it uses stage {}, which re-runs", file.stageLabel(used));
    for (const std::string& source : effect.stageSources) {
      if (overlapsAny(source, changedContent[used])) {
        return fmt::format("it copies {} from stage {}, which changes there", source, file.stageLabel(used));
      }
    }
  }
  return std::nullopt;
}

}  // namespace

bool sourceBrings(std::string_view source, std::string_view path, const context::BuildContext& context) {
  if (context.dockerignore().excludes(path)) return false;
  if (source == ".") return true;
  if (!text::hasGlob(source)) return path == source || text::isUnder(path, source);
  // A pattern brings what it matches and everything below a directory it matches.
  for (std::string_view prefix = path;;) {
    if (context::matchPattern(source, prefix)) return true;
    size_t slash = prefix.rfind('/');
    if (slash == std::string_view::npos) return false;
    prefix = prefix.substr(0, slash);
  }
}

std::string describeContextSources(const std::vector<std::string>& sources) {
  for (const std::string& source : sources) {
    if (source == ".") return "every file of the context except what .dockerignore excludes";
  }
  return fmt::format("{}", fmt::join(sources, ", "));
}

namespace {

bool touchesChanged(const Access& access, const std::vector<std::string>& changed) {
  if (access.resource.kind != Resource::Kind::Path) return false;
  for (const std::string& path : changed) {
    if (conflicts(access, Access{Resource::path(path), true, {}, {}})) return true;
  }
  return false;
}

// Image paths whose content changes when step `effect` re-runs, given the
// paths already changed in its stage: what it copies of the changed
// context files, and what a RUN writes when it reads changed content. A
// step that re-runs on unchanged inputs is taken to write the same bytes.
void addChangedContent(const Effects& effect, const std::vector<std::string>& changedContext,
                       const context::BuildContext& context, bool copiedFromChangedStage,
                       std::vector<std::string>& changed) {
  if (effect.destination && copiedFromChangedStage) {
    changed.push_back(*effect.destination);
    return;
  }
  if (effect.destination) {
    for (const std::string& path : changedContext) {
      for (const std::string& source : effect.contextSources) {
        if (sourceBrings(source, path, context)) changed.push_back(copiedTo(effect, source, path));
      }
    }
    return;
  }
  bool readsChanged = false;
  for (const Access& access : effect.accesses)
    readsChanged = readsChanged || (!access.write && touchesChanged(access, changed));
  if (!readsChanged) return;
  if (effect.unknownCommand) {  // it may write anywhere
    changed.push_back("/");
    return;
  }
  for (const Access& access : effect.accesses) {
    if (access.write && access.resource.kind == Resource::Kind::Path) changed.push_back(access.resource.name);
  }
}

}  // namespace

CachePrediction predictCache(const model::Dockerfile& file, const std::vector<Effects>& effects,
                             const StageGraph& stages, const context::BuildContext& context, size_t target,
                             const std::vector<std::string>& changed) {
  CachePrediction prediction;
  prediction.target = target;
  std::vector<bool> missed(file.stages.size(), false);
  std::vector<std::vector<std::string>> changedContent(file.stages.size());
  for (size_t stageIndex : stages.stagesFor(target)) {
    const model::Stage& stage = file.stages[stageIndex];
    std::optional<std::string> earlierMiss;
    std::vector<std::string>& content = changedContent[stageIndex];
    for (size_t i = stage.from; i < stage.end; ++i) {
      const Effects& effect = effects[i];
      Step step{i, stageIndex, effect.step, effect.layer, false, {}};
      std::optional<std::string> reason = stageReason(file, effect, missed, changedContent, stageIndex);
      bool copiesChangedStage = reason && effect.destination;
      if (!reason && earlierMiss) reason = earlierMiss;
      if (!reason && !changed.empty()) {
        if (auto path = changedPathBrought(effect, changed, context)) {
          reason = fmt::format("it copies {}, which changed", *path);
        }
      }
      if (effect.index == stage.from && !effect.stagesUsed.empty())
        content = changedContent[effect.stagesUsed[0]];
      if (reason) {
        step.rerun = true;
        step.reason = *reason;
        missed[stageIndex] = true;
        addChangedContent(effect, changed, context, copiesChangedStage, content);
        if (!earlierMiss)
          earlierMiss = fmt::format("an earlier step of its stage re-runs (line {})", file.lineOf(i));
      } else if (!effect.contextSources.empty()) {
        step.reason = "depends on " + describeContextSources(effect.contextSources);
      }
      prediction.steps.push_back(std::move(step));
    }
  }
  return prediction;
}

}  // namespace dfopt::analysis
