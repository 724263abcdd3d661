// Does the lock file still match its manifest? A locked install fails where
// the resolving one quietly updated the lock: npm ci when package.json asks
// for a dependency package-lock.json does not have, `--frozen-lockfile` when
// yarn.lock lacks a `name@range` of package.json, pnpm when the importer's
// specifiers differ, `uv sync --locked` and `cargo build --locked` when a
// dependency is missing, Bundler when a gem of the Gemfile is not locked or
// Gemfile.lock has no platform for Linux. The checks compare names (and, for
// npm and pnpm, the ranges written in the manifest): they do not resolve.
#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "engine/manifests.h"
#include "transforms/lockfile/lockfile.h"
#include "util/text.h"

namespace dfopt::transforms::lockfile {
namespace {

using engine::Ecosystem;
using Specs = std::map<std::string, std::string>;

constexpr std::string_view kNodeSections[] = {"dependencies", "devDependencies", "optionalDependencies"};

Specs specsOf(const nlohmann::json& object, std::string_view section) {
  Specs specs;
  if (!object.is_object() || !object.contains(section) || !object[std::string(section)].is_object())
    return specs;
  for (const auto& [name, spec] : object[std::string(section)].items()) {
    specs[name] = spec.is_string() ? spec.get<std::string>() : "";
  }
  return specs;
}

Specs nodeSpecs(const nlohmann::json& package) {
  Specs all;
  for (std::string_view section : kNodeSections) all.merge(specsOf(package, section));
  return all;
}

// What differs between the ranges of the manifest and those the lock recorded.
std::optional<std::string> compareSpecs(const Specs& manifest, const Specs& lock,
                                        std::string_view manifestName, std::string_view lockName,
                                        bool extraFails) {
  for (const auto& [name, spec] : manifest) {
    auto locked = lock.find(name);
    if (locked == lock.end())
      return fmt::format("{} has no {}, which {} asks for", lockName, name, manifestName);
    if (!spec.empty() && locked->second != spec) {
      return fmt::format("{} asks for {} {}, {} was made for {}", manifestName, name, spec, lockName,
                         locked->second);
    }
  }
  if (!extraFails) return std::nullopt;
  for (const auto& [name, spec] : lock) {
    if (!manifest.count(name))
      return fmt::format("{} still has {}, which {} no longer lists", lockName, name, manifestName);
  }
  return std::nullopt;
}

std::optional<std::string> npmProblem(const nlohmann::json& package, const std::string& lockText) {
  auto lock = engine::parseJson(lockText);
  if (!lock || !lock->is_object()) return "package-lock.json is not valid JSON";
  Specs wanted = nodeSpecs(package);
  if (lock->contains("packages") && (*lock)["packages"].is_object() && (*lock)["packages"].contains("")) {
    return compareSpecs(wanted, nodeSpecs((*lock)["packages"][""]), "package.json", "package-lock.json",
                        false);
  }
  Specs locked = specsOf(*lock, "dependencies");  // lockfileVersion 1: the names only
  for (auto& [name, spec] : wanted) spec.clear();
  return compareSpecs(wanted, locked, "package.json", "package-lock.json", false);
}

bool hasProtocol(std::string_view spec) {
  return spec.find(':') != std::string_view::npos || spec.find('/') != std::string_view::npos;
}

// yarn.lock keys list every `name@range` it resolved: `express@^4.17.1:`,
// `"@types/node@^14", "@types/node@^14.0.0":`; Yarn 2+ writes `name@npm:range`.
std::optional<std::string> yarnProblem(const nlohmann::json& package, const std::string& lockText) {
  bool berry = lockText.find("\n__metadata:") != std::string::npos;
  for (const auto& [name, spec] : nodeSpecs(package)) {
    if (spec.empty() || hasProtocol(spec)) continue;  // workspace:, file:, git URLs: not checked
    std::string pattern = berry ? fmt::format("{}@npm:{}", name, spec) : fmt::format("{}@{}", name, spec);
    bool found = false;
    for (std::string_view end : {":", ",", "\""}) {
      std::string key = pattern + std::string(end);
      for (size_t at = lockText.find(key); at != std::string::npos && !found;
           at = lockText.find(key, at + 1)) {
        char before = at == 0 ? '\n' : lockText[at - 1];
        found = before == '\n' || before == '"' || before == ' ';
      }
    }
    if (!found)
      return fmt::format("yarn.lock has no entry for {}@{}, which package.json asks for", name, spec);
  }
  return std::nullopt;
}

// pnpm-lock.yaml: `specifiers:` (lockfile 5) or, per dependency,
// `specifier:` (6 and newer), at the top or under `importers: .:`.
Specs pnpmSpecs(const YAML::Node& root) {
  Specs specs;
  if (root["specifiers"] && root["specifiers"].IsMap()) {
    for (const auto& item : root["specifiers"])
      specs[item.first.as<std::string>()] = item.second.as<std::string>();
    return specs;
  }
  for (std::string_view section : kNodeSections) {
    YAML::Node entries = root[std::string(section)];
    if (!entries || !entries.IsMap()) continue;
    for (const auto& item : entries) {
      YAML::Node specifier = item.second.IsMap() ? item.second["specifier"] : YAML::Node();
      specs[item.first.as<std::string>()] =
          specifier && specifier.IsScalar() ? specifier.as<std::string>() : "";
    }
  }
  return specs;
}

// pnpm reads only the lock formats of its own time (9 and 10 write 9.0, 8
// wrote 6.0, 7 wrote 5.4), and a frozen install fails where a plain one
// quietly re-resolves: the pnpm that runs must be the one package.json's
// packageManager pins, unless the lock is of the current format.
std::optional<LockProblem> pnpmFormatProblem(const nlohmann::json& package, const YAML::Node& lock) {
  std::string format = lock["lockfileVersion"] ? lock["lockfileVersion"].as<std::string>() : "";
  if (format.starts_with("9.")) return std::nullopt;
  std::string manager = package.contains("packageManager") && package["packageManager"].is_string()
                            ? package["packageManager"].get<std::string>()
                            : "";
  if (manager.starts_with("pnpm@")) return std::nullopt;
  return LockProblem{
      fmt::format("pnpm-lock.yaml has the lockfileVersion {} of an older pnpm and package.json "
                  "pins no pnpm, so the newest pnpm may run here",
                  format.empty() ? "?" : format),
      false, "pin pnpm with packageManager in package.json, or update pnpm-lock.yaml"};
}

std::optional<LockProblem> pnpmProblem(const nlohmann::json& package, const std::string& lockText) {
  try {
    YAML::Node lock = YAML::Load(lockText);
    if (auto problem = pnpmFormatProblem(package, lock)) return problem;
    YAML::Node root = lock["importers"] && lock["importers"]["."] ? lock["importers"]["."] : lock;
    auto reason = compareSpecs(nodeSpecs(package), pnpmSpecs(root), "package.json", "pnpm-lock.yaml", true);
    if (reason) return LockProblem{*reason, true, ""};
  } catch (const YAML::Exception&) {
    return LockProblem{"pnpm-lock.yaml is not valid YAML", true, ""};
  }
  return std::nullopt;
}

// PEP 503: "Flask_SQLAlchemy" and "flask-sqlalchemy" are one name.
std::string normalizedName(std::string_view requirement) {
  std::string name;
  for (char c : requirement) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (c == '-' || c == '_' || c == '.')
      name += name.empty() || name.back() == '-' ? "" : "-";
    else
      break;
  }
  return name;
}

std::optional<std::string> uvProblem(const std::string& manifestText, const std::string& lockText) {
  auto pyproject = engine::parseToml(manifestText);
  auto lock = engine::parseToml(lockText);
  if (!pyproject || !lock) return "uv.lock or pyproject.toml is not valid TOML";
  std::string project = normalizedName(pyproject->at_path("project.name").value_or(std::string()));
  std::set<std::string> locked;
  bool rootFound = false;
  if (const toml::array* packages = (*lock)["package"].as_array()) {
    for (const toml::node& node : *packages) {
      const toml::table* entry = node.as_table();
      if (!entry || normalizedName((*entry)["name"].value_or(std::string())) != project) continue;
      rootFound = true;
      if (const toml::array* requirements = entry->at_path("metadata.requires-dist").as_array()) {
        for (const toml::node& requirement : *requirements) {
          if (const toml::table* table = requirement.as_table())
            locked.insert(normalizedName((*table)["name"].value_or(std::string())));
        }
      }
    }
  }
  if (!rootFound) return fmt::format("uv.lock has no package {}, the project of pyproject.toml", project);
  if (const toml::array* dependencies = pyproject->at_path("project.dependencies").as_array()) {
    for (const toml::node& dependency : *dependencies) {
      std::string name = normalizedName(dependency.value_or(std::string()));
      if (!locked.count(name)) return fmt::format("uv.lock has no {}, which pyproject.toml asks for", name);
    }
  }
  return std::nullopt;
}

std::optional<std::string> cargoProblem(const std::string& manifestText, const std::string& lockText) {
  auto manifest = engine::parseToml(manifestText);
  auto lock = engine::parseToml(lockText);
  if (!manifest || !lock) return "Cargo.lock or Cargo.toml is not valid TOML";
  std::set<std::string> locked;
  if (const toml::array* packages = (*lock)["package"].as_array()) {
    for (const toml::node& node : *packages) {
      if (const toml::table* entry = node.as_table()) locked.insert((*entry)["name"].value_or(std::string()));
    }
  }
  std::string package = manifest->at_path("package.name").value_or(std::string());
  if (!package.empty() && !locked.count(package))
    return fmt::format("Cargo.lock has no {}, the package of Cargo.toml", package);
  for (std::string_view section : {"dependencies", "dev-dependencies", "build-dependencies"}) {
    const toml::table* dependencies = (*manifest)[section].as_table();
    if (!dependencies) continue;
    for (const auto& [key, value] : *dependencies) {
      std::string name(key.str());
      if (const toml::table* detail = value.as_table()) name = (*detail)["package"].value_or(name);
      if (!locked.count(name)) return fmt::format("Cargo.lock has no {}, which Cargo.toml asks for", name);
    }
  }
  return std::nullopt;
}

// The lines of a Gemfile.lock section ("DEPENDENCIES", "PLATFORMS"), trimmed.
std::vector<std::string> gemfileLockSection(const std::string& lock, std::string_view section) {
  std::vector<std::string> lines;
  bool inside = false;
  for (std::string_view rest = lock; !rest.empty();) {
    std::string_view line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.starts_with(" ")) {
      inside = line == section;
      continue;
    }
    size_t text = line.find_first_not_of(' ');
    if (inside && text != std::string_view::npos) lines.emplace_back(line.substr(text));
  }
  return lines;
}

std::optional<LockProblem> bundlerProblem(const std::string& gemfile, const std::string& lock) {
  std::vector<std::string> platforms = gemfileLockSection(lock, "PLATFORMS");
  bool linux = std::any_of(platforms.begin(), platforms.end(), [](const std::string& platform) {
    return platform == "ruby" || platform.find("linux") != std::string::npos;
  });
  if (!platforms.empty() && !linux) {
    return LockProblem{fmt::format("Gemfile.lock lists no Linux platform (only {}), and a frozen Bundler may "
                                   "refuse to add one",
                                   platforms.front()),
                       false, "add one with bundle lock --add-platform x86_64-linux"};
  }
  std::set<std::string> locked;
  for (const std::string& line : gemfileLockSection(lock, "DEPENDENCIES"))
    locked.insert(line.substr(0, line.find_first_of(" !")));
  static const std::regex gem(R"(^\s*gem\s*\(?\s*['"]([^'"]+)['"])");
  for (std::string_view rest = gemfile; !rest.empty();) {
    std::string line(rest.substr(0, rest.find('\n')));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    std::smatch match;
    if (std::regex_search(line, match, gem) && !locked.count(match[1].str()))
      return LockProblem{fmt::format("Gemfile.lock has no {}, which the Gemfile asks for", match[1].str()),
                         true, ""};
  }
  return std::nullopt;
}

}  // namespace

std::optional<LockProblem> lockProblem(Ecosystem ecosystem, const context::BuildContext& context,
                                       const std::string& lock, const std::string& manifest) {
  auto certain = [](std::optional<std::string> reason) -> std::optional<LockProblem> {
    if (!reason) return std::nullopt;
    return LockProblem{*reason, true, ""};
  };
  std::string lockText = context.read(lock, 64 << 20).value_or("");
  std::string manifestText = context.read(manifest).value_or("");
  switch (ecosystem) {
    case Ecosystem::Npm:
    case Ecosystem::Yarn:
    case Ecosystem::Pnpm: {
      auto package = engine::parseJson(manifestText);
      if (!package || !package->is_object()) return certain("package.json is not valid JSON");
      if (ecosystem == Ecosystem::Npm) return certain(npmProblem(*package, lockText));
      if (ecosystem == Ecosystem::Yarn) return certain(yarnProblem(*package, lockText));
      return pnpmProblem(*package, lockText);
    }
    case Ecosystem::Uv:
      return certain(uvProblem(manifestText, lockText));
    case Ecosystem::Cargo:
      return certain(cargoProblem(manifestText, lockText));
    case Ecosystem::Bundler:
      return bundlerProblem(manifestText, lockText);
    default:
      return std::nullopt;
  }
}

}  // namespace dfopt::transforms::lockfile
