// Why the manifests alone cannot drive an install, read from their content:
// workspaces and path dependencies whose files are part of the source, and
// build files that need more of it.
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "transforms/deps_first/install.h"

namespace dfopt::transforms::deps_first {

using engine::Ecosystem;

namespace {

bool matches(const std::string& text, const char* pattern) {
  return std::regex_search(text, std::regex(pattern, std::regex::ECMAScript | std::regex::multiline));
}

std::optional<std::string> packageJsonProblem(const context::BuildContext& context,
                                              const std::string& directory) {
  std::string path = engine::contextPath(directory, "package.json");
  nlohmann::json json = nlohmann::json::parse(context.read(path).value_or(""), nullptr, false);
  if (!json.is_object()) return fmt::format("{} is not a JSON object", path);
  if (json.contains("scripts") && json["scripts"].is_object()) {
    for (std::string_view script : {"preinstall", "install", "postinstall", "prepare"}) {
      if (json["scripts"].contains(script)) {
        return fmt::format("{} runs a {} script, which may need the source", path, script);
      }
    }
  }
  if (json.contains("workspaces"))
    return fmt::format("{} declares workspaces, whose manifests are part of the source", path);
  for (const char* group : {"dependencies", "devDependencies", "optionalDependencies"}) {
    if (!json.contains(group) || !json[group].is_object()) continue;
    for (const auto& [name, version] : json[group].items()) {
      std::string spec = version.is_string() ? version.get<std::string>() : "";
      for (std::string_view prefix : {"file:", "link:", "workspace:", "portal:", "patch:", "./", "../"}) {
        if (spec.starts_with(prefix)) return fmt::format("{} depends on the local path {}", path, spec);
      }
    }
  }
  if (json.contains("pnpm") && json["pnpm"].is_object() && json["pnpm"].contains("patchedDependencies")) {
    return fmt::format("{} patches dependencies with files from the source", path);
  }
  std::string workspace = engine::contextPath(directory, "pnpm-workspace.yaml");
  if (matches(context.read(workspace).value_or(""), R"(^packages\s*:)")) {
    return fmt::format("{} declares workspace packages, whose manifests are part of the source", workspace);
  }
  return std::nullopt;
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
      if (matches(read("pyproject.toml"), R"(^\s*\[tool\.uv\.workspace\]|workspace\s*=\s*true)")) {
        return "pyproject.toml declares a workspace, whose members are part of the source";
      }
      if (matches(read("pyproject.toml"), R"((^|[\s{,])path\s*=)"))
        return "pyproject.toml has a path dependency";
      return std::nullopt;
    case Ecosystem::Pipenv:
      if (matches(read("Pipfile"), R"((^|[\s{,])path\s*=)")) return "Pipfile has a path dependency";
      return std::nullopt;
    case Ecosystem::Go:
      if (matches(read("go.mod"), R"(=>\s*(\.{1,2}/|/|\.\s*$))"))
        return "go.mod replaces a module with a local directory";
      if (has("vendor/modules.txt")) return "the modules are vendored in vendor/";
      if (has("go.work")) return "go.work makes it a workspace of several modules";
      return std::nullopt;
    case Ecosystem::Cargo:
      if (!has("Cargo.lock")) return "there is no Cargo.lock: cargo fetch would resolve the versions again";
      if (matches(read("Cargo.toml"), R"(^\s*\[workspace\])")) return "Cargo.toml is a workspace";
      if (matches(read("Cargo.toml"),
                  R"(^\s*\[(lib|\[bin\]|\[example\]|\[test\]|\[bench\])\]|^\s*build\s*=)")) {
        return "Cargo.toml declares its own targets, which a stub src/main.rs does not satisfy";
      }
      if (matches(read("Cargo.toml"), R"((^|[\s{,])path\s*=)")) return "Cargo.toml has a path dependency";
      return std::nullopt;
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
      if (matches(read("composer.json"), R"("type"\s*:\s*"path")"))
        return "composer.json has a path repository";
      return std::nullopt;
    case Ecosystem::Pip:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace dfopt::transforms::deps_first
