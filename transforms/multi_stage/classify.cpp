#include "transforms/multi_stage/classify.h"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "engine/package_commands.h"

namespace dfopt::transforms::multi_stage {
namespace {

using engine::PackageTool;
using text::baseName;
using text::contains;
using text::isOneOf;
using text::lower;

constexpr std::string_view kAddsPackages =
    "`{}` adds packages that are not in package.json, which the production install would miss";

Classified harmless() { return {Role::Harmless, Tool::None, ""}; }
Classified setup(Tool tool = Tool::None, std::string detail = "") {
  return {Role::Setup, tool, std::move(detail)};
}

Classified install(Tool tool) { return {Role::Install, tool, ""}; }
Classified build(Tool tool) { return {Role::Build, tool, ""}; }
Classified other(std::string why) { return {Role::Other, Tool::None, std::move(why)}; }

// Reasons for Role::Other; `{}` stands for the command.
constexpr std::string_view kUnknownOutput =
    "dfopt cannot tell what `{}` leaves behind for the app at run time";

// Build tools: what the compilers and fetchers of a build stage need, and the app not.
constexpr std::string_view kBuildOnlyPackages[] = {"build-essential",
                                                   "gcc",
                                                   "g++",
                                                   "make",
                                                   "cmake",
                                                   "autoconf",
                                                   "automake",
                                                   "libtool",
                                                   "pkg-config",
                                                   "pkgconf",
                                                   "git",
                                                   "curl",
                                                   "wget",
                                                   "ca-certificates",
                                                   "gnupg",
                                                   "gnupg2",
                                                   "unzip",
                                                   "zip",
                                                   "xz-utils",
                                                   "bzip2",
                                                   "tar",
                                                   "musl-dev",
                                                   "linux-headers",
                                                   "libc-dev",
                                                   "libc6-dev",
                                                   "build-base",
                                                   "binutils",
                                                   "patch",
                                                   "file",
                                                   "dpkg-dev"};

// The reason is a format string: braces in package names must stay text.
std::string bracesEscaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '{' || c == '}') out += c;
  }
  return out;
}

Classified classifySystemPackages(const SourceCommand& command) {
  std::vector<std::string> args =
      operands(command, 1, {"-t", "--target-release", "--virtual", "-o", "-X", "--repository"});
  if (args.empty()) return harmless();
  if (!isOneOf(args[0], std::array<std::string_view, 2>{"install", "add"})) return harmless();
  std::vector<std::string> needed;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string name = args[i].substr(0, args[i].find_first_of("=<>~"));
    if (!isOneOf(name, kBuildOnlyPackages)) needed.push_back(name);
  }
  if (needed.empty()) return setup();
  std::string list = needed.size() > 3
                         ? fmt::format("{}, ...", fmt::join(needed.begin(), needed.begin() + 3, ", "))
                         : fmt::format("{}", fmt::join(needed, ", "));
  return other(fmt::format("`{{}}` installs system packages ({}) that the app may need at run time",
                           bracesEscaped(list)));
}

constexpr std::string_view kPythonTools[] = {"pip",        "setuptools", "wheel",
                                             "poetry",     "pipenv",     "uv",
                                             "virtualenv", "pip-tools",  "poetry-plugin-export"};

// Tests and linters: they check the build and leave nothing the app needs.
constexpr std::string_view kCheckers[] = {"pytest", "mypy", "ruff", "flake8", "black", "pylint", "tox"};

// `pip install ...` (words from `sub`, the subcommand).
Classified classifyPip(const SourceCommand& command, size_t sub) {
  if (command.arg(sub) != "install") return harmless();
  bool requirements = hasOption(command, {"-r", "--requirement", "-e", "--editable"});
  std::vector<std::string> packages = operands(command, sub + 1, engine::pipOptionsWithValue());
  bool onlyTools = std::all_of(packages.begin(), packages.end(), [](const std::string& p) {
    return isOneOf(requirementName(p), kPythonTools);
  });
  if (!requirements && onlyTools) return setup(Tool::Pip);
  return install(Tool::Pip);
}

Classified classifyPython(const SourceCommand& command) {
  if (command.arg(1) == "-m" && isOneOf(command.arg(2), kCheckers)) return harmless();
  if (command.arg(1) == "-m" && command.arg(2) == "venv") {
    std::vector<std::string> dirs = operands(command, 3, {"--prompt"});
    if (dirs.size() == 1) return setup(Tool::Pip, dirs[0]);
  }
  return other(std::string(kUnknownOutput));
}

Classified classifyPoetry(const SourceCommand& command) {
  std::string sub = command.arg(1);
  if (sub == "run" && isOneOf(command.arg(2), kCheckers)) return harmless();
  if (sub == "install") return install(Tool::Poetry);
  if (sub == "build") return build(Tool::Poetry);
  if (isOneOf(sub, std::array<std::string_view, 8>{"config", "self", "--version", "version", "check", "lock",
                                                   "env", "export"})) {
    return setup(Tool::Poetry);
  }
  return other(std::string(kUnknownOutput));
}

Classified classifyNpm(const SourceCommand& command) {
  std::string sub = command.arg(1);
  bool global = hasOption(command, {"-g", "--global"});
  if (isOneOf(sub, std::array<std::string_view, 4>{"ci", "install", "i", "add"})) {
    std::vector<std::string> packages = operands(command, 2, {"--prefix"});
    if (global) {
      bool pnpm = std::any_of(packages.begin(), packages.end(),
                              [](const std::string& p) { return p.starts_with("pnpm"); });
      return setup(pnpm ? Tool::Pnpm : Tool::None);
    }
    if (!packages.empty()) return other(std::string(kAddsPackages));
    return install(Tool::Npm);
  }
  if ((sub == "run" || sub == "run-script") && command.arg(2) == "build") return build(Tool::Npm);
  if (isOneOf(sub, std::array<std::string_view, 6>{"cache", "config", "set", "prune", "audit", "test"}))
    return harmless();
  return other(std::string(kUnknownOutput));
}

Classified classifyYarn(const SourceCommand& command) {
  std::vector<std::string> args = operands(command, 1, {"--cwd", "--modules-folder", "--network-timeout"});
  if (hasOption(command, {"--cwd", "--modules-folder"})) return other("`{}` installs outside its directory");
  if (args.empty() || args[0] == "install") return install(Tool::Yarn);
  if (args[0] == "build" || (args[0] == "run" && args.size() > 1 && args[1] == "build"))
    return build(Tool::Yarn);
  if (args[0] == "global") return setup();
  if (isOneOf(args[0], std::array<std::string_view, 3>{"cache", "config", "test"})) return harmless();
  if (args[0] == "add") return other(std::string(kAddsPackages));
  return other(std::string(kUnknownOutput));
}

Classified classifyPnpm(const SourceCommand& command) {
  std::vector<std::string> args = operands(command, 1, {"--dir", "-C", "--filter"});
  if (args.empty()) return other(std::string(kUnknownOutput));
  if (args[0] == "install" || args[0] == "i") return install(Tool::Pnpm);
  if (args[0] == "build" || (args[0] == "run" && args.size() > 1 && args[1] == "build"))
    return build(Tool::Pnpm);
  if (isOneOf(args[0], std::array<std::string_view, 4>{"config", "store", "fetch", "test"}))
    return harmless();
  return other(std::string(kUnknownOutput));
}

Classified classifyGo(const SourceCommand& command) {
  std::string sub = command.arg(1);
  if (sub == "build") return build(Tool::Go);
  if (sub == "mod") return install(Tool::Go);
  if (sub == "install") {
    std::vector<std::string> packages = operands(command, 2);
    bool tools = !packages.empty() && std::all_of(packages.begin(), packages.end(),
                                                  [](const std::string& p) { return contains(p, "@"); });
    return tools ? setup()
                 : other("`{}` installs the program into GOPATH/bin; dfopt ships what go build makes");
  }
  if (isOneOf(sub, std::array<std::string_view, 6>{"generate", "test", "vet", "version", "env", "get"}))
    return harmless();
  return other(std::string(kUnknownOutput));
}

const std::vector<std::string_view> kMavenOptionsWithValue = {"-f",       "--file",
                                                              "-pl",      "--projects",
                                                              "-P",       "--activate-profiles",
                                                              "-s",       "--settings",
                                                              "-gs",      "--global-settings",
                                                              "-T",       "--threads",
                                                              "-rf",      "--resume-from",
                                                              "-l",       "--log-file",
                                                              "-t",       "--toolchains",
                                                              "-D",       "-b",
                                                              "--builder"};

Classified classifyMaven(const SourceCommand& command) {
  std::vector<std::string> goals = operands(command, 1, kMavenOptionsWithValue);
  bool packages = std::any_of(goals.begin(), goals.end(), [](const std::string& goal) {
    return isOneOf(goal, std::array<std::string_view, 5>{"package", "install", "verify", "deploy",
                                                         "spring-boot:repackage"});
  });
  return packages ? build(Tool::Maven) : install(Tool::Maven);
}

const std::vector<std::string_view> kGradleOptionsWithValue = {"-p",           "--project-dir",
                                                               "-b",           "--build-file",
                                                               "-c",           "--settings-file",
                                                               "-x",           "--exclude-task",
                                                               "-D",           "-P",
                                                               "-g",           "--gradle-user-home",
                                                               "-I",           "--init-script",
                                                               "--console",    "--warning-mode",
                                                               "--max-workers"};

Classified classifyGradle(const SourceCommand& command) {
  std::vector<std::string> tasks = operands(command, 1, kGradleOptionsWithValue);
  bool jars = std::any_of(tasks.begin(), tasks.end(), [](const std::string& task) {
    return isOneOf(baseName(task),
                   std::array<std::string_view, 5>{"build", "assemble", "bootJar", "jar", "shadowJar"});
  });
  return jars ? build(Tool::Gradle) : install(Tool::Gradle);
}

Classified classifyCargo(const SourceCommand& command) {
  std::string sub = command.arg(1);
  if (sub == "build") return build(Tool::Cargo);
  if (sub == "fetch") return install(Tool::Cargo);
  if (sub == "install") return hasOption(command, {"--path"}) ? build(Tool::Cargo) : setup();
  if (isOneOf(sub, std::array<std::string_view, 5>{"test", "check", "clippy", "fmt", "--version"}))
    return harmless();
  return other(std::string(kUnknownOutput));
}

// Commands that leave nothing the app needs (users are checked on their own, see userToWrite).
constexpr std::string_view kHarmlessCommands[] = {
    "mkdir", "rm", "ls",     "sleep",  "echo",    "true",    "set",      "printf",  "which",
    "chmod", "cd", "export", "rustup", "useradd", "adduser", "groupadd", "addgroup"};
constexpr std::string_view kPackageManagers[] = {"apt-get", "apt", "apk", "yum", "dnf", "microdnf"};
// Tools with no production stage recipe besides the package tools classifyPackageCommand turns down.
constexpr std::string_view kUnsupportedTools[] = {"gem", "pdm", "hatch"};

// `node deploy.js`: a script of the project, run with its arguments (not
// `node -e CODE`, nor node's options, which may load other code).
bool isNodeScript(const SourceCommand& command) {
  std::string script = command.arg(1);
  if (script.empty() || script.starts_with('-') || !command.words[1].plain) return false;
  return script.ends_with(".js") || script.ends_with(".mjs") || script.ends_with(".cjs");
}

Classified classifyPackageCommand(const SourceCommand& command, const engine::PackageCommand& package) {
  switch (package.tool) {
    case PackageTool::Pip:
      return classifyPip(command, package.subcommand);
    case PackageTool::Poetry:
      return classifyPoetry(command);
    case PackageTool::Npm:
      return classifyNpm(command);
    case PackageTool::Yarn:
      return classifyYarn(command);
    case PackageTool::Pnpm:
      return classifyPnpm(command);
    case PackageTool::Corepack:
      return setup(Tool::Pnpm);
    case PackageTool::Go:
      return classifyGo(command);
    case PackageTool::Maven:
      return classifyMaven(command);
    case PackageTool::Gradle:
      return classifyGradle(command);
    case PackageTool::Cargo:
      return classifyCargo(command);
    case PackageTool::UvPip:
    case PackageTool::Uv:
    case PackageTool::Pipenv:
    case PackageTool::Bundler:
    case PackageTool::Composer:
      return {Role::Install, Tool::Unsupported, command.name()};
  }
  return other(std::string(kUnknownOutput));
}

}  // namespace

Classified classify(const SourceCommand& command, bool afterPipe) {
  std::string name = command.name();
  if (name.empty()) return harmless();  // only assignments
  if (isOneOf(name, kHarmlessCommands) || isOneOf(name, kCheckers)) return harmless();
  if (isOneOf(name, kPackageManagers)) return classifySystemPackages(command);
  if (name == "curl" || name == "wget") {
    return command.separatorAfter == "|" ? setup() : other(std::string(kUnknownOutput));
  }
  if (afterPipe && (name == "sh" || name == "bash" || engine::isPythonProgram(name)))
    return setup();  // an installer
  if (auto package = engine::packageCommandOfWords(command.words))
    return classifyPackageCommand(command, *package);
  if (engine::isPythonProgram(name)) return classifyPython(command);
  if (name == "virtualenv") {
    std::vector<std::string> dirs = operands(command, 1, {"-p", "--python", "--prompt"});
    if (dirs.size() == 1) return setup(Tool::Pip, dirs[0]);
  }
  if (isOneOf(name, kUnsupportedTools)) return {Role::Install, Tool::Unsupported, name};
  if (name == "node" && isNodeScript(command)) return {Role::Build, Tool::None, std::string(kNodeScript)};
  return other(std::string(kUnknownOutput));
}

std::string toolName(Tool tool) {
  switch (tool) {
    case Tool::Pip:
      return "pip";
    case Tool::Poetry:
      return "Poetry";
    case Tool::Npm:
      return "npm";
    case Tool::Yarn:
      return "yarn";
    case Tool::Pnpm:
      return "pnpm";
    case Tool::Go:
      return "Go";
    case Tool::Maven:
      return "Maven";
    case Tool::Gradle:
      return "Gradle";
    case Tool::Cargo:
      return "Cargo";
    default:
      return "";
  }
}

std::string requirementName(std::string_view spec) {
  return lower(spec.substr(0, spec.find_first_of("=<>!~[;@ ")));
}

}  // namespace dfopt::transforms::multi_stage
