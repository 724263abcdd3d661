// The Node recipe's installs: the package manager the stage runs (npm,
// Yarn 1, Yarn 2+, pnpm), the install of the production dependencies that
// honours the lock file the build context holds (`npm ci`, `--frozen-lockfile`,
// `--immutable`), with the options of the stage's own install that have
// nothing to do with devDependencies or the lock, and the prune that
// leaves only the production dependencies in an installed node_modules.
#include <algorithm>
#include <array>
#include <cctype>

#include <fnmatch.h>

#include <fmt/format.h>

#include "analysis/effects.h"
#include "engine/ecosystem.h"
#include "transforms/multi_stage/manifests.h"
#include "transforms/multi_stage/node.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::baseName;
using text::isOneOf;

int leadingNumber(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    digits += c;
  }
  return digits.empty() || digits.size() > 3 ? 0 : std::stoi(digits);
}

// npm 6 and older (node 14 and older) know `--production`, not `--omit=dev`.
bool oldNpm(const Job& job) {
  int major = leadingNumber(job.base.image.tag);
  return major > 0 && major < 15;
}

engine::Ecosystem engineEcosystem(Tool tool) {
  switch (tool) {
    case Tool::Yarn:
      return engine::Ecosystem::Yarn;
    case Tool::Pnpm:
      return engine::Ecosystem::Pnpm;
    default:
      return engine::Ecosystem::Npm;
  }
}

// The `yarn@4.1.0` of package.json "packageManager", as a major version (0 when it names none).
int yarnMajor(const nlohmann::json& package) {
  std::string manager = packageString(package, "packageManager");
  return manager.starts_with("yarn@") ? leadingNumber(std::string_view(manager).substr(5)) : 0;
}

std::string_view trimmed(std::string_view text) {
  constexpr std::string_view kBlanks = " \t\r";
  size_t begin = text.find_first_not_of(kBlanks);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kBlanks) + 1 - begin);
}

// The value of a top-level key of .yarnrc.yml ("" when it is not set): the
// settings read here are plain `key: value` lines.
std::string yarnrcSetting(std::string_view yarnrc, std::string_view key) {
  while (!yarnrc.empty()) {
    size_t end = yarnrc.find('\n');
    std::string_view line = yarnrc.substr(0, end);
    yarnrc = end == std::string_view::npos ? std::string_view() : yarnrc.substr(end + 1);
    if (!line.starts_with(key) || line.substr(key.size()).find(':') != 0) continue;
    std::string value(trimmed(line.substr(key.size() + 1)));
    bool quoted = value.size() >= 2 && (value.front() == '"' || value.front() == '\'');
    return quoted ? value.substr(1, value.size() - 2) : value;
  }
  return "";
}

NodeManager managerOf(const Job& job, const DirectoryCopy& source, const nlohmann::json& package) {
  switch (job.ecosystem) {
    case Tool::Pnpm:
      return NodeManager::Pnpm;
    case Tool::Yarn: {
      bool yarnrc = job.context.exists(engine::contextPath(source.source, ".yarnrc.yml"));
      int major = yarnMajor(package);
      return yarnrc || major >= 2 ? NodeManager::YarnBerry : NodeManager::YarnClassic;
    }
    default:
      return NodeManager::Npm;
  }
}

// Yarn 2+ installs into node_modules only with `nodeLinker: node-modules`,
// and leaves out devDependencies only with `workspaces focus`, built in
// since Yarn 4.
void checkYarnBerry(const Job& job, const DirectoryCopy& source, const nlohmann::json& package) {
  uint32_t at = job.offset(source.index);
  std::string yarnrc = job.context.read(engine::contextPath(source.source, ".yarnrc.yml")).value_or("");
  if (yarnrcSetting(yarnrc, "nodeLinker") != "node-modules") {
    notSplit(at,
             "Yarn 2+ with Plug'n'Play keeps the dependencies in .pnp.cjs and .yarn/cache, not in "
             "node_modules: dfopt splits only `nodeLinker: node-modules`");
  }
  if (!yarnrcSetting(yarnrc, "yarnPath").empty())
    notSplit(at, "Yarn runs from the yarnPath of .yarnrc.yml, a release dfopt does not copy");
  if (yarnMajor(package) < 4) {
    notSplit(at,
             "Yarn 2 and 3 install without devDependencies only through the workspace-tools plugin; "
             "dfopt needs package.json to ask for Yarn 4 (packageManager: yarn@4)");
  }
}

// The commands that make the manager available: pnpm is not in node images,
// and Yarn 2+ runs through corepack.
std::vector<std::string> setupOf(const Job& job, NodeManager manager) {
  if (manager != NodeManager::Pnpm && manager != NodeManager::YarnBerry) return {};
  std::vector<std::string> commands;
  for (const StageCommand* command : commandsOf(job, Tool::Pnpm, Role::Setup)) {
    if (manager == NodeManager::Pnpm || command->command.name() == "corepack")
      commands.push_back(command->command.text);
  }
  if (commands.empty()) {
    notSplit(job.offset(job.stage.from),
             fmt::format("dfopt cannot tell how the build stage installs {}",
                         manager == NodeManager::Pnpm ? "pnpm" : "Yarn 2+ (no `corepack enable`)"));
  }
  return commands;
}

// Options that choose the dependencies or how the lock file is read: the
// production install sets these itself.
bool choosesDependenciesOrLock(std::string_view option) {
  constexpr std::string_view kOptions[] = {"--production",
                                           "--prod",
                                           "-P",
                                           "--dev",
                                           "-D",
                                           "--only",
                                           "--omit",
                                           "--include",
                                           "--also",
                                           "--frozen-lockfile",
                                           "--pure-lockfile",
                                           "--immutable",
                                           "--no-frozen-lockfile",
                                           "--no-lockfile",
                                           "--no-package-lock",
                                           "--package-lock",
                                           "--package-lock-only",
                                           "--lockfile-only",
                                           "--prefer-frozen-lockfile"};
  for (std::string_view name : kOptions) {
    if (option == name || option.starts_with(std::string(name) + "=")) return true;
  }
  return false;
}

// The options of the stage's installs the production install keeps
// (`--legacy-peer-deps`, `--network-timeout 100000`), each once. Installs
// that name packages are refused before, so a word that is not an option
// is the subcommand or the value of the option before it.
std::vector<std::string> keptOptions(const Job& job, const std::vector<size_t>& installs) {
  constexpr std::string_view kVerbs[] = {"install", "ci", "i", "add"};
  std::vector<std::string> kept;
  for (size_t i : installs) {
    const SourceCommand& command = job.facts.commands[i].command;
    bool keepValue = false;
    for (size_t w = programIndex(command) + 1; w < command.words.size(); ++w) {
      const std::string& word = command.words[w].value;
      bool option = word.starts_with("-");
      if (!option && (isOneOf(word, kVerbs) || !keepValue)) {
        keepValue = false;
        continue;
      }
      bool dropped = option && (choosesDependenciesOrLock(word) ||
                                std::find(kept.begin(), kept.end(), word) != kept.end());
      keepValue = option && !dropped && word.find('=') == std::string::npos;
      if (!dropped) kept.push_back(word);
    }
  }
  return kept;
}

std::string withOptions(std::string command, const std::vector<std::string>& options) {
  for (const std::string& option : options) command += " " + option;
  return command;
}

std::string installCommand(const Job& job, NodeManager manager, bool locked,
                           const std::vector<std::string>& options) {
  switch (manager) {
    case NodeManager::YarnClassic:
      return withOptions(locked ? "yarn install --production --frozen-lockfile" : "yarn install --production",
                         options);
    case NodeManager::YarnBerry:
      // `workspaces focus` has no --immutable: the install before it fails when yarn.lock is out of date
      return locked ? withOptions("yarn install --immutable", options) +
                          " && yarn workspaces focus --all --production"
                    : "yarn workspaces focus --all --production";
    case NodeManager::Pnpm:
      return withOptions(locked ? "pnpm install --prod --frozen-lockfile" : "pnpm install --prod", options);
    case NodeManager::Npm:
      return withOptions(fmt::format("{} {}", locked ? "npm ci" : "npm install",
                                     oldNpm(job) ? "--production" : "--omit=dev"),
                         options);
  }
  return "";
}

std::string pruneCommand(const Job& job, NodeManager manager) {
  switch (manager) {
    case NodeManager::Npm:
      return oldNpm(job) ? "npm prune --production" : "npm prune --omit=dev";
    case NodeManager::Pnpm:
      return "pnpm prune --prod";
    default:
      return "";  // Yarn has no prune: only a second install leaves the devDependencies out
  }
}

bool isLockFile(std::string_view path) {
  return isOneOf(baseName(path), std::array<std::string_view, 4>{"package-lock.json", "npm-shrinkwrap.json",
                                                                 "yarn.lock", "pnpm-lock.yaml"});
}

bool copiesPath(const std::string& source, const std::string& path) {
  return source == "." || text::isUnder(path, source) ||
         fnmatch(source.c_str(), path.c_str(), FNM_PATHNAME) == 0;
}

// Does a COPY or ADD of the stage bring `lock` before each of the installs?
bool lockReachesInstalls(const Job& job, const std::string& lock, const std::vector<size_t>& installs) {
  const std::vector<analysis::Effects>& effects = analysis::analyzeEffects(job.file);
  return std::all_of(installs.begin(), installs.end(), [&](size_t install) {
    for (size_t i = job.stage.from + 1; i < job.facts.commands[install].index; ++i) {
      for (const std::string& source : effects[i].contextSources) {
        if (copiesPath(source, lock)) return true;
      }
    }
    return false;
  });
}

}  // namespace

std::string packageString(const nlohmann::json& package, std::string_view key, std::string_view inner) {
  const nlohmann::json* value = &package;
  for (std::string_view part : {key, inner}) {
    if (part.empty()) continue;
    if (!value->is_object() || !value->contains(part)) return "";
    value = &(*value)[std::string(part)];
  }
  return value->is_string() ? value->get<std::string>() : "";
}

NodeInstall nodeInstallOf(const Job& job, const DirectoryCopy& source, const nlohmann::json& package) {
  NodeInstall install;
  std::string lock;
  install.manager = managerOf(job, source, package);
  if (install.manager == NodeManager::YarnBerry) checkYarnBerry(job, source, package);
  for (const std::string& path :
       engine::existingManifests(job.context, source.source, engineEcosystem(job.ecosystem))) {
    if (job.context.dockerignore().excludes(path)) continue;
    install.manifests.push_back(path);
    if (isLockFile(path)) lock = path;
  }
  for (size_t i = 0; i < job.facts.commands.size(); ++i) {
    const Classified& kind = job.facts.commands[i].kind;
    if (kind.tool == job.ecosystem && kind.role == Role::Install) install.installs.push_back(i);
  }
  install.locked = !lock.empty();
  install.stageLocked = install.locked && lockReachesInstalls(job, lock, install.installs);
  install.setup = setupOf(job, install.manager);
  std::vector<std::string> options = keptOptions(job, install.installs);
  install.command = installCommand(job, install.manager, install.locked, options);
  install.stageCommand = installCommand(job, install.manager, install.stageLocked, options);
  install.prune = pruneCommand(job, install.manager);
  return install;
}

}  // namespace dfopt::transforms::multi_stage
