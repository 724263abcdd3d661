// Which file of the build context the image has at a path: the last COPY
// or ADD in the stage (or the stages it is built from or copies from) that
// wrote there, read backwards.
#include "analysis/effects.h"
#include "engine/ecosystem.h"
#include "model/queries.h"
#include "transforms/production_server/server.h"
#include "util/text.h"

namespace dfopt::transforms::production_server {
namespace {

// `path` relative to the directory `dir` it is under ("" when it is `dir`).
std::string relativeTo(std::string_view path, std::string_view dir) {
  if (path == dir) return "";
  return std::string(path.substr(dir == "/" ? 1 : dir.size() + 1));
}

struct Locator {
  const model::Dockerfile& file;
  const context::BuildContext& context;
  const std::vector<analysis::Effects>& effects = analysis::analyzeEffects(file);

  bool reaches(const std::string& contextPath) const {
    return context.exists(contextPath) && !context.isDirectory(contextPath) &&
           !context.dockerignore().excludes(contextPath);
  }

  // The context file a COPY of context sources put at `path`.
  std::optional<std::string> fromContext(const analysis::Effects& copy, std::string_view path) const {
    for (const std::string& source : copy.contextSources) {
      if (text::hasGlob(source)) continue;
      if (source == "." || context.isDirectory(source)) {
        if (!text::isUnder(path, *copy.destination)) continue;
        std::string candidate = engine::contextPath(source, relativeTo(path, *copy.destination));
        if (reaches(candidate)) return candidate;
      } else {
        std::string target = copy.intoDirectory
                                 ? model::resolvePath(*copy.destination, text::baseName(source))
                                 : *copy.destination;
        if (target == path && reaches(source)) return source;
      }
    }
    return std::nullopt;
  }

  // The context file at `path` at the end of instruction `before - 1` of stage `stage`.
  std::optional<std::string> find(size_t stage, size_t before, const std::string& path, int depth) const {
    if (depth > 8) return std::nullopt;
    const model::Stage& current = file.stages[stage];
    for (size_t i = before; i-- > current.from + 1;) {
      const analysis::Effects& copy = effects[i];
      const model::Instruction& instruction = file.instructions[i];
      if (!(instruction.is("copy") || instruction.is("add")) || !copy.destination) continue;
      if (!text::isUnder(path, *copy.destination)) continue;
      if (!instruction.flag("from")) {
        if (std::optional<std::string> found = fromContext(copy, path)) return found;
        continue;
      }
      if (copy.stagesUsed.empty()) continue;
      size_t source = copy.stagesUsed.front();
      for (const std::string& from : copy.stageSources) {
        std::string inSource =
            copy.intoDirectory && path == model::resolvePath(*copy.destination, text::baseName(from))
                ? from
                : model::resolvePath(from, relativeTo(path, *copy.destination));
        if (auto found = find(source, file.stages[source].end, inSource, depth + 1)) return found;
      }
    }
    if (std::optional<size_t> parent = analysis::stageNamed(file, current.baseImage)) {
      if (*parent < stage) return find(*parent, file.stages[*parent].end, path, depth + 1);
    }
    return std::nullopt;
  }
};

}  // namespace

std::optional<std::string> contextFileAt(const model::Dockerfile& file, const context::BuildContext& context,
                                         const model::Stage& stage, std::string_view imagePath) {
  Locator locator{file, context};
  return locator.find(stage.index, stage.end, std::string(imagePath), 0);
}

}  // namespace dfopt::transforms::production_server
