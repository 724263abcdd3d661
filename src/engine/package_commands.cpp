#include "engine/package_commands.h"

#include <algorithm>
#include <array>

#include "util/text.h"

namespace dfopt::engine {
namespace {

using text::baseName;

std::string_view wordAt(const std::vector<std::string>& words, size_t index) {
  return index < words.size() ? std::string_view(words[index]) : std::string_view();
}

struct NamedTool {
  std::string_view name;
  PackageTool tool;
};

// The programs of the package tools by name; pip also as pip3 and pip3.N
// (isPipProgram), and as `python -m pip` (packageCommandOf).
constexpr std::array<NamedTool, 16> kNamedTools = {{
    {"pip", PackageTool::Pip},
    {"uv", PackageTool::Uv},
    {"pipenv", PackageTool::Pipenv},
    {"poetry", PackageTool::Poetry},
    {"npm", PackageTool::Npm},
    {"yarn", PackageTool::Yarn},
    {"pnpm", PackageTool::Pnpm},
    {"corepack", PackageTool::Corepack},
    {"go", PackageTool::Go},
    {"cargo", PackageTool::Cargo},
    {"mvn", PackageTool::Maven},
    {"mvnw", PackageTool::Maven},
    {"gradle", PackageTool::Gradle},
    {"gradlew", PackageTool::Gradle},
    {"bundle", PackageTool::Bundler},
    {"composer", PackageTool::Composer},
}};

// The first bytes of those names.
constexpr std::array<bool, 256> kStartsToolName = [] {
  std::array<bool, 256> starts{};
  for (const NamedTool& named : kNamedTools) starts[static_cast<unsigned char>(named.name[0])] = true;
  return starts;
}();

std::optional<PackageTool> toolNamed(std::string_view name) {
  // Asked for every command of every RUN, mostly of other programs: their
  // first letter rules most of them out at once.
  if (name.empty() || !kStartsToolName[static_cast<unsigned char>(name[0])]) return std::nullopt;
  if (isPipProgram(name)) return PackageTool::Pip;
  for (const NamedTool& named : kNamedTools) {
    if (named.name == name) return named.tool;
  }
  return std::nullopt;
}

}  // namespace

// `name`, `name3` or `name3.N` (pip3.11, python3.12): what a regexp said,
// without one (this is asked for every command of every RUN).
static bool isVersionedProgram(std::string_view name, std::string_view program) {
  if (!name.starts_with(program)) return false;
  std::string_view version = name.substr(program.size());
  if (version.empty()) return true;
  if (version == "3") return true;
  if (!version.starts_with("3.") || version.size() == 2) return false;
  return std::all_of(version.begin() + 2, version.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isPipProgram(std::string_view name) { return isVersionedProgram(name, "pip"); }

bool isPythonProgram(std::string_view name) { return isVersionedProgram(name, "python"); }

std::optional<PackageCommand> packageCommandOf(const std::vector<std::string>& words) {
  if (words.empty()) return std::nullopt;
  return packageCommandOf(words[0], wordAt(words, 1), wordAt(words, 2));
}

std::optional<PackageCommand> packageCommandOf(std::string_view program, std::string_view second,
                                               std::string_view third) {
  std::string_view name = baseName(program);
  if (isPythonProgram(name) && second == "-m" && third == "pip") return PackageCommand{PackageTool::Pip, 3};
  if (name == "uv" && second == "pip") return PackageCommand{PackageTool::UvPip, 2};
  if (auto tool = toolNamed(name)) return PackageCommand{*tool, 1};
  return std::nullopt;
}

const std::vector<std::string_view>& packageToolPrograms() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> all;
    for (const NamedTool& named : kNamedTools) all.push_back(named.name);
    return all;
  }();
  return names;
}

std::string_view packageToolName(PackageTool tool) {
  switch (tool) {
    case PackageTool::Pip:
      return "pip";
    case PackageTool::UvPip:
      return "uv pip";
    case PackageTool::Uv:
      return "uv";
    case PackageTool::Pipenv:
      return "pipenv";
    case PackageTool::Poetry:
      return "poetry";
    case PackageTool::Npm:
      return "npm";
    case PackageTool::Yarn:
      return "yarn";
    case PackageTool::Pnpm:
      return "pnpm";
    case PackageTool::Corepack:
      return "corepack";
    case PackageTool::Go:
      return "go";
    case PackageTool::Cargo:
      return "cargo";
    case PackageTool::Maven:
      return "mvn";
    case PackageTool::Gradle:
      return "gradle";
    case PackageTool::Bundler:
      return "bundle";
    case PackageTool::Composer:
      return "composer";
  }
  return "";
}

std::optional<Ecosystem> ecosystemOf(PackageTool tool) {
  switch (tool) {
    case PackageTool::Pip:
    case PackageTool::UvPip:
      return Ecosystem::Pip;
    case PackageTool::Uv:
      return Ecosystem::Uv;
    case PackageTool::Pipenv:
      return Ecosystem::Pipenv;
    case PackageTool::Poetry:
      return Ecosystem::Poetry;
    case PackageTool::Npm:
      return Ecosystem::Npm;
    case PackageTool::Yarn:
      return Ecosystem::Yarn;
    case PackageTool::Pnpm:
      return Ecosystem::Pnpm;
    case PackageTool::Corepack:
      return std::nullopt;
    case PackageTool::Go:
      return Ecosystem::Go;
    case PackageTool::Cargo:
      return Ecosystem::Cargo;
    case PackageTool::Maven:
      return Ecosystem::Maven;
    case PackageTool::Gradle:
      return Ecosystem::Gradle;
    case PackageTool::Bundler:
      return Ecosystem::Bundler;
    case PackageTool::Composer:
      return Ecosystem::Composer;
  }
  return std::nullopt;
}

std::optional<Ecosystem> ecosystemOfProgram(std::string_view program) {
  std::optional<PackageTool> tool = toolNamed(baseName(program));
  return tool ? ecosystemOf(*tool) : std::nullopt;
}

const std::vector<std::string_view>& pipOptionsWithValue() {
  static const std::vector<std::string_view> options = {
      "-r",
      "--requirement",
      "-c",
      "--constraint",
      "-e",
      "--editable",
      "-i",
      "--index-url",
      "--extra-index-url",
      "-f",
      "--find-links",
      "--trusted-host",
      "-t",
      "--target",
      "--prefix",
      "--root",
      "--src",
      "--upgrade-strategy",
      "--platform",
      "--python-version",
      "--implementation",
      "--abi",
      "--progress-bar",
      "--cache-dir",
      "--log",
      "--timeout",
      "--retries",
      "--proxy",
      "--cert",
      "--client-cert",
      "--no-binary",
      "--only-binary",
      "--config-settings",
      "-C",
      "--global-option",
      "--report",
      "--root-user-action",
      "--python",
      "--index-strategy",
  };
  return options;
}

}  // namespace dfopt::engine
