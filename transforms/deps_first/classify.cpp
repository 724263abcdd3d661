// Which commands of a RUN install dependencies, and from which ecosystem;
// which only prepare the tools, clean up, or change the session; and which
// may need the source.
#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "engine/package_commands.h"
#include "model/queries.h"
#include "transforms/deps_first/install.h"
#include "transforms/deps_first/words.h"
#include "util/text.h"

namespace dfopt::transforms::deps_first {

using text::baseName;
using text::isOneOf;

using engine::Ecosystem;
using engine::PackageCommand;
using engine::PackageTool;
using shell::Command;

namespace {

constexpr std::string_view kCargoStubFetch =
    "mkdir -p src && echo 'fn main() {}' > src/main.rs && cargo fetch && rm -rf src";

Classified as(Role role) { return {role, std::nullopt}; }

Classified found(Install install) { return {Role::Install, std::optional<Install>(std::move(install))}; }

Classified installing(Ecosystem ecosystem, std::string label, Step step = Step::Installs) {
  Install install;
  install.ecosystem = ecosystem;
  install.step = step;
  install.label = std::move(label);
  return found(std::move(install));
}

// An install whose early run adds `flags` so that it leaves the project
// out; when they are all there already, the early run does everything.
Classified installingWithout(Ecosystem ecosystem, std::string label, const Command& command,
                             std::initializer_list<std::string_view> flags) {
  Classified result = installing(ecosystem, std::move(label));
  for (std::string_view flag : flags) {
    if (!hasOption(command, 2, {flag})) result.install->addedFlags += " " + std::string(flag);
  }
  result.install->keepLater = !result.install->addedFlags.empty();
  return result;
}

// The package tool a command runs, if any.
using PackageRun = std::optional<PackageCommand>;

bool runs(const PackageRun& package, PackageTool tool) { return package && package->tool == tool; }

Classified classifyPipInstall(const Command& command, size_t from, const std::string& tool) {
  Install install;
  install.ecosystem = Ecosystem::Pip;
  install.label = tool + " install";
  std::optional<std::string> localPath;
  bool namesPackages = false;
  for (size_t i = from; i < command.words.size(); ++i) {
    std::string_view text = command.words[i].value;
    if (auto file = optionValue(command, i, {"-r", "--requirement", "-c", "--constraint"})) {
      install.requirementFiles.push_back(*file);
    } else if (auto path = optionValue(command, i, {"-e", "--editable"})) {
      if (!isVersionControlUrl(*path)) localPath = *path;
    } else if (auto links = optionValue(command, i, {"-f", "--find-links"})) {
      if (isLocalPath(*links)) localPath = *links;
    } else if (isOption(text)) {
      if (isOneOf(text, engine::pipOptionsWithValue())) {
        ++i;
      }
    } else if (isLocalPath(text)) {
      localPath = std::string(text);
    } else {
      namesPackages = true;
    }
  }
  if (install.requirementFiles.empty()) {
    return as(namesPackages && !localPath ? Role::Setup : Role::Other);
  }
  if (localPath) {
    install.problem =
        fmt::format("it also installs the local path {}, which is part of the source", *localPath);
  }
  return found(std::move(install));
}

std::optional<Classified> classifyPython(const Command& command, const PackageRun& package) {
  if (runs(package, PackageTool::Pip) || runs(package, PackageTool::UvPip)) {
    const std::string& sub = word(command, package->subcommand);
    if (sub == "install") {
      return classifyPipInstall(command, package->subcommand + 1,
                                std::string(engine::packageToolName(package->tool)));
    }
    if (sub == "cache") return as(Role::Cleanup);
    if (sub == "config") return as(Role::Setup);
    return as(Role::Other);
  }
  const std::string& sub = word(command, 1);
  if (runs(package, PackageTool::Pipenv)) {
    if (isOneOf(sub, {"install", "sync"}) && positionals(command, 2, {"--python", "--pypi-mirror"}).empty()) {
      return installing(Ecosystem::Pipenv, "pipenv " + sub);
    }
    return as(Role::Other);
  }
  if (runs(package, PackageTool::Poetry)) {
    if (isOneOf(sub, {"install", "sync"}) && !hasOption(command, 2, {"--only-root"})) {
      return installingWithout(Ecosystem::Poetry, "poetry " + sub, command, {"--no-root"});
    }
    if (isOneOf(sub, {"config", "self"})) return as(Role::Setup);
    if (sub == "cache") return as(Role::Cleanup);
    return as(Role::Other);
  }
  if (runs(package, PackageTool::Uv)) {
    if (sub == "sync") return installingWithout(Ecosystem::Uv, "uv sync", command, {"--no-install-project"});
    if (isOneOf(sub, {"venv", "tool", "python"})) return as(Role::Setup);
    if (sub == "cache") return as(Role::Cleanup);
    return as(Role::Other);
  }
  // `python -m venv /opt/venv`: a virtualenv at an absolute path reads no source.
  std::string_view program = text::baseName(word(command, 0));
  if (engine::isPythonProgram(program) && sub == "-m" && word(command, 2) == "venv" &&
      word(command, command.words.size() - 1).starts_with("/")) {
    return as(Role::Setup);
  }
  return std::nullopt;
}

std::optional<Classified> classifyNode(const Command& command, const PackageRun& package) {
  const std::string& sub = word(command, 1);
  auto global = [&] {  // asked only of npm and pnpm
    return hasOption(command, 2, {"-g", "--global"}) || hasOption(command, 2, {"--location=global"});
  };
  if (runs(package, PackageTool::Npm)) {
    if (isOneOf(sub, {"ci", "install", "i", "isntall", "add"})) {
      if (global()) return as(Role::Setup);
      auto packages = positionals(command, 2,
                                  {"--omit", "--include", "--only", "--registry", "--cache", "--loglevel",
                                   "--prefix", "-w", "--workspace"});
      if (packages.empty()) return installing(Ecosystem::Npm, "npm " + sub);
      return as(Role::Other);
    }
    if (sub == "config") return as(Role::Setup);
    if (sub == "cache") return as(Role::Cleanup);
    return as(Role::Other);
  }
  if (runs(package, PackageTool::Yarn)) {
    auto arguments = positionals(command, 1,
                                 {"--network-timeout", "--cache-folder", "--modules-folder", "--mutex",
                                  "--registry", "--network-concurrency"});
    if (arguments.empty() || (sub == "install" && arguments.size() == 1)) {
      Classified install = installing(Ecosystem::Yarn, "yarn install");
      install.install->extraFiles = {".yarn/releases", ".yarn/plugins", ".yarn/patches"};  // Yarn 2+
      return install;
    }
    if (isOneOf(sub, {"global", "config", "set"})) return as(Role::Setup);
    if (sub == "cache") return as(Role::Cleanup);
    return as(Role::Other);
  }
  if (runs(package, PackageTool::Pnpm)) {
    if (isOneOf(sub, {"install", "i", "add"})) {
      if (global()) return as(Role::Setup);
      if (positionals(command, 2, {"--filter", "-F", "--reporter"}).empty()) {
        return installing(Ecosystem::Pnpm, "pnpm install");
      }
      return as(Role::Other);
    }
    if (sub == "config") return as(Role::Setup);
    if (sub == "store") return as(Role::Cleanup);
    return as(Role::Other);
  }
  if (runs(package, PackageTool::Corepack)) {
    return as(isOneOf(sub, {"enable", "prepare", "install"}) ? Role::Setup : Role::Other);
  }
  return std::nullopt;
}

std::optional<Classified> classifyGoOrCargo(const Command& command, const PackageRun& package,
                                            const CommandScope& scope) {
  const std::string& sub = word(command, 1);
  if (runs(package, PackageTool::Go)) {
    if (sub == "mod" && word(command, 2) == "download") {
      return installing(Ecosystem::Go, "go mod download", Step::Downloads);
    }
    if (sub == "build" && !scope.downloadSteps.count(Ecosystem::Go)) {
      Classified build = installing(Ecosystem::Go, "go build", Step::Builds);
      build.install->earlyCommand = "go mod download";
      build.install->keepLater = true;
      return build;
    }
    bool toolInstall = sub == "install" && positionals(command, 2).size() == 1 &&
                       word(command, positionals(command, 2)[0]).find('@') != std::string::npos;
    return as(toolInstall ? Role::Setup : Role::Other);
  }
  if (runs(package, PackageTool::Cargo)) {
    if (sub == "fetch") {
      Classified fetch = installing(Ecosystem::Cargo, "cargo fetch", Step::Downloads);
      fetch.install->earlyCommand = std::string(kCargoStubFetch);
      return fetch;
    }
    if (sub == "build" && !scope.downloadSteps.count(Ecosystem::Cargo)) {
      Classified build = installing(Ecosystem::Cargo, "cargo build", Step::Builds);
      build.install->earlyCommand = std::string(kCargoStubFetch);
      build.install->keepLater = true;
      return build;
    }
    if (sub == "install" && !hasOption(command, 2, {"--path"})) return as(Role::Setup);
    return as(Role::Other);
  }
  return std::nullopt;
}

bool isRelativeFile(std::string_view path) {
  return !path.empty() && !path.starts_with("/") && !path.starts_with("$") && !path.starts_with("~");
}

std::optional<Classified> classifyMaven(const Command& command, const PackageRun& package,
                                        const CommandScope& scope) {
  if (!runs(package, PackageTool::Maven)) return std::nullopt;
  const std::string& exe = word(command, 0);
  Install install;
  install.ecosystem = Ecosystem::Maven;
  install.extraFiles = {".mvn"};
  if (baseName(exe) == "mvnw") install.extraFiles.push_back("mvnw");
  std::vector<std::string> goals;
  std::string options;
  for (size_t i = 1; i < command.words.size(); ++i) {
    size_t first = i;
    if (auto settings = optionValue(
            command, i, {"-s", "--settings", "-gs", "--global-settings", "-t", "--toolchains"}, false)) {
      if (isRelativeFile(*settings)) {
        install.problem = fmt::format("mvn reads {} from the source", *settings);
      }
    } else if (auto pom = optionValue(command, i, {"-f", "--file"}, false)) {
      if (!isOneOf(*pom, {"pom.xml", "./pom.xml"})) install.problem = fmt::format("mvn builds {}", *pom);
    } else if (isOneOf(word(command, i),
                       {"-P", "--activate-profiles", "-pl", "--projects", "-rf", "--resume-from", "-T",
                        "--threads", "-l", "--log-file", "-b", "--builder", "-D", "--define"})) {
      ++i;
    } else if (!isOption(word(command, i))) {
      goals.push_back(word(command, i));
      continue;
    }
    options += " " + rawWords(command, first, i + 1);
  }
  if (goals.empty()) return as(Role::Other);
  install.label = exe;
  for (const std::string& goal : goals) install.label += " " + goal;
  bool onlyDependencies = std::all_of(
      goals.begin(), goals.end(), [](const std::string& goal) { return goal.starts_with("dependency:"); });
  if (onlyDependencies) {
    install.step = Step::Downloads;
    return found(std::move(install));
  }
  if (scope.downloadSteps.count(Ecosystem::Maven)) return as(Role::Other);
  install.step = Step::Builds;
  install.keepLater = true;
  bool batch = hasOption(command, 1, {"-B", "--batch-mode"});
  install.earlyCommand = command.words[0].raw + (batch ? "" : " -B") + options + " dependency:go-offline";
  return found(std::move(install));
}

std::optional<Classified> classifyGradle(const Command& command, const PackageRun& package,
                                         const CommandScope& scope) {
  size_t exeWords = runs(package, PackageTool::Gradle) ? 1 : 0;
  if (isOneOf(word(command, 0), {"sh", "bash"}) && baseName(word(command, 1)) == "gradlew") exeWords = 2;
  if (exeWords == 0) return std::nullopt;
  Install install;
  install.ecosystem = Ecosystem::Gradle;
  for (size_t i = exeWords; i < command.words.size(); ++i) {
    if (auto path = optionValue(
            command, i,
            {"-p", "--project-dir", "-b", "--build-file", "-c", "--settings-file", "-I", "--init-script"},
            false)) {
      if (isRelativeFile(*path)) install.problem = fmt::format("gradle reads {} from the source", *path);
    }
  }
  auto tasks = positionals(command, exeWords,
                           {"-x", "--exclude-task", "-p", "--project-dir", "-b", "--build-file", "-c",
                            "--settings-file", "-I", "--init-script", "-g", "--gradle-user-home"});
  if (tasks.empty()) return as(Role::Other);
  install.label = rawWords(command, 0, exeWords);
  for (size_t task : tasks) install.label += " " + word(command, task);
  if (tasks.size() == 1 && word(command, tasks[0]) == "dependencies") {
    install.step = Step::Downloads;
    return found(std::move(install));
  }
  if (scope.downloadSteps.count(Ecosystem::Gradle)) return as(Role::Other);
  install.step = Step::Builds;
  install.keepLater = true;
  install.earlyCommand = rawWords(command, 0, exeWords) + " dependencies --no-daemon";
  return found(std::move(install));
}

std::optional<Classified> classifyRubyOrPhp(const Command& command, const PackageRun& package) {
  std::string_view name = baseName(word(command, 0));
  const std::string& sub = word(command, 1);
  if (runs(package, PackageTool::Bundler)) {
    if (sub.empty() || sub == "install" || isOption(sub))
      return installing(Ecosystem::Bundler, "bundle install");
    if (sub == "config") return as(Role::Setup);
    return as(Role::Other);
  }
  if (name == "gem") return as(sub == "install" ? Role::Setup : Role::Other);
  if (runs(package, PackageTool::Composer)) {
    if (sub == "install") {
      return installingWithout(Ecosystem::Composer, "composer install", command,
                               {"--no-scripts", "--no-autoloader"});
    }
    if (isOneOf(sub, {"config", "global", "self-update"})) return as(Role::Setup);
    if (isOneOf(sub, {"clear-cache", "clearcache", "cc"})) return as(Role::Cleanup);
    return as(Role::Other);
  }
  return std::nullopt;
}

std::optional<Classified> classifySystemPackages(const Command& command, const PackageRun&) {
  std::string_view name = baseName(word(command, 0));
  const std::string& sub = word(command, 1);
  if (isOneOf(name, {"apt-get", "apt"})) {
    return as(isOneOf(sub, {"clean", "autoclean", "purge", "remove", "autoremove"}) ? Role::Cleanup
                                                                                    : Role::Setup);
  }
  if (name == "apk") return as(isOneOf(sub, {"del", "cache"}) ? Role::Cleanup : Role::Setup);
  if (isOneOf(name, {"yum", "dnf", "microdnf"})) {
    return as(isOneOf(sub, {"clean", "remove", "erase", "autoremove"}) ? Role::Cleanup : Role::Setup);
  }
  return std::nullopt;
}

// rm of paths outside the source (caches, package lists) cleans up; rm of
// the source's own files edits the source.
Role removalRole(const Command& command, const CommandScope& scope) {
  for (size_t index : positionals(command, 1)) {
    const std::string& path = word(command, index);
    if (path.starts_with("~") || path.starts_with("$")) continue;
    if (!path.starts_with("/")) return Role::Other;
    if (!scope.sourceDirectory.empty() && relativeTo(model::resolvePath("/", path), scope.sourceDirectory)) {
      return Role::Other;
    }
  }
  return Role::Cleanup;
}

Role shellRole(const Command& command) {
  const std::string& name = word(command, 0);
  if (name == "cd") {
    bool literal = command.words.size() == 2 && !command.words[1].hasExpansion &&
                   !isOneOf(word(command, 1), {"-", "~"}) && !word(command, 1).starts_with("~");
    return literal ? Role::Session : Role::Other;
  }
  if (isOneOf(name, {"export", "set"})) return Role::Session;
  // chmod +x gradlew: the wrapper is copied with the manifests.
  if (name == "chmod" && command.words.size() == 3 &&
      isOneOf(word(command, 2), {"gradlew", "./gradlew", "mvnw", "./mvnw"})) {
    return Role::Setup;
  }
  return Role::Other;
}

// Does the command name a file of the source ("apt-get install ./x.deb")?
bool namesRelativePath(const Command& command) {
  return std::any_of(command.words.begin() + 1, command.words.end(), [](const shell::Word& w) {
    return w.value == "." || w.value.starts_with("./") || w.value.starts_with("../");
  });
}

}  // namespace

Classified classify(const Command& command, const CommandScope& scope) {
  if (command.words.empty() || command.words[0].hasExpansion) {
    return as(command.words.empty() && !command.assignments.empty() ? Role::Session : Role::Other);
  }
  PackageRun package = engine::packageCommandOfWords(command.words);
  for (auto classifier : {classifyPython, classifyNode, classifyRubyOrPhp, classifySystemPackages}) {
    if (auto classified = classifier(command, package)) {
      return classified->role == Role::Setup && namesRelativePath(command) ? as(Role::Other) : *classified;
    }
  }
  if (auto classified = classifyGoOrCargo(command, package, scope)) return *classified;
  if (auto classified = classifyMaven(command, package, scope)) return *classified;
  if (auto classified = classifyGradle(command, package, scope)) return *classified;
  if (word(command, 0) == "rm") return as(removalRole(command, scope));
  return as(shellRole(command));
}

}  // namespace dfopt::transforms::deps_first
