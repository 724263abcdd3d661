// Is the production server a main dependency of the project: named in a
// requirements file, pyproject.toml, Pipfile, or pinned by poetry.lock,
// Pipfile.lock or uv.lock (main dependencies only: a development group is
// not installed in the image), or installed by name in a RUN.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <re2/re2.h>

#include "engine/ecosystem.h"
#include "engine/instruction_commands.h"
#include "engine/line_mention.h"
#include "engine/manifests.h"
#include "transforms/production_server/server.h"
#include "util/text.h"

namespace dfopt::transforms::production_server {
namespace {

using text::baseName;
using text::contains;

// A package name as PEP 503 compares them: lower case, runs of -_. as one '-'.
std::string normalized(std::string_view name) {
  std::string out;
  for (char c : name) {
    bool separator = c == '-' || c == '_' || c == '.';
    if (separator && !out.empty() && out.back() == '-') continue;
    out += separator ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The package a requirement names ("gunicorn[gevent]>=21; python_version>'3'" -> "gunicorn").
std::string requirementPackage(std::string_view requirement) {
  size_t begin = requirement.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  requirement.remove_prefix(begin);
  return normalized(requirement.substr(0, requirement.find_first_of("=<>!~[;@ \t\r")));
}

bool namesPackage(std::string_view requirement, std::string_view package) {
  return requirementPackage(requirement) == normalized(package);
}

bool requirementsName(std::string_view text, std::string_view package) {
  size_t at = 0;
  while (at < text.size()) {
    size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    line = line.substr(0, line.find('#'));
    if (!contains(line, "-") || line.find_first_not_of(" \t") != line.find('-')) {
      if (namesPackage(line, package)) return true;
    }
    at = end + 1;
  }
  return false;
}

bool arrayNames(const toml::node* list, std::string_view package) {
  if (!list || !list->is_array()) return false;
  return std::any_of(list->as_array()->begin(), list->as_array()->end(), [&](const toml::node& requirement) {
    return namesPackage(requirement.value_or(std::string()), package);
  });
}

bool tableHasKey(const toml::node* table, std::string_view package) {
  if (!table || !table->is_table()) return false;
  for (const auto& [key, value] : *table->as_table()) {
    if (normalized(key.str()) == normalized(package)) return true;
  }
  return false;
}

// A poetry.lock package in the main group: `category = "main"` (Poetry
// before 1.5) or `groups = ["main", ...]` (Poetry 2), or neither (1.5 to
// 1.8 dropped the category: pyproject.toml then decides).
bool poetryLockHasMain(const toml::table& lock, std::string_view package) {
  const toml::array* packages = lock["package"].as_array();
  if (!packages) return false;
  for (const toml::node& entry : *packages) {
    const toml::table* table = entry.as_table();
    if (!table || normalized((*table)["name"].value_or(std::string())) != normalized(package)) continue;
    std::string category = (*table)["category"].value_or(std::string("main"));
    const toml::array* groups = (*table)["groups"].as_array();
    bool main = !groups || std::any_of(groups->begin(), groups->end(), [](const toml::node& group) {
      return group.value_or(std::string()) == "main";
    });
    if (category == "main" && main && (groups || table->contains("category"))) return true;
  }
  return false;
}

// uv.lock: a dependency of the project's own package (editable or virtual source).
bool uvLockHasMain(const toml::table& lock, std::string_view package) {
  const toml::array* packages = lock["package"].as_array();
  if (!packages) return false;
  for (const toml::node& entry : *packages) {
    const toml::table* table = entry.as_table();
    if (!table) continue;
    const toml::table* source = (*table)["source"].as_table();
    if (!source || !(source->contains("editable") || source->contains("virtual"))) continue;
    const toml::array* dependencies = (*table)["dependencies"].as_array();
    if (!dependencies) continue;
    for (const toml::node& dependency : *dependencies) {
      if (normalized(dependency.at_path("name").value_or(std::string())) == normalized(package)) return true;
    }
  }
  return false;
}

bool manifestNames(std::string_view name, std::string_view text, std::string_view package) {
  if (engine::isRequirementsFile(name)) {
    bool development = contains(name, "dev") || contains(name, "test");
    return !development && requirementsName(text, package);
  }
  if (name == "Pipfile.lock") {
    std::optional<nlohmann::json> lock = engine::parseJson(text);
    if (!lock || !lock->contains("default") || !(*lock)["default"].is_object()) return false;
    for (const auto& [key, value] : (*lock)["default"].items()) {
      if (normalized(key) == normalized(package)) return true;
    }
    return false;
  }
  std::optional<toml::table> document = engine::parseToml(text);
  if (!document) return false;
  if (name == "pyproject.toml") {
    return arrayNames(document->at_path("project.dependencies").node(), package) ||
           tableHasKey(document->at_path("tool.poetry.dependencies").node(), package);
  }
  if (name == "Pipfile") return tableHasKey(document->at_path("packages").node(), package);
  if (name == "poetry.lock") return poetryLockHasMain(*document, package);
  if (name == "uv.lock") return uvLockHasMain(*document, package);
  return false;
}

bool isManifest(std::string_view name) {
  return engine::isRequirementsFile(name) ||
         text::isOneOf(name, {"pyproject.toml", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock"});
}

// Is the context directory `dir` the project's or one above it?
bool holdsProject(std::string_view dir, std::string_view project) {
  return dir == "." || project == dir || text::isUnder(project, dir);
}

// A RUN of the stage or a stage before it that installs `package` by name (`pip install gunicorn`).
std::optional<std::string> installedByRun(const model::Dockerfile& file, const model::Stage& stage,
                                          std::string_view package) {
  for (size_t i = 0; i < stage.end; ++i) {
    if (!file.instructions[i].is("run")) continue;
    for (const engine::CommandWords& words : engine::commandsOf(file.instructions[i])) {
      auto install = std::find_if(words.begin(), words.end(),
                                  [](const std::string& word) { return word == "install" || word == "add"; });
      bool tool = std::any_of(words.begin(), install, [](const std::string& word) {
        return text::isOneOf(baseName(word), {"pip", "pip3", "uv", "pipenv", "poetry"});
      });
      if (!tool || install == words.end()) continue;
      bool named = std::any_of(install + 1, words.end(), [&](const std::string& word) {
        return !word.starts_with("-") && namesPackage(word, package);
      });
      if (named)
        return fmt::format("the RUN on line {}", engine::lineMention(file.instructions[i].range.begin));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> dependencySource(const model::Dockerfile& file, const model::Stage& stage,
                                            const context::BuildContext& context, std::string_view directory,
                                            std::string_view package) {
  for (const std::string& path : context.files()) {
    std::string name(baseName(path));
    if (!isManifest(name) || !holdsProject(text::dirName(path), directory)) continue;
    if (manifestNames(name, context.read(path).value_or(""), package)) return path;
  }
  return installedByRun(file, stage, package);
}

std::string howToAdd(const model::Dockerfile& file, const context::BuildContext& context,
                     std::string_view directory, std::string_view package) {
  struct Way {
    std::string manifest;
    std::string how;
  };
  std::vector<Way> ways;
  for (const std::string& path : context.files()) {
    std::string name(baseName(path));
    if (!holdsProject(text::dirName(path), directory)) continue;
    if (name == "Pipfile") ways.push_back({path, fmt::format("run `pipenv install {}`", package)});
    if (name == "pyproject.toml") {
      std::optional<toml::table> pyproject = engine::parseToml(context.read(path).value_or(""));
      if (pyproject && pyproject->at_path("tool.poetry").is_table()) {
        ways.push_back({path, fmt::format("run `poetry add {}`", package)});
      } else if (context.exists(engine::contextPath(text::dirName(path), "uv.lock"))) {
        ways.push_back({path, fmt::format("run `uv add {}`", package)});
      } else if (pyproject && pyproject->at_path("project").is_table()) {
        ways.push_back({path, fmt::format("add {} to the [project] dependencies of {}", package, path)});
      }
    }
    bool development = contains(name, "dev") || contains(name, "test");
    if (engine::isRequirementsFile(name) && !development)
      ways.push_back({path, fmt::format("add {} to {}", package, path)});
  }
  std::string_view source = file.source->bytes();
  for (const Way& way : ways) {
    if (contains(source, baseName(way.manifest))) return way.how;
  }
  if (!ways.empty()) return ways.front().how;
  return fmt::format("install {} in the image (it is in no requirements file or pyproject.toml)", package);
}

}  // namespace dfopt::transforms::production_server
