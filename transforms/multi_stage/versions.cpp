// The runtime image of a stage built on an image that is not an official
// language image (the reader's own `my-poetry:devel`): the language comes
// from what the stage runs, its version from the build image's tag when the
// image is named after the language, else from the stage's ENV, else from
// what the project declares. Without a version, no guess: the user chooses
// with --runtime-image.
#include <re2/re2.h>

#include <fmt/format.h>

#include "engine/ecosystem.h"
#include "engine/manifests.h"
#include "transforms/multi_stage/job.h"
#include "util/go_text.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::contains;
using text::lower;

struct Declared {
  std::string version;  // "3.10", "18"
  std::string source;   // where it was read, for the message
};

// The lowest version a constraint allows, to `parts` numbers: "^3.10",
// ">=3.10,<4", "3.10.*", "~=3.10.4" -> "3.10"; ">=18.17" -> "18" (one part).
// Upper bounds and exclusions say nothing about the lowest version.
std::optional<std::string> lowestVersion(std::string_view constraint, size_t parts) {
  static const RE2 bound(R"((<=|>=|<|>|==|!=|~=|\^|~|=)?\s*v?(\d+(?:\.\d+)*))");
  re2::StringPiece input(constraint.data(), constraint.size());
  std::string op, version;
  while (RE2::FindAndConsume(&input, bound, &op, &version)) {
    if (op == "<" || op == "<=" || op == "!=" || op == ">") continue;
    std::vector<std::string> numbers;
    for (size_t at = 0; at <= version.size();) {
      size_t dot = std::min(version.find('.', at), version.size());
      numbers.push_back(version.substr(at, dot - at));
      at = dot + 1;
    }
    if (numbers.size() < parts) return std::nullopt;
    numbers.resize(parts);
    return fmt::format("{}", fmt::join(numbers, "."));
  }
  return std::nullopt;
}

// The directories that hold the project: those the stage copies, then the context's root.
std::vector<std::string> projectDirectories(const StageFacts& facts) {
  std::vector<std::string> dirs;
  for (const DirectoryCopy& copy : facts.directoryCopies) dirs.push_back(copy.source);
  dirs.push_back(".");
  return dirs;
}

// A tag's leading number may be the image's own release (ubi8/nodejs-18:1-71): only a
// number that can be a version of the language counts.
bool plausible(std::string_view language, std::string_view version) {
  std::string_view digits = version.substr(0, version.find('.'));
  if (digits.empty() || digits.size() > 2) return false;
  int major = std::stoi(std::string(digits));
  return language == "python" ? major == 2 || major == 3 : major >= 4 && major < 100;
}

std::optional<Declared> fromTag(const BaseImage& base, std::string_view language, size_t parts) {
  std::string_view name = text::baseName(base.image.path);
  if (!contains(name, language)) return std::nullopt;
  static const RE2 leading(R"(^v?(\d+(?:\.\d+)*))");
  std::string version;
  if (!RE2::PartialMatch(base.image.tag, leading, &version)) return std::nullopt;
  auto lowest = lowestVersion(version, parts);
  if (!lowest || !plausible(language, *lowest)) return std::nullopt;
  return Declared{*lowest, fmt::format("the tag of {}", base.expanded)};
}

std::optional<Declared> fromEnv(const Dockerfile& file, const model::Stage& stage, std::string_view name,
                                size_t parts) {
  auto value = stageEnvValue(file, stage, name);
  if (!value) return std::nullopt;
  auto lowest = lowestVersion(*value, parts);
  if (!lowest) return std::nullopt;
  return Declared{*lowest, fmt::format("ENV {}", name)};
}

// A version file: `.python-version`, `.nvmrc`, `.node-version` (its first line).
std::optional<Declared> fromVersionFile(const context::BuildContext& context, std::string_view dir,
                                        std::string_view name, size_t parts) {
  std::string path = engine::contextPath(dir, name);
  auto text = context.read(path);
  if (!text) return std::nullopt;
  std::string first(golang::trimSpace(std::string_view(*text).substr(0, text->find('\n'))));
  static const RE2 plain(R"(v?\d+(?:\.\d+)*)");
  if (!RE2::FullMatch(first, plain)) return std::nullopt;  // pypy3.10, lts/hydrogen, node
  auto lowest = lowestVersion(first, parts);
  if (!lowest) return std::nullopt;
  return Declared{*lowest, path};
}

std::optional<Declared> fromPyproject(const context::BuildContext& context, std::string_view dir) {
  std::string path = engine::contextPath(dir, "pyproject.toml");
  auto text = context.read(path);
  if (!text) return std::nullopt;
  auto pyproject = engine::parseToml(*text);
  if (!pyproject) return std::nullopt;
  for (std::string_view key : {"project.requires-python", "tool.poetry.dependencies.python"}) {
    auto constraint = pyproject->at_path(key).value<std::string>();
    if (!constraint) continue;
    if (auto lowest = lowestVersion(*constraint, 2))
      return Declared{*lowest, fmt::format("{} ({} = \"{}\")", path, key, *constraint)};
  }
  return std::nullopt;
}

std::optional<Declared> fromPackageJson(const context::BuildContext& context, std::string_view dir) {
  std::string path = engine::contextPath(dir, "package.json");
  auto text = context.read(path);
  if (!text) return std::nullopt;
  auto package = engine::parseJson(*text);
  if (!package || !package->is_object()) return std::nullopt;
  const auto engines = package->find("engines");
  if (engines == package->end() || !engines->is_object()) return std::nullopt;
  const auto node = engines->find("node");
  if (node == engines->end() || !node->is_string()) return std::nullopt;
  auto lowest = lowestVersion(node->get<std::string>(), 1);
  if (!lowest) return std::nullopt;
  return Declared{*lowest, fmt::format("{} (engines.node = \"{}\")", path, node->get<std::string>())};
}

std::optional<Declared> pythonVersion(const Dockerfile& file, const context::BuildContext& context,
                                      const model::Stage& stage, const StageFacts& facts,
                                      const BaseImage& base) {
  if (auto tag = fromTag(base, "python", 2)) return tag;
  if (auto env = fromEnv(file, stage, "PYTHON_VERSION", 2)) return env;
  for (const std::string& dir : projectDirectories(facts)) {
    if (auto pyproject = fromPyproject(context, dir)) return pyproject;
    if (auto pinned = fromVersionFile(context, dir, ".python-version", 2)) return pinned;
  }
  return std::nullopt;
}

std::optional<Declared> nodeVersion(const Dockerfile& file, const context::BuildContext& context,
                                    const model::Stage& stage, const StageFacts& facts,
                                    const BaseImage& base) {
  if (auto tag = fromTag(base, "node", 1)) return tag;
  if (auto env = fromEnv(file, stage, "NODE_VERSION", 1)) return env;
  for (const std::string& dir : projectDirectories(facts)) {
    if (auto package = fromPackageJson(context, dir)) return package;
    for (std::string_view name : {".nvmrc", ".node-version"}) {
      if (auto pinned = fromVersionFile(context, dir, name, 1)) return pinned;
    }
  }
  return std::nullopt;
}

[[noreturn]] void noVersion(const Dockerfile& file, const model::Stage& stage, const BaseImage& base,
                            std::string_view image, std::string_view language, std::string_view where) {
  notSplit(offsetOf(file, stage.from),
           fmt::format("{} is not an official {} image, and neither its tag nor {} says which {} the app "
                       "runs on (choose the runtime image with --runtime-image)",
                       base.expanded, image, where, language));
}

}  // namespace

RuntimeImage customBaseRuntime(const Dockerfile& file, const context::BuildContext& context,
                               const model::Stage& stage, const StageFacts& facts, const BaseImage& base) {
  std::string reference = lower(base.image.path + ":" + base.image.tag);
  for (std::string_view windows : {"windows", "nanoserver", "servercore"}) {
    if (contains(reference, windows)) {
      notSplit(offsetOf(file, stage.from),
               fmt::format("{} is a Windows image, and the official slim images are Linux ones (choose the "
                           "runtime image with --runtime-image)",
                           base.expanded));
    }
  }
  switch (base.family) {
    case Family::Python: {
      auto version = pythonVersion(file, context, stage, facts, base);
      if (!version) {
        noVersion(
            file, stage, base, "python", "Python",
            "ENV PYTHON_VERSION, pyproject.toml (requires-python, Poetry's python) nor .python-version");
      }
      return {fmt::format("python:{}-slim", version->version), version->source};
    }
    case Family::Node: {
      auto version = nodeVersion(file, context, stage, facts, base);
      if (!version) {
        noVersion(file, stage, base, "node", "Node.js",
                  "ENV NODE_VERSION, package.json's engines.node, .nvmrc nor .node-version");
      }
      return {fmt::format("node:{}-slim", version->version), version->source};
    }
    case Family::Go:
      return {"gcr.io/distroless/static-debian12:nonroot", ""};  // a static binary needs no Go
    case Family::Java:
    case Family::Rust:
      break;
  }
  notSplit(offsetOf(file, stage.from),
           fmt::format("{} is not an official image, and dfopt cannot tell which C library or JRE its "
                       "programs need (choose the runtime image with --runtime-image)",
                       base.expanded));
}

}  // namespace dfopt::transforms::multi_stage
