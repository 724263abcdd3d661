#pragma once
// BuildKit's cache rule, before anything is built: which steps re-run when
// context files change. A step misses the cache when a context file it
// copies changed or an earlier step of its stage missed; a step that uses
// another stage (FROM it, COPY --from, RUN --mount=from) misses when that
// stage had a miss, and so does everything after it.
#include <optional>
#include <string>
#include <vector>

#include "analysis/effects.h"
#include "analysis/graph.h"
#include "context/build_context.h"

namespace dfopt::analysis {

struct Step {
  size_t index = 0;  // the instruction
  size_t stage = 0;
  bool step = false;   // a build step (FROM is not)
  bool layer = false;  // makes a filesystem layer
  bool rerun = false;
  std::string reason;  // why it re-runs, or what it depends on in the context
};

struct CachePrediction {
  size_t target = 0;
  std::vector<Step> steps;  // the target and the stages it uses, in build order
};

// `changed`: cleaned context paths. Without any, each step says which
// context paths it depends on and nothing re-runs.
CachePrediction predictCache(const model::Dockerfile& file, const std::vector<Effects>& effects,
                             const StageGraph& stages, const context::BuildContext& context, size_t target,
                             const std::vector<std::string>& changed);

// Does a COPY/ADD source (a cleaned context path or pattern) bring the
// context path `path`, given the context's .dockerignore?
bool sourceBrings(std::string_view source, std::string_view path, const context::BuildContext& context);

// What a step reads from the context, in words.
std::string describeContextSources(const std::vector<std::string>& sources);

}  // namespace dfopt::analysis
