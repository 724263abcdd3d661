// Why the manifests alone cannot drive an install, read from their content:
// workspaces and path dependencies whose files are part of the source, and
// build files that need more of it. TOML and JSON manifests are read as
// documents (engine/manifests.h); a manifest that does not parse is refused,
// since nothing can then be said of what it needs. go.mod is read by lines;
// pom.xml, Gradle settings, the Gemfile and pnpm-workspace.yaml by patterns.
#include <algorithm>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "engine/manifests.h"
#include "transforms/deps_first/install.h"

namespace dfopt::transforms::deps_first {

using engine::Ecosystem;

namespace {

using TomlView = toml::node_view<const toml::node>;
using DependencyTest = bool (*)(const toml::table& dependency);

bool matches(const std::string& text, const char* pattern) {
  return std::regex_search(text, std::regex(pattern, std::regex::ECMAScript | std::regex::multiline));
}

// ---------------------------------------------------------------------------
// TOML dependency tables: `name = "1.0"`, `name = { path = "../x" }`, or a
// list of such tables, one per marker or platform.

bool anyAlternative(const toml::node& dependency, DependencyTest test) {
  if (const toml::table* table = dependency.as_table()) return test(*table);
  const toml::array* alternatives = dependency.as_array();
  return alternatives &&
         std::any_of(alternatives->begin(), alternatives->end(), [&](const toml::node& alternative) {
           const toml::table* table = alternative.as_table();
           return table && test(*table);
         });
}

// Does a dependency of the table pass `test`? A missing table has none.
bool anyDependency(TomlView dependencies, DependencyTest test) {
  const toml::table* table = dependencies.as_table();
  if (!table) return false;
  return std::any_of(table->begin(), table->end(),
                     [&](const auto& entry) { return anyAlternative(entry.second, test); });
}

bool anyDependency(const std::vector<TomlView>& tables, DependencyTest test) {
  return std::any_of(tables.begin(), tables.end(),
                     [&](TomlView table) { return anyDependency(table, test); });
}

bool namesPath(const toml::table& dependency) { return dependency.contains("path"); }

bool isWorkspaceMember(const toml::table& dependency) { return dependency["workspace"].value_or(false); }

// ---------------------------------------------------------------------------
// pyproject.toml and Pipfile

// Poetry's dependency tables, main and per group, and uv's sources.
std::vector<TomlView> pyprojectDependencyTables(const toml::table& pyproject) {
  std::vector<TomlView> tables = {pyproject.at_path("tool.poetry.dependencies"),
                                  pyproject.at_path("tool.poetry.dev-dependencies"),
                                  pyproject.at_path("tool.uv.sources")};
  if (const toml::table* groups = pyproject.at_path("tool.poetry.group").as_table()) {
    for (const auto& group : *groups) tables.push_back(TomlView(group.second)["dependencies"]);
  }
  return tables;
}

std::optional<std::string> pyprojectProblem(const std::string& text) {
  auto parsed = engine::parseToml(text);
  if (!parsed) return "pyproject.toml is not valid TOML";
  const toml::table& pyproject = *parsed;
  if (pyproject.at_path("tool.uv.workspace") ||
      anyDependency(pyproject.at_path("tool.uv.sources"), isWorkspaceMember)) {
    return "pyproject.toml declares a workspace, whose members are part of the source";
  }
  if (anyDependency(pyprojectDependencyTables(pyproject), namesPath))
    return "pyproject.toml has a path dependency";
  return std::nullopt;
}

// A Pipfile's tables are package categories ([packages], [dev-packages],
// the user's own) and settings ([[source]], [requires], [scripts]) that
// hold no dependency tables.
std::optional<std::string> pipfileProblem(const std::string& text) {
  auto parsed = engine::parseToml(text);
  if (!parsed) return "Pipfile is not valid TOML";
  const toml::table& pipfile = *parsed;
  bool pathDependency = std::any_of(pipfile.begin(), pipfile.end(), [](const auto& section) {
    return anyDependency(TomlView(section.second), namesPath);
  });
  if (pathDependency) return "Pipfile has a path dependency";
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Cargo.toml

// [dependencies] and its kinds, at the top and per target platform, and
// the crates [patch] and [replace] swap in.
std::vector<TomlView> cargoDependencyTables(const toml::table& cargo) {
  constexpr std::string_view kKinds[] = {"dependencies", "dev-dependencies", "build-dependencies",
                                         "dev_dependencies", "build_dependencies"};
  std::vector<TomlView> tables;
  auto addKinds = [&](TomlView scope) {
    for (std::string_view kind : kKinds) tables.push_back(scope[kind]);
  };
  addKinds(TomlView(cargo));
  if (const toml::table* targets = cargo["target"].as_table()) {
    for (const auto& target : *targets) addKinds(TomlView(target.second));
  }
  if (const toml::table* patches = cargo["patch"].as_table()) {
    for (const auto& patch : *patches) tables.push_back(TomlView(patch.second));
  }
  tables.push_back(cargo["replace"]);
  return tables;
}

// [lib], [[bin]], [[example]], [[test]], [[bench]] or a build script.
bool declaresOwnTargets(const toml::table& cargo) {
  for (std::string_view target : {"lib", "bin", "example", "test", "bench"}) {
    if (cargo.contains(target)) return true;
  }
  return static_cast<bool>(cargo.at_path("package.build"));
}

std::optional<std::string> cargoProblem(const std::string& text) {
  auto parsed = engine::parseToml(text);
  if (!parsed) return "Cargo.toml is not valid TOML";
  const toml::table& cargo = *parsed;
  if (cargo.contains("workspace")) return "Cargo.toml is a workspace";
  if (declaresOwnTargets(cargo)) {
    return "Cargo.toml declares its own targets, which a stub src/main.rs does not satisfy";
  }
  if (anyDependency(cargoDependencyTables(cargo), namesPath)) return "Cargo.toml has a path dependency";
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// JSON manifests

std::optional<std::string> packageJsonProblem(const context::BuildContext& context,
                                              const std::string& directory) {
  std::string path = engine::contextPath(directory, "package.json");
  auto json = engine::parseJson(context.read(path).value_or(""));
  if (!json || !json->is_object()) return fmt::format("{} is not a JSON object", path);
  auto scripts = json->find("scripts");
  if (scripts != json->end() && scripts->is_object()) {
    for (std::string_view script : {"preinstall", "install", "postinstall", "prepare"}) {
      if (scripts->contains(script)) {
        return fmt::format("{} runs a {} script, which may need the source", path, script);
      }
    }
  }
  if (json->contains("workspaces"))
    return fmt::format("{} declares workspaces, whose manifests are part of the source", path);
  for (const char* group : {"dependencies", "devDependencies", "optionalDependencies"}) {
    auto dependencies = json->find(group);
    if (dependencies == json->end() || !dependencies->is_object()) continue;
    for (const auto& [name, version] : dependencies->items()) {
      std::string spec = version.is_string() ? version.get<std::string>() : "";
      for (std::string_view prefix : {"file:", "link:", "workspace:", "portal:", "patch:", "./", "../"}) {
        if (spec.starts_with(prefix)) return fmt::format("{} depends on the local path {}", path, spec);
      }
    }
  }
  auto pnpm = json->find("pnpm");
  if (pnpm != json->end() && pnpm->is_object() && pnpm->contains("patchedDependencies")) {
    return fmt::format("{} patches dependencies with files from the source", path);
  }
  std::string workspace = engine::contextPath(directory, "pnpm-workspace.yaml");
  if (matches(context.read(workspace).value_or(""), R"(^packages\s*:)")) {
    return fmt::format("{} declares workspace packages, whose manifests are part of the source", workspace);
  }
  return std::nullopt;
}

// "repositories" as a list or as an object keyed by name.
std::optional<std::string> composerProblem(const std::string& text) {
  auto composer = engine::parseJson(text);
  if (!composer || !composer->is_object()) return "composer.json is not a JSON object";
  auto repositories = composer->find("repositories");
  if (repositories == composer->end() || !repositories->is_structured()) return std::nullopt;
  for (const auto& repository : *repositories) {
    auto type = repository.find("type");  // end() for what is not an object
    if (type != repository.end() && *type == "path") return "composer.json has a path repository";
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// go.mod

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && isBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && isBlank(text.back())) text.remove_suffix(1);
  return text;
}

// A `=>` whose target is a directory ("./x", "../x", "/x" or "."), as in
// `replace example.com/lib => ../lib`: the module comes from the source.
bool replacesWithLocalDirectory(std::string_view goMod) {
  while (!goMod.empty()) {
    size_t newline = goMod.find('\n');
    std::string_view line = goMod.substr(0, newline);
    goMod.remove_prefix(newline == std::string_view::npos ? goMod.size() : newline + 1);
    for (size_t arrow = line.find("=>"); arrow != std::string_view::npos;
         arrow = line.find("=>", arrow + 2)) {
      std::string_view target = trimmed(line.substr(arrow + 2));
      if (target.starts_with("./") || target.starts_with("../") || target.starts_with("/") || target == ".") {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> manifestProblem(Ecosystem ecosystem, const context::BuildContext& context,
                                           const std::string& directory) {
  auto read = [&](std::string_view name) {
    return context.read(engine::contextPath(directory, name)).value_or("");
  };
  auto has = [&](std::string_view name) { return context.exists(engine::contextPath(directory, name)); };
  switch (ecosystem) {
    case Ecosystem::Npm:
    case Ecosystem::Yarn:
    case Ecosystem::Pnpm:
      return packageJsonProblem(context, directory);
    case Ecosystem::Poetry:
    case Ecosystem::Uv:
      return pyprojectProblem(read("pyproject.toml"));
    case Ecosystem::Pipenv:
      return pipfileProblem(read("Pipfile"));
    case Ecosystem::Go:
      if (replacesWithLocalDirectory(read("go.mod")))
        return "go.mod replaces a module with a local directory";
      if (has("vendor/modules.txt")) return "the modules are vendored in vendor/";
      if (has("go.work")) return "go.work makes it a workspace of several modules";
      return std::nullopt;
    case Ecosystem::Cargo:
      if (!has("Cargo.lock")) return "there is no Cargo.lock: cargo fetch would resolve the versions again";
      return cargoProblem(read("Cargo.toml"));
    case Ecosystem::Maven:
      if (matches(read("pom.xml"), R"(<modules>)"))
        return "pom.xml is a multi-module build, whose modules are part of the source";
      return std::nullopt;
    case Ecosystem::Gradle:
      for (std::string_view settings : {"settings.gradle", "settings.gradle.kts"}) {
        if (matches(read(settings), R"(\binclude(Build|Flat)?\b)")) {
          return fmt::format("{} includes other projects, whose build files are part of the source",
                             settings);
        }
      }
      if (has("buildSrc")) return "buildSrc/ holds build logic that is part of the source";
      return std::nullopt;
    case Ecosystem::Bundler:
      if (matches(read("Gemfile"), R"(^\s*gemspec\b|\bpath:|:path\s*=>|\bfile:)")) {
        return "the Gemfile refers to local files (gemspec, path: or file:)";
      }
      return std::nullopt;
    case Ecosystem::Composer:
      return composerProblem(read("composer.json"));
    case Ecosystem::Pip:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace dfopt::transforms::deps_first
