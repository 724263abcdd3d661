// The manifests an install reads, found in the copied directory: the
// requirements files a pip install names (and those they include), or the
// manifests, lock files and wrappers of its ecosystem; or why they cannot
// drive the install without the rest of the source.
#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "model/queries.h"
#include "model/variables.h"
#include "transforms/deps_first/install.h"
#include "transforms/deps_first/words.h"
#include "util/text.h"

namespace dfopt::transforms::deps_first {

using engine::Ecosystem;

std::string joinContextPath(std::string_view directory, std::string_view relative) {
  if (relative == "." || relative.empty()) return std::string(directory);
  return context::cleanPath(engine::contextPath(directory, relative));
}

namespace {

// The path inside the copied directory, or nothing when outside it.
std::optional<std::string> insideCopied(std::string_view path, std::string_view copied) {
  if (path == ".." || path.starts_with("../")) return std::nullopt;
  if (copied == ".") return std::string(path);
  if (!path.starts_with(std::string(copied) + "/")) return std::nullopt;
  return std::string(path.substr(copied.size() + 1));
}

std::string describeDirectory(std::string_view directory) {
  return directory == "." ? "the build context" : fmt::format("{}/", directory);
}

bool excluded(const context::BuildContext& context, std::string_view path) {
  return context.dockerignore().excludes(path);
}

// The arguments of a -r/-c line of a requirements file ("-r base.txt",
// "--requirement=base.txt"), or of an -e / --find-links line.
std::optional<std::string> requirementOption(std::string_view line,
                                             std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (!line.starts_with(name)) continue;
    std::string_view rest = line.substr(name.size());
    if (!rest.empty() && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '=' && name.starts_with("--"))
      continue;
    while (!rest.empty() && (rest[0] == ' ' || rest[0] == '\t' || rest[0] == '=')) rest.remove_prefix(1);
    size_t end = rest.find_first_of(" \t");
    return std::string(rest.substr(0, end));
  }
  return std::nullopt;
}

// The logical lines of a requirements file: continuations joined, comments
// and blank lines dropped.
std::vector<std::string> requirementLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string current;
  size_t at = 0;
  while (at <= text.size()) {
    size_t newline = text.find('\n', at);
    std::string line = text.substr(at, newline == std::string::npos ? std::string::npos : newline - at);
    at = newline == std::string::npos ? text.size() + 1 : newline + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.back() == '\\') {
      current += line.substr(0, line.size() - 1);
      continue;
    }
    current += line;
    size_t comment = current.find('#');
    while (comment != std::string::npos && comment > 0 && current[comment - 1] != ' ' &&
           current[comment - 1] != '\t') {
      comment = current.find('#', comment + 1);
    }
    if (comment != std::string::npos) current.erase(comment);
    size_t begin = current.find_first_not_of(" \t");
    if (begin != std::string::npos)
      lines.push_back(current.substr(begin, current.find_last_not_of(" \t") - begin + 1));
    current.clear();
  }
  return lines;
}

// Why a requirements line needs the source, if it does.
std::optional<std::string> localRequirement(std::string_view line) {
  if (auto editable = requirementOption(line, {"--editable", "-e"})) {
    if (!isVersionControlUrl(*editable)) return fmt::format("-e {}", *editable);
    return std::nullopt;
  }
  if (auto links = requirementOption(line, {"--find-links", "-f"})) {
    if (isLocalPath(*links)) return fmt::format("--find-links {}", *links);
    return std::nullopt;
  }
  if (line.starts_with("-")) return std::nullopt;
  std::string_view first = line.substr(0, line.find_first_of(" \t;"));
  if (isLocalPath(first) || line.find("@ file:") != std::string_view::npos) return std::string(first);
  return std::nullopt;
}

// Adds the requirements file at context path `path` and those it includes.
void addRequirementFile(const context::BuildContext& context, const std::string& path,
                        std::string_view copied, Manifests& manifests) {
  auto inside = insideCopied(path, copied);
  if (!inside) {
    manifests.problem = fmt::format("{} is outside the copied directory", path);
    return;
  }
  for (const Manifest& known : manifests.files) {
    if (known.path == path) return;
  }
  if (!context.exists(path) || context.isDirectory(path)) {
    manifests.problem = fmt::format("{} is not in the build context", path);
    return;
  }
  if (excluded(context, path)) {
    manifests.problem = fmt::format("{} is excluded by .dockerignore", path);
    return;
  }
  manifests.files.push_back({path, *inside, false});
  for (const std::string& line : requirementLines(context.read(path).value_or(""))) {
    if (auto local = localRequirement(line)) {
      manifests.problem =
          fmt::format("{} installs the local path {}, which is part of the source", path, *local);
      return;
    }
    auto included = requirementOption(line, {"--requirement", "--constraint", "-r", "-c"});
    if (included && included->find("://") == std::string::npos) {
      addRequirementFile(context, joinContextPath(text::dirName(path), *included), copied, manifests);
      if (manifests.problem) return;
    }
  }
}

// Where the install puts its packages inside the project; a copy of the
// same directory from the context would overwrite them.
std::optional<std::string_view> installedDirectory(Ecosystem ecosystem) {
  switch (ecosystem) {
    case Ecosystem::Npm:
    case Ecosystem::Yarn:
    case Ecosystem::Pnpm:
      return "node_modules";
    case Ecosystem::Composer:
      return "vendor";
    case Ecosystem::Poetry:
    case Ecosystem::Uv:
    case Ecosystem::Pipenv:
      return ".venv";
    default:
      return std::nullopt;
  }
}

}  // namespace

Manifests requirementManifests(const Install& install, const context::BuildContext& context,
                               const std::string& cwd, const std::string& copied,
                               const std::string& destination) {
  Manifests manifests;
  for (const std::string& file : install.requirementFiles) {
    if (model::hasVariable(file) || file.starts_with("~")) {
      manifests.problem = fmt::format("the requirements file {} uses a variable", file);
      return manifests;
    }
    auto inDestination = relativeTo(model::resolvePath(cwd, file), destination);
    if (!inDestination) {
      manifests.problem = fmt::format("{} is not in the copied source", file);
      return manifests;
    }
    addRequirementFile(context, joinContextPath(copied, *inDestination), copied, manifests);
    if (manifests.problem) return manifests;
  }
  return manifests;
}

Manifests ecosystemManifests(const Install& install, const context::BuildContext& context,
                             const std::string& directory, const std::string& copied) {
  Manifests manifests;
  auto required = engine::requiredManifests(install.ecosystem);
  bool found = std::any_of(required.begin(), required.end(), [&](std::string_view name) {
    std::string path = engine::contextPath(directory, name);
    return context.exists(path) && !excluded(context, path);
  });
  if (!found) {
    std::string path = engine::contextPath(directory, required.front());
    manifests.problem = context.exists(path) ? fmt::format("{} is excluded by .dockerignore", path)
                                             : fmt::format("there is no {} in {}", required.front(),
                                                           describeDirectory(directory));
    return manifests;
  }
  if (auto problem = manifestProblem(install.ecosystem, context, directory)) {
    manifests.problem = *problem;
    return manifests;
  }
  if (auto installed = installedDirectory(install.ecosystem)) {
    std::string path = engine::contextPath(directory, *installed);
    if (context.exists(path) && !excluded(context, path)) {
      manifests.problem = fmt::format(
          "{} is in the build context and not in .dockerignore, so the copy would "
          "overwrite the installed packages",
          path);
      return manifests;
    }
  }
  std::vector<std::string> paths = engine::existingManifests(context, directory, install.ecosystem);
  for (const std::string& extra : install.extraFiles) {
    std::string path = engine::contextPath(directory, extra);
    if (context.exists(path)) paths.push_back(path);
  }
  for (const std::string& path : paths) {
    if (excluded(context, path)) continue;
    manifests.files.push_back({path, *insideCopied(path, copied), context.isDirectory(path)});
  }
  return manifests;
}

}  // namespace dfopt::transforms::deps_first
