#include "analysis/copied_files.h"

#include "analysis/cache.h"
#include "context/dockerignore.h"
#include "model/queries.h"
#include "util/text.h"

namespace dfopt::analysis {
namespace {

// The instructions whose copies are in the image when instruction `end` of
// stage `stage` runs: those of the stages it is built FROM, then its own.
void instructionsBefore(const model::Dockerfile& file, const std::vector<Effects>& effects, size_t stage,
                        size_t end, std::vector<size_t>& out) {
  const model::Stage& current = file.stages[stage];
  for (size_t parent : effects[current.from].stagesUsed) {
    if (parent < stage) instructionsBefore(file, effects, parent, file.stages[parent].end, out);
  }
  for (size_t i = current.from + 1; i < end; ++i) out.push_back(i);
}

// `path` below the absolute directory `directory`, relative to it.
std::optional<std::string> below(std::string_view path, std::string_view directory) {
  if (path == directory) return std::string(".");
  std::string prefix = directory == "/" ? std::string("/") : std::string(directory) + "/";
  if (!path.starts_with(prefix)) return std::nullopt;
  return std::string(path.substr(prefix.size()));
}

// `RUN --mount=type=bind,source=uv.lock,target=uv.lock`: the context file a
// bind mount of the RUN puts at `imagePath`.
std::optional<std::string> boundAt(const model::Instruction& run, const Effects& effect,
                                   const context::BuildContext& context, std::string_view imagePath) {
  for (const model::Flag& flag : run.flags) {
    if (flag.name != "mount") continue;
    std::string type = "bind", source = ".", target, from;
    std::string_view rest = flag.value;
    while (!rest.empty()) {
      std::string_view field = rest.substr(0, rest.find(','));
      rest.remove_prefix(std::min(rest.size(), field.size() + 1));
      std::string_view key = field.substr(0, field.find('='));
      std::string value(field.substr(std::min(field.size(), key.size() + 1)));
      if (key == "type") type = value;
      if (key == "source" || key == "src") source = value;
      if (key == "target" || key == "dst" || key == "destination") target = value;
      if (key == "from") from = value;
    }
    if (type != "bind" || !from.empty() || target.empty()) continue;
    auto inside = below(imagePath, model::resolvePath(effect.workdir.value_or("/"), target));
    if (!inside) continue;
    std::string path = context::cleanPath(*inside == "." ? source : source + "/" + *inside);
    if (context.exists(path) && !context.isDirectory(path) && !context.dockerignore().excludes(path))
      return path;
  }
  return std::nullopt;
}

}  // namespace

std::string copiedTo(const Effects& effect, std::string_view source, std::string_view path) {
  const std::string& destination = *effect.destination;
  if (source == ".") return destination + "/" + std::string(path);
  if (path == source)
    return effect.intoDirectory ? destination + "/" + std::string(text::baseName(path)) : destination;
  if (!text::hasGlob(source) && text::isUnder(path, source)) {
    return destination + "/" + std::string(path.substr(source.size() + 1));
  }
  return destination + "/" + std::string(text::baseName(path));
}

std::optional<std::string> contextFileAt(const model::Dockerfile& file, const std::vector<Effects>& effects,
                                         const context::BuildContext& context, size_t index,
                                         std::string_view imagePath) {
  std::optional<std::string> found;
  std::string_view name = text::baseName(imagePath);
  const model::Stage* stage = model::stageOf(file, index);
  if (!stage) return std::nullopt;
  std::vector<size_t> before;
  instructionsBefore(file, effects, stage->index, index, before);
  for (size_t i : before) {
    const Effects& effect = effects[i];
    if (!effect.destination || effect.contextSources.empty()) continue;
    for (const std::string& source : effect.contextSources) {
      for (const std::string& path : context.files()) {
        if (text::baseName(path) != name || !sourceBrings(source, path, context)) continue;
        if (model::resolvePath("/", copiedTo(effect, source, path)) == imagePath) found = path;
      }
    }
  }
  if (file.instructions[index].is("run")) {
    if (auto bound = boundAt(file.instructions[index], effects[index], context, imagePath)) return bound;
  }
  return found;
}

}  // namespace dfopt::analysis
