#include "analysis/cache.h"

#include <fmt/format.h>

#include "context/dockerignore.h"
#include "util/text.h"

namespace dfopt::analysis {
namespace {

std::string describeStage(const model::Dockerfile& file, size_t stage) {
  const std::string& name = file.stages[stage].name;
  return name.empty() ? fmt::format("stage {}", stage) : fmt::format("stage {}", name);
}

std::optional<std::string> changedPathBrought(const Effects& effects, const std::vector<std::string>& changed,
                                              const context::BuildContext& context) {
  for (const std::string& path : changed) {
    for (const std::string& source : effects.contextSources) {
      if (sourceBrings(source, path, context)) return path;
    }
  }
  return std::nullopt;
}

// The line where an instruction starts, 1-based.
uint32_t lineOf(const model::Dockerfile& file, size_t index) {
  return file.position(file.instructions[index].range.begin).line;
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

CachePrediction predictCache(const model::Dockerfile& file, const std::vector<Effects>& effects,
                             const StageGraph& stages, const context::BuildContext& context, size_t target,
                             const std::vector<std::string>& changed) {
  CachePrediction prediction;
  prediction.target = target;
  std::vector<bool> missed(file.stages.size(), false);
  for (size_t stageIndex : stages.stagesFor(target)) {
    const model::Stage& stage = file.stages[stageIndex];
    std::optional<std::string> earlierMiss;
    for (size_t i = stage.from; i < stage.end; ++i) {
      const Effects& effect = effects[i];
      Step step{i, stageIndex, effect.step, effect.layer, false, {}};
      std::optional<std::string> reason;
      for (size_t used : effect.stagesUsed) {
        if (used < missed.size() && missed[used] && used != stageIndex) {
          reason = fmt::format("it uses {}, which re-runs", describeStage(file, used));
          break;
        }
      }
      if (!reason && earlierMiss) reason = earlierMiss;
      if (!reason && !changed.empty()) {
        if (auto path = changedPathBrought(effect, changed, context)) {
          reason = fmt::format("it copies {}, which changed", *path);
        }
      }
      if (reason) {
        step.rerun = true;
        step.reason = *reason;
        missed[stageIndex] = true;
        if (!earlierMiss)
          earlierMiss = fmt::format("an earlier step of its stage re-runs (line {})", lineOf(file, i));
      } else if (!effect.contextSources.empty()) {
        step.reason = "depends on " + describeContextSources(effect.contextSources);
      }
      prediction.steps.push_back(std::move(step));
    }
  }
  return prediction;
}

}  // namespace dfopt::analysis
