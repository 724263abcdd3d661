// deps-first: install dependencies from their manifests before the
// instruction that copies the whole source, so that editing the source no
// longer re-runs the install. When an install RUN follows a full copy
// (`COPY . .`, `COPY app/ /srv/`), a COPY of just the manifests and lock
// files and a RUN of the install (adjusted to need no source) go above the
// copy; the later RUN keeps only what still needs the source.
#include <algorithm>
#include <initializer_list>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/ecosystem.h"
#include "engine/instruction_edits.h"
#include "engine/package_commands.h"
#include "engine/style.h"
#include "model/queries.h"
#include "model/variables.h"
#include "shell/script.h"
#include "transforms/transforms.h"
#include "util/text.h"

namespace dfopt::transforms {
namespace {

using text::baseName;
using text::isOneOf;

using engine::Ecosystem;
using engine::Edit;
using engine::Finding;
using engine::PackageCommand;
using engine::PackageTool;
using engine::Severity;
using model::Instruction;
using shell::Command;

constexpr std::string_view kCargoStubFetch =
    "mkdir -p src && echo 'fn main() {}' > src/main.rs && cargo fetch && rm -rf src";

// ---------------------------------------------------------------------------
// Command words

std::string word(const Command& command, size_t index) {
  return index < command.words.size() ? command.words[index].value : std::string();
}

bool isOption(std::string_view text) { return text.size() > 1 && text[0] == '-'; }

bool hasOption(const Command& command, size_t from, std::initializer_list<std::string_view> names) {
  for (size_t i = from; i < command.words.size(); ++i) {
    std::string_view text = command.words[i].value;
    for (std::string_view name : names) {
      if (text == name || (name.starts_with("--") && text.starts_with(std::string(name) + "="))) return true;
    }
  }
  return false;
}

// The value of one of the options `names` at word `i` ("-r x",
// "--requirement=x", and "-rx" when `glued`); `i` moves past a value given
// as its own word.
std::optional<std::string> optionValue(const Command& command, size_t& i,
                                       std::initializer_list<std::string_view> names, bool glued = true) {
  std::string_view text = command.words[i].value;
  for (std::string_view name : names) {
    if (text == name) {
      if (i + 1 >= command.words.size()) return std::nullopt;
      return command.words[++i].value;
    }
    if (name.starts_with("--") && text.starts_with(std::string(name) + "=")) {
      return std::string(text.substr(name.size() + 1));
    }
    if (glued && name.size() == 2 && !text.starts_with("--") && text.starts_with(name) && text.size() > 2) {
      return std::string(text.substr(2));
    }
  }
  return std::nullopt;
}

// Indexes of the words from `from` on that are not options, nor the values
// of the options in `withValue` given as their own word.
std::vector<size_t> positionals(const Command& command, size_t from,
                                std::initializer_list<std::string_view> withValue = {}) {
  std::vector<size_t> out;
  for (size_t i = from; i < command.words.size(); ++i) {
    std::string_view text = command.words[i].value;
    if (!isOption(text)) {
      out.push_back(i);
    } else if (isOneOf(text, withValue)) {
      ++i;
    }
  }
  return out;
}

std::string rawWords(const Command& command, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to && i < command.words.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += command.words[i].raw;
  }
  return out;
}

// `path` relative to the absolute directory `base` ("." when equal), or
// nothing when it lies outside it.
std::optional<std::string> relativeTo(std::string_view path, std::string_view base) {
  if (path == base) return ".";
  std::string prefix = base == "/" ? "/" : std::string(base) + "/";
  if (!path.starts_with(prefix)) return std::nullopt;
  return std::string(path.substr(prefix.size()));
}

bool isLocalPath(std::string_view text) {
  if (text.starts_with(".") || text.starts_with("/") || text.starts_with("~") || text.starts_with("file:")) {
    return true;
  }
  return text.find('/') != std::string_view::npos && text.find("://") == std::string_view::npos;
}

bool isVersionControlUrl(std::string_view text) {
  for (std::string_view scheme : {"git+", "hg+", "svn+", "bzr+"}) {
    if (text.starts_with(scheme)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// What a command does

enum class Role {
  Session,  // changes only the rest of its RUN (cd, export): kept in both RUNs
  Setup,    // prepares the tools without reading the source (apt-get, npm i -g, poetry config)
  Install,  // installs dependencies from the manifests
  Cleanup,  // removes what the commands before it left behind
  Other,    // anything else: it may need the source
};

enum class Step {
  Installs,   // installs from the manifests (pip install -r, npm ci, poetry install)
  Downloads,  // only downloads (go mod download, cargo fetch, mvn dependency:go-offline)
  Builds,     // builds the project, downloading what it needs (go build, cargo build, mvn package)
};

struct Install {
  Ecosystem ecosystem = Ecosystem::Pip;
  Step step = Step::Installs;
  std::string label;         // how messages name it: "pip install", "npm ci"
  std::string earlyCommand;  // what the early RUN runs instead of it (empty: it as written)
  std::string addedFlags;    // appended to it in the early RUN, so that it needs no source
  bool keepLater = false;    // the later RUN still runs it: it builds or installs the project
  std::vector<std::string> requirementFiles;  // pip: the -r and -c files as written
  std::vector<std::string> extraFiles;        // wrapper files it reads besides the manifests
  std::optional<std::string> problem;         // why it cannot run before the source
};

struct Classified {
  Role role = Role::Other;
  std::optional<Install> install;
};

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

// Where the commands of an install RUN run, for telling cleanups from
// source edits.
struct CommandScope {
  std::string sourceDirectory;        // where the full copy puts the source
  std::set<Ecosystem> downloadSteps;  // ecosystems the stage downloads for explicitly
};

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
      if (isOneOf(text, {"-i",
                         "--index-url",
                         "--extra-index-url",
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
                         "--only-binary",
                         "--no-binary",
                         "--progress-bar",
                         "--cache-dir",
                         "--log",
                         "--timeout",
                         "--retries",
                         "--proxy",
                         "--cert",
                         "--client-cert",
                         "--trusted-host",
                         "-C",
                         "--config-settings",
                         "--global-option",
                         "--report",
                         "--root-user-action",
                         "--python",
                         "--index-strategy"})) {
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
    std::string sub = word(command, package->subcommand);
    if (sub == "install") {
      return classifyPipInstall(command, package->subcommand + 1,
                                std::string(engine::packageToolName(package->tool)));
    }
    if (sub == "cache") return as(Role::Cleanup);
    if (sub == "config") return as(Role::Setup);
    return as(Role::Other);
  }
  std::string sub = word(command, 1);
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
  return std::nullopt;
}

std::optional<Classified> classifyNode(const Command& command, const PackageRun& package) {
  std::string sub = word(command, 1);
  bool global = hasOption(command, 2, {"-g", "--global"}) || hasOption(command, 2, {"--location=global"});
  if (runs(package, PackageTool::Npm)) {
    if (isOneOf(sub, {"ci", "install", "i", "isntall", "add"})) {
      if (global) return as(Role::Setup);
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
      if (global) return as(Role::Setup);
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
  std::string sub = word(command, 1);
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
  std::string exe = word(command, 0);
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
  std::string name(baseName(word(command, 0)));
  std::string sub = word(command, 1);
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
  std::string name(baseName(word(command, 0)));
  std::string sub = word(command, 1);
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
    std::string path = word(command, index);
    if (path.starts_with("~") || path.starts_with("$")) continue;
    if (!path.starts_with("/")) return Role::Other;
    if (!scope.sourceDirectory.empty() && relativeTo(model::resolvePath("/", path), scope.sourceDirectory)) {
      return Role::Other;
    }
  }
  return Role::Cleanup;
}

Role shellRole(const Command& command) {
  std::string name = word(command, 0);
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

Classified classify(const Command& command, const CommandScope& scope) {
  if (command.words.empty() || command.words[0].hasExpansion) {
    return as(command.words.empty() && !command.assignments.empty() ? Role::Session : Role::Other);
  }
  std::vector<std::string> values;
  for (const shell::Word& w : command.words) values.push_back(w.value);
  PackageRun package = engine::packageCommandOf(values);
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

// ---------------------------------------------------------------------------
// The RUN's commands

// The commands of a RUN: its shell script, or its exec form as one command.
shell::Script scriptOf(const Instruction& run) {
  if (!run.heredocs.empty()) return shell::parseScript(run.heredocs.front().content);
  if (!run.jsonForm) return shell::parseScript(run.argumentsText);
  shell::Script script;
  Command command;
  for (const auto& node : run.buildkit.next) {
    shell::Word value;
    value.value = value.raw = node.value;
    command.words.push_back(std::move(value));
  }
  script.commands.push_back(std::move(command));
  return script;
}

std::vector<Install> installsIn(const shell::Script& script, const CommandScope& scope) {
  std::vector<Install> installs;
  for (const Command& command : script.commands) {
    if (auto install = classify(command, scope).install) installs.push_back(std::move(*install));
  }
  return installs;
}

// The installs a script runs. In a script with shell constructs the
// tokenizer does not follow, those of each piece between operators, once
// its leading reserved words are dropped.
std::vector<Install> installsOf(const Instruction& run, const CommandScope& scope) {
  shell::Script script = scriptOf(run);
  if (!script.complex) return installsIn(script, scope);
  static const std::regex separators(R"(&&|\|\||[;|&\n(){}`])");
  static const std::regex reservedWords(R"(^\s*((if|then|else|elif|do|while|until|!)\s+)+)");
  const std::string& text = run.heredocs.empty() ? run.argumentsText : run.heredocs.front().content;
  std::vector<Install> installs;
  for (std::sregex_token_iterator piece(text.begin(), text.end(), separators, -1), end; piece != end;
       ++piece) {
    std::string command = std::regex_replace(piece->str(), reservedWords, "");
    for (Install& install : installsIn(shell::parseScript(command), scope))
      installs.push_back(std::move(install));
  }
  return installs;
}

bool isSequence(std::string_view separator) { return isOneOf(separator, {"&&", ";", "\n", ""}); }

std::string commandText(const Command& command) {
  std::string out;
  for (const auto& group : {command.assignments, command.words}) {
    for (const shell::Word& w : group) out += (out.empty() ? "" : " ") + w.raw;
  }
  return out;
}

// The commands that run early: [0, end). Session commands run in both
// RUNs; the later RUN keeps the rest only when an install in it must run
// again there.
struct Segment {
  size_t end = 0;
  std::vector<Role> roles;
  std::vector<std::optional<Install>> installs;  // per command
  std::optional<std::string> problem;

  bool keepsInstallLater() const {
    return std::any_of(installs.begin(), installs.begin() + static_cast<long>(end),
                       [](const std::optional<Install>& install) { return install && install->keepLater; });
  }
  bool keptLater(size_t index) const {
    return index >= end || roles[index] == Role::Session || keepsInstallLater();
  }
};

Segment segmentOf(const shell::Script& script, const CommandScope& scope) {
  Segment segment;
  const auto& commands = script.commands;
  for (const Command& command : commands) {
    Classified classified = classify(command, scope);
    segment.roles.push_back(classified.role);
    segment.installs.push_back(std::move(classified.install));
  }
  size_t first = std::find(segment.roles.begin(), segment.roles.end(), Role::Install) - segment.roles.begin();
  for (size_t i = 0; i < first; ++i) {
    if (segment.roles[i] == Role::Other) {
      segment.problem = fmt::format("`{}` runs before it in the same RUN and may need the source",
                                    commandText(commands[i]));
      return segment;
    }
    if (!isSequence(commands[i].separatorAfter)) {
      segment.problem = fmt::format("the RUN joins its commands with `{}`", commands[i].separatorAfter);
      return segment;
    }
  }
  segment.end = first + 1;
  for (size_t i = first + 1; i < commands.size(); ++i) {
    if (!isSequence(commands[i - 1].separatorAfter) || segment.roles[i] == Role::Other) break;
    if (segment.roles[i] == Role::Install || segment.roles[i] == Role::Cleanup) segment.end = i + 1;
  }
  if (!isSequence(commands[segment.end - 1].separatorAfter)) {
    segment.problem = fmt::format("it is followed by `{}`", commands[segment.end - 1].separatorAfter);
    return segment;
  }
  for (size_t i = segment.end; i < commands.size(); ++i) {
    if (segment.roles[i] == Role::Cleanup) {
      segment.problem = fmt::format(
          "`{}` cleans up later in the same RUN: splitting it would keep what it removes in an earlier layer",
          commandText(commands[i]));
      return segment;
    }
  }
  for (size_t i = 0; i < segment.end; ++i) {
    if (segment.installs[i] && segment.installs[i]->problem) {
      segment.problem = *segment.installs[i]->problem;
      return segment;
    }
  }
  return segment;
}

// ---------------------------------------------------------------------------
// The full copy

struct FullCopy {
  size_t index = 0;
  std::vector<std::string> sourceDirectories;  // context directories it copies ("." for all)
  std::string writtenDestination;
  std::string destination;  // absolute
  std::optional<std::string> problem;
};

std::optional<std::string> expanded(const std::string& text, const model::Dockerfile& file, size_t index) {
  if (!model::hasVariable(text)) return text;
  return model::expandVariables(text, model::variablesBefore(file, index));
}

std::string argumentValue(const Instruction& instruction, size_t index) {
  return instruction.jsonForm ? instruction.buildkit.next[index].value : instruction.arguments[index].text;
}

// A COPY or ADD of whole directories of the build context, or nothing.
std::optional<FullCopy> fullCopyAt(const model::Dockerfile& file, size_t index,
                                   const context::BuildContext& context) {
  const Instruction& copy = file.instructions[index];
  if (!(copy.is("copy") || copy.is("add")) || copy.flag("from") || !copy.heredocs.empty())
    return std::nullopt;
  size_t count = copy.jsonForm ? copy.buildkit.next.size() : copy.arguments.size();
  if (count < 2) return std::nullopt;
  FullCopy full;
  full.index = index;
  for (size_t i = 0; i + 1 < count; ++i) {
    auto source = expanded(argumentValue(copy, i), file, index);
    if (!source) continue;
    std::string path = context::cleanPath(*source);
    if (path == "." || context.isDirectory(path)) full.sourceDirectories.push_back(path);
  }
  if (full.sourceDirectories.empty()) return std::nullopt;
  full.writtenDestination = argumentValue(copy, count - 1);
  auto destination = expanded(full.writtenDestination, file, index);
  auto workdir = model::workdirBefore(file, index);
  if (!destination || !workdir) {
    full.problem = "the copy's destination uses a variable with no known value";
  } else {
    full.destination = model::resolvePath(*workdir, model::unquoteValue(*destination));
  }
  for (std::string_view flag : {"parents", "exclude"}) {
    if (copy.flag(flag)) full.problem = fmt::format("the copy uses --{}, which dfopt does not mirror", flag);
  }
  return full;
}

// ---------------------------------------------------------------------------
// The manifests

struct Manifest {
  std::string path;      // in the context
  std::string relative;  // to the copied directory
  bool directory = false;
};

struct Manifests {
  std::vector<Manifest> files;
  std::optional<std::string> problem;
};

std::string parentOf(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

std::string joinContextPath(std::string_view directory, std::string_view relative) {
  if (relative == "." || relative.empty()) return std::string(directory);
  return context::cleanPath(engine::contextPath(directory, relative));
}

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
      addRequirementFile(context, joinContextPath(parentOf(path), *included), copied, manifests);
      if (manifests.problem) return;
    }
  }
}

// The requirements files a pip install names, found in the copy: the
// install runs in `cwd`; the copy puts `copied` at `destination`.
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

// The manifests that must exist for the install to run at all.
std::vector<std::string_view> requiredManifests(Ecosystem ecosystem) {
  switch (ecosystem) {
    case Ecosystem::Poetry:
    case Ecosystem::Uv:
      return {"pyproject.toml"};
    case Ecosystem::Pipenv:
      return {"Pipfile"};
    case Ecosystem::Npm:
    case Ecosystem::Yarn:
    case Ecosystem::Pnpm:
      return {"package.json"};
    case Ecosystem::Go:
      return {"go.mod"};
    case Ecosystem::Cargo:
      return {"Cargo.toml"};
    case Ecosystem::Maven:
      return {"pom.xml"};
    case Ecosystem::Gradle:
      return {"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"};
    case Ecosystem::Bundler:
      return {"Gemfile"};
    case Ecosystem::Composer:
      return {"composer.json"};
    case Ecosystem::Pip:
      return {};
  }
  return {};
}

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

// Why the manifests alone cannot drive the install, read from their content.
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

// The manifests of a (non-pip) install in context directory `directory`.
Manifests ecosystemManifests(const Install& install, const context::BuildContext& context,
                             const std::string& directory, const std::string& copied) {
  Manifests manifests;
  auto required = requiredManifests(install.ecosystem);
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

// ---------------------------------------------------------------------------
// The new lines

std::string joinNames(const std::vector<std::string>& names, std::string_view separator) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : std::string(separator)) + name;
  return out;
}

// The destination of `subdirectory` of the copied directory, written like
// the full copy's destination ("." -> "./", "/app" -> "/app/").
std::string destinationFor(std::string_view written, std::string_view subdirectory) {
  std::string base(written);
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  std::string out = base == "/" ? "/" : base + "/";
  if (!subdirectory.empty() && subdirectory != ".") out += std::string(subdirectory) + "/";
  return out;
}

bool hasBlank(std::string_view text) { return text.find_first_of(" \t") != std::string_view::npos; }

std::string copyArguments(const std::vector<std::string>& sources, const std::string& destination,
                          bool json) {
  std::vector<std::string> all = sources;
  all.push_back(destination);
  json = json || std::any_of(all.begin(), all.end(), [](const std::string& path) { return hasBlank(path); });
  if (!json) return joinNames(all, " ");
  std::vector<std::string> quoted;
  for (const std::string& path : all) quoted.push_back(nlohmann::json(path).dump());
  return "[" + joinNames(quoted, ", ") + "]";
}

// The full copy's flags as written (--chown, --chmod, --link), those COPY
// accepts.
std::string copyFlags(const model::Dockerfile& file, const Instruction& copy) {
  std::string flags;
  for (const model::Flag& flag : copy.flags) {
    if (isOneOf(flag.name, {"checksum", "keep-git-dir", "unpack"})) continue;
    flags += file.source->bytes().substr(flag.range.begin, flag.range.size()) + " ";
  }
  return flags;
}

// COPY lines for the manifests not copied yet: one per destination
// directory, and one per directory manifest (gradle/, .mvn/).
std::string copyLines(const model::Dockerfile& file, const Instruction& copy,
                      const std::string& writtenDestination, const std::vector<Manifest>& manifests) {
  engine::Style style(file);
  std::string indentation = style.indentationAt(file, copy.range.begin);
  std::string flags = copyFlags(file, copy);
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // destination -> sources
  for (const Manifest& manifest : manifests) {
    std::string destination = destinationFor(
        writtenDestination, manifest.directory ? manifest.relative : parentOf(manifest.relative));
    auto group =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == destination; });
    if (manifest.directory || group == groups.end()) {
      groups.push_back({destination, {manifest.path}});
    } else {
      group->second.push_back(manifest.path);
    }
  }
  std::string lines;
  for (const auto& [destination, sources] : groups) {
    lines += indentation + style.line("COPY", flags + copyArguments(sources, destination, copy.jsonForm));
  }
  return lines;
}

// Source range of the script bytes [begin, end) of a RUN.
model::ByteRange sourceOf(const Instruction& run, size_t begin, size_t end) {
  return run.line.sourceRange(run.argumentsBegin + begin, run.argumentsBegin + end);
}

bool containsComment(const Instruction& run, model::ByteRange range) {
  return std::any_of(run.innerComments.begin(), run.innerComments.end(), [&](const model::Comment& comment) {
    return comment.range.begin >= range.begin && comment.range.begin < range.end;
  });
}

// Edits removing the script bytes [begin, end) of a RUN. Across comment
// lines inside the RUN, only the script's own bytes go, so the comments,
// the line continuations around them and the indentation of the lines
// stay.
std::vector<Edit> removeScriptBytes(const model::Dockerfile& file, const Instruction& run, size_t begin,
                                    size_t end) {
  model::ByteRange whole = sourceOf(run, begin, end);
  if (!containsComment(run, whole)) return {{whole, ""}};
  std::string_view bytes = file.source->bytes();
  auto isBlank = [&](uint32_t offset) { return bytes[offset] == ' ' || bytes[offset] == '\t'; };
  std::vector<Edit> edits;
  const auto& offsets = run.line.offsets;
  size_t at = run.argumentsBegin + begin;
  size_t stop = run.argumentsBegin + end;
  while (at < stop) {
    size_t next = at + 1;
    while (next < stop && offsets[next] == offsets[next - 1] + 1) ++next;
    uint32_t from = offsets[at];
    uint32_t to = offsets[next - 1] + 1;
    if (from == engine::lineStart(bytes, from)) {
      while (from < to && isBlank(from)) ++from;
    }
    if (from < to) edits.push_back({{from, to}, ""});
    at = next;
  }
  return edits;
}

// ---------------------------------------------------------------------------
// The plan for one install RUN

struct Plan {
  std::vector<Manifest> manifests;
  std::vector<Install> installs;
  std::optional<std::string> problem;
};

// The manifests of every install of the segment, each found where it runs.
Plan planInstalls(const model::Dockerfile& file, size_t runIndex, const shell::Script& script,
                  const Segment& segment, const FullCopy& copy, const context::BuildContext& context) {
  Plan plan;
  auto workdir = model::workdirBefore(file, runIndex);
  if (!workdir) {
    plan.problem = "the working directory uses a variable with no known value";
    return plan;
  }
  std::string cwd = *workdir;
  for (size_t i = 0; i < segment.end; ++i) {
    const Command& command = script.commands[i];
    if (word(command, 0) == "cd" && segment.roles[i] == Role::Session)
      cwd = model::resolvePath(cwd, word(command, 1));
    if (!segment.installs[i]) continue;
    const Install& install = *segment.installs[i];
    auto inCopy = relativeTo(cwd, copy.destination);
    if (!inCopy) {
      plan.problem = fmt::format("{} runs in {}, but the copy puts the source in {}", install.label, cwd,
                                 copy.destination);
      return plan;
    }
    // Of the copied directories, the one that holds the install's manifests.
    Manifests manifests;
    for (const std::string& copied : copy.sourceDirectories) {
      manifests = install.ecosystem == Ecosystem::Pip
                      ? requirementManifests(install, context, cwd, copied, copy.destination)
                      : ecosystemManifests(install, context, joinContextPath(copied, *inCopy), copied);
      if (!manifests.problem) break;
    }
    if (manifests.problem) {
      plan.problem = *manifests.problem;
      return plan;
    }
    for (const Manifest& manifest : manifests.files) {
      bool known = std::any_of(plan.manifests.begin(), plan.manifests.end(),
                               [&](const Manifest& m) { return m.path == manifest.path; });
      if (!known) plan.manifests.push_back(manifest);
    }
    plan.installs.push_back(install);
  }
  return plan;
}

// The early RUN: the segment's commands as written, each install adjusted
// so that it needs no source, and comment lines left to the later RUN.
std::optional<std::string> earlyRunText(const model::Dockerfile& file, const Instruction& run,
                                        const shell::Script& script, const Segment& segment,
                                        bool removesRun) {
  const std::string& bytes = file.source->bytes();
  const auto& commands = script.commands;
  // A RUN that moves as a whole keeps its trailing session commands too.
  bool toEnd = removesRun || segment.end == commands.size();
  uint32_t begin = run.range.begin;
  uint32_t end = toEnd ? engine::blockEnd(file, run) : sourceOf(run, 0, commands[segment.end - 1].end).end;
  std::vector<Edit> edits;
  for (size_t i = 0; i < segment.end; ++i) {
    if (!segment.installs[i]) continue;
    const Install& install = *segment.installs[i];
    model::ByteRange range = sourceOf(run, commands[i].begin, commands[i].end);
    if (!install.earlyCommand.empty()) {
      if (removesRun && containsComment(run, range)) return std::nullopt;
      edits.push_back({{range.begin - begin, range.end - begin}, install.earlyCommand});
    } else if (!install.addedFlags.empty()) {
      // After the last word, so that the flags come before any redirection.
      uint32_t at = sourceOf(run, commands[i].words.back().begin, commands[i].words.back().end).end - begin;
      edits.push_back({{at, at}, install.addedFlags});
    }
  }
  if (!removesRun) {
    for (const model::Comment& comment : run.innerComments) {
      if (comment.range.begin < begin || comment.range.begin >= end) continue;
      uint32_t lineBegin = engine::lineStart(bytes, comment.range.begin);
      uint32_t lineEnd = engine::nextLineStart(bytes, comment.range.begin);
      bool inEdit = std::any_of(edits.begin(), edits.end(), [&](const Edit& edit) {
        return lineBegin - begin < edit.range.end && lineEnd - begin > edit.range.begin;
      });
      if (!inEdit) edits.push_back({{lineBegin - begin, lineEnd - begin}, ""});
    }
  }
  auto text = engine::applyEdits(std::string_view(bytes).substr(begin, end - begin), edits);
  if (!text) return std::nullopt;
  uint32_t start = removesRun ? engine::blockStart(file, run) : engine::lineStart(bytes, run.range.begin);
  std::string out = bytes.substr(start, begin - start) + *text;
  if (out.back() != '\n') out += engine::Style(file).newline();
  return out;
}

// Removes the RUN's block and, between two blank lines, one of them.
Edit removeRunBlock(const model::Dockerfile& file, const Instruction& run) {
  Edit edit = engine::removeBlock(file, run);
  std::string_view bytes = file.source->bytes();
  if (engine::followsBlankLine(file, run) && engine::isBlankLine(bytes, edit.range.end)) {
    edit.range.end = engine::nextLineStart(bytes, edit.range.end);
  }
  return edit;
}

// What stays of the RUN after the copy: its commands minus those that ran
// early for good.
std::vector<Edit> laterRunEdits(const model::Dockerfile& file, const Instruction& run,
                                const shell::Script& script, const Segment& segment, bool removesRun) {
  if (removesRun) return {removeRunBlock(file, run)};
  std::vector<Edit> edits;
  const auto& commands = script.commands;
  size_t i = 0;
  while (i < commands.size()) {
    if (segment.keptLater(i)) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j + 1 < commands.size() && !segment.keptLater(j + 1)) ++j;
    // A kept command follows: the removed ones go with their operators.
    for (Edit& edit : removeScriptBytes(file, run, commands[i].begin, commands[j + 1].begin))
      edits.push_back(edit);
    i = j + 1;
  }
  return edits;
}

bool removesWholeRun(const Segment& segment, size_t commandCount) {
  for (size_t i = 0; i < commandCount; ++i) {
    if (segment.keptLater(i) && segment.roles[i] != Role::Session) return false;
  }
  return true;
}

std::string successMessage(const Plan& plan) {
  std::vector<std::string> files;
  std::vector<std::string> labels;
  for (const Manifest& manifest : plan.manifests)
    files.push_back(manifest.path + (manifest.directory ? "/" : ""));
  for (const Install& install : plan.installs) labels.push_back(install.label);
  auto any = [&](auto predicate) {
    return std::any_of(plan.installs.begin(), plan.installs.end(), predicate);
  };
  bool installs = any([](const Install& install) { return install.step == Step::Installs; });
  std::string what = fmt::format("{} dependencies from {} before copying the source",
                                 installs ? "install" : "download", joinNames(files, ", "));
  if (any([](const Install& install) { return install.step == Step::Builds; })) {
    return fmt::format("{}: a source edit no longer re-downloads them for {}", what,
                       joinNames(labels, " and "));
  }
  if (any([](const Install& install) { return install.keepLater; })) {
    return fmt::format("{}: after a source edit, {} finds them installed", what, joinNames(labels, " and "));
  }
  return fmt::format("{}: a source edit no longer re-runs {}", what, joinNames(labels, " and "));
}

// ---------------------------------------------------------------------------
// The stage walk

std::string keywordOf(const Instruction& instruction) {
  std::string out = instruction.keyword;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

class StageWalk {
 public:
  StageWalk(const model::Dockerfile& file, const model::Stage& stage, const context::BuildContext& context)
      : file_(file), stage_(stage), context_(context) {
    for (size_t i = stage.from + 1; i < stage.end; ++i) {
      if (!file.instructions[i].is("run")) continue;
      for (const Install& install : installsOf(file.instructions[i], {})) {
        if (install.step == Step::Downloads) downloadSteps_.insert(install.ecosystem);
      }
    }
  }

  void run(engine::Result& result) {
    for (size_t i = stage_.from + 1; i < stage_.end; ++i) {
      if (file_.instructions[i].is("run")) {
        if (auto finding = planRun(i)) result.findings.push_back(std::move(*finding));
      }
    }
  }

 private:
  const model::Dockerfile& file_;
  const model::Stage& stage_;
  const context::BuildContext& context_;
  std::set<Ecosystem> downloadSteps_;
  std::set<size_t> movedRuns_;  // RUNs moved above their copy as a whole

  // The nearest full copy above the RUN, and the first instruction between
  // them that could change what the install sees.
  std::optional<FullCopy> copyBefore(size_t runIndex, std::optional<size_t>& blocker) const {
    for (size_t j = runIndex; j-- > stage_.from + 1;) {
      const Instruction& instruction = file_.instructions[j];
      if (movedRuns_.count(j) || instruction.is("label") || instruction.is("expose")) continue;
      if (auto copy = fullCopyAt(file_, j, context_)) return copy;
      blocker = j;
    }
    return std::nullopt;
  }

  // The install step already runs above the copy (by hand, or by an
  // earlier run of this transform).
  std::optional<size_t> earlierInstall(size_t copyIndex, const std::vector<Install>& installs) const {
    for (size_t j = stage_.from + 1; j < copyIndex; ++j) {
      if (!file_.instructions[j].is("run")) continue;
      for (const Install& earlier : installsOf(file_.instructions[j], {})) {
        for (const Install& install : installs) {
          if (earlier.ecosystem == install.ecosystem) return j;
        }
      }
    }
    return std::nullopt;
  }

  Finding skipped(const Instruction& run, std::string_view label, std::string reason) const {
    Finding finding;
    finding.offset = run.keywordRange.begin;
    finding.severity = Severity::Info;
    finding.message = fmt::format("{} kept after the source copy: {}", label, reason);
    return finding;
  }

  size_t lineOf(size_t index) const { return file_.instructions[index].startLine; }

  std::optional<Finding> planRun(size_t runIndex) {
    const Instruction& run = file_.instructions[runIndex];
    shell::Script script = scriptOf(run);
    std::optional<size_t> blocker;
    std::optional<FullCopy> copy = copyBefore(runIndex, blocker);
    if (!copy) return std::nullopt;
    CommandScope scope{copy->destination, downloadSteps_};
    std::vector<Install> installs = installsOf(run, scope);
    if (installs.empty()) return std::nullopt;
    std::string label = installs.front().label;
    if (!run.heredocs.empty())
      return skipped(run, label, "the RUN is a here-document, which dfopt does not split");
    if (run.jsonForm) return skipped(run, label, "the RUN is in exec form, which dfopt does not split");
    if (script.complex) {
      return skipped(run, label,
                     fmt::format("the RUN uses {}, which dfopt does not split", script.complexReason));
    }
    if (blocker) {
      return skipped(run, label,
                     fmt::format("{} (line {}) sits between the copy and the install and may change "
                                 "what it installs",
                                 keywordOf(file_.instructions[*blocker]), lineOf(*blocker)));
    }
    if (copy->problem) return skipped(run, label, *copy->problem);
    if (auto earlier = earlierInstall(copy->index, installs)) {
      return skipped(run, label,
                     fmt::format("the stage already installs {} dependencies before the copy (line {})",
                                 engine::infoFor(installs.front().ecosystem).name, lineOf(*earlier)));
    }
    Segment segment = segmentOf(script, scope);
    if (segment.problem) return skipped(run, label, *segment.problem);
    Plan plan = planInstalls(file_, runIndex, script, segment, *copy, context_);
    if (plan.problem) return skipped(run, label, *plan.problem);
    return moveInstall(runIndex, script, segment, *copy, plan);
  }

  std::optional<Finding> moveInstall(size_t runIndex, const shell::Script& script, const Segment& segment,
                                     const FullCopy& copy, const Plan& plan) {
    const Instruction& run = file_.instructions[runIndex];
    const Instruction& copyInstruction = file_.instructions[copy.index];
    bool removesRun = removesWholeRun(segment, script.commands.size());
    auto early = earlyRunText(file_, run, script, segment, removesRun);
    if (!early) return skipped(run, plan.installs.front().label, "comments inside the install would be lost");
    std::vector<Manifest> newManifests;
    for (const Manifest& manifest : plan.manifests) {
      if (copiedManifests_.insert({copy.index, manifest.path}).second) newManifests.push_back(manifest);
    }
    Finding finding;
    finding.offset = run.keywordRange.begin;
    finding.message = successMessage(plan);
    std::string lines = copyLines(file_, copyInstruction, copy.writtenDestination, newManifests) + *early;
    if (engine::followsBlankLine(file_, copyInstruction)) lines += engine::Style(file_).newline();
    finding.edits.push_back(engine::insertBefore(file_, copyInstruction, lines));
    for (Edit& edit : laterRunEdits(file_, run, script, segment, removesRun)) finding.edits.push_back(edit);
    if (removesRun) movedRuns_.insert(runIndex);
    return finding;
  }

  std::set<std::pair<size_t, std::string>> copiedManifests_;  // (copy, manifest) already inserted
};

class DepsFirst final : public engine::Transform {
 public:
  std::string_view name() const override { return "deps-first"; }

  engine::Result run(const model::Dockerfile& file, const context::BuildContext& context,
                     const engine::Options&) const override {
    engine::Result result;
    for (const model::Stage& stage : file.stages) StageWalk(file, stage, context).run(result);
    return result;
  }
};

}  // namespace

std::unique_ptr<engine::Transform> makeDepsFirst() { return std::make_unique<DepsFirst>(); }

}  // namespace dfopt::transforms
