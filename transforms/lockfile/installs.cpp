// The project installs that can honour a lock file, and their lock-exact
// form: `npm install` -> `npm ci`; `yarn install --frozen-lockfile` (Yarn 1)
// or `--immutable` (Yarn 2+); `pnpm install --frozen-lockfile`; `uv sync
// --locked`; `cargo build --locked`; `BUNDLE_FROZEN=true bundle install`.
// Each edit touches only the word it changes or the place of the flag it
// adds: right after the subcommand, in shell and exec form alike.
#include <algorithm>
#include <initializer_list>

#include <fmt/format.h>

#include "engine/manifests.h"
#include "engine/package_commands.h"
#include "transforms/lockfile/lockfile.h"
#include "util/text.h"

namespace dfopt::transforms::lockfile {
namespace {

using engine::Ecosystem;
using engine::PackageTool;
using engine::SourceWord;
using text::isOneOf;

// The value of `--name value` or `--name=value` for any of `names`.
std::optional<std::string> optionValue(const SourceCommand& command, size_t from,
                                       std::initializer_list<std::string_view> names) {
  for (size_t i = from; i < command.words.size(); ++i) {
    const std::string& word = command.words[i].value;
    for (std::string_view name : names) {
      if (word == name && i + 1 < command.words.size()) return command.words[i + 1].value;
      if (word.starts_with(std::string(name) + "=")) return word.substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

bool hasOption(const SourceCommand& command, size_t from, std::initializer_list<std::string_view> names) {
  for (size_t i = from; i < command.words.size(); ++i) {
    std::string_view word = command.words[i].value;
    if (isOneOf(word.substr(0, word.find('=')), names) || isOneOf(word, names)) return true;
  }
  return false;
}

// The first word from `from` on that is no option nor the value of one of
// `withValue` (given as its own word); the command's size when none is.
size_t firstOperand(const SourceCommand& command, size_t from,
                    const std::vector<std::string_view>& withValue) {
  for (size_t i = from; i < command.words.size(); ++i) {
    const std::string& word = command.words[i].value;
    if (!word.starts_with("-")) return i;
    if (word.find('=') == std::string::npos && isOneOf(word, withValue)) ++i;
  }
  return command.words.size();
}

engine::Edit appendFlag(const SourceWord& after, std::string_view flag, bool json) {
  std::string text = json ? fmt::format(", {}", engine::jsonQuote(flag)) : fmt::format(" {}", flag);
  return {{after.range.end, after.range.end}, text};
}

engine::Edit replaceWord(const SourceWord& word, std::string_view value, bool json) {
  return {word.range, json ? engine::jsonQuote(value) : std::string(value)};
}

Install makeInstall(Ecosystem ecosystem, std::string label, std::string locked, std::string why) {
  Install install;
  install.ecosystem = ecosystem;
  install.label = std::move(label);
  install.locked = std::move(locked);
  install.why = std::move(why);
  install.directory = ".";
  return install;
}

std::optional<Install> npmInstall(const SourceCommand& command, size_t at, const Scope& scope) {
  const std::vector<std::string_view> kWithValue = {
      "--prefix",   "--omit", "--include",   "--only",       "--registry",        "--cache",
      "--loglevel", "-w",     "--workspace", "--userconfig", "--install-strategy"};
  size_t verb = firstOperand(command, at, kWithValue);
  if (!isOneOf(command.arg(verb), {"install", "i", "isntall", "add"})) return std::nullopt;
  if (hasOption(command, at, {"-g", "--global"}) || optionValue(command, at, {"--location"}) == "global")
    return std::nullopt;
  if (firstOperand(command, verb + 1, kWithValue) < command.words.size()) return std::nullopt;
  Install install = makeInstall(Ecosystem::Npm, "npm " + command.arg(verb), "npm ci",
                                "npm install resolves the versions again and may rewrite package-lock.json");
  install.directory = optionValue(command, at, {"--prefix"}).value_or(".");
  for (const SourceWord& word : command.words) {
    if (isOneOf(word.value, {"--no-package-lock", "--package-lock-only", "--package-lock=false"}))
      install.problem = fmt::format("it runs with {}, which sets the lock file aside on purpose", word.value);
  }
  if (scope.nodeMajor > 0 && scope.nodeMajor < 8)
    install.problem = fmt::format("npm ci needs npm 5.7, newer than node {}'s", scope.nodeMajor);
  install.edits.push_back(replaceWord(command.words[verb], "ci", scope.json));
  return install;
}

std::optional<Install> yarnInstall(const SourceCommand& command, size_t at, const Scope& scope) {
  const std::vector<std::string_view> kWithValue = {
      "--network-timeout", "--cache-folder", "--modules-folder",      "--mutex",
      "--registry",        "--cwd",          "--network-concurrency", "--global-folder"};
  size_t verb = firstOperand(command, at, kWithValue);
  bool bare = verb == command.words.size();
  if (!bare && command.arg(verb) != "install") return std::nullopt;
  if (!bare && firstOperand(command, verb + 1, kWithValue) < command.words.size()) return std::nullopt;
  Install install = makeInstall(Ecosystem::Yarn, bare ? "yarn" : "yarn install", "--frozen-lockfile",
                                "yarn install resolves again what yarn.lock does not match and rewrites it");
  install.directory = optionValue(command, at, {"--cwd"}).value_or(".");
  install.alreadyLocked = hasOption(command, at, {"--frozen-lockfile", "--immutable"});
  if (hasOption(command, at, {"--no-lockfile"}))
    install.problem = "it runs with --no-lockfile, which sets yarn.lock aside on purpose";
  const SourceWord& after = bare ? command.words[at - 1] : command.words[verb];
  install.edits.push_back(appendFlag(after, "--frozen-lockfile", scope.json));
  return install;
}

std::optional<Install> pnpmInstall(const SourceCommand& command, size_t at, const Scope& scope) {
  const std::vector<std::string_view> kWithValue = {
      "--filter", "-F", "--reporter", "-C", "--dir", "--store-dir", "--virtual-store-dir", "--modules-dir"};
  size_t verb = firstOperand(command, at, kWithValue);
  if (!isOneOf(command.arg(verb), {"install", "i"})) return std::nullopt;
  if (hasOption(command, at, {"-g", "--global"})) return std::nullopt;
  if (firstOperand(command, verb + 1, kWithValue) < command.words.size()) return std::nullopt;
  Install install =
      makeInstall(Ecosystem::Pnpm, "pnpm " + command.arg(verb), "--frozen-lockfile",
                  "pnpm install resolves again what pnpm-lock.yaml does not match and rewrites it");
  install.directory = optionValue(command, at, {"-C", "--dir"}).value_or(".");
  for (const SourceWord& word : command.words) {
    if (word.value == "--frozen-lockfile" || word.value == "--frozen-lockfile=true")
      install.alreadyLocked = true;
    if (isOneOf(word.value, {"--no-frozen-lockfile", "--frozen-lockfile=false", "--lockfile-only",
                             "--fix-lockfile", "--no-lockfile"}))
      install.problem =
          fmt::format("it runs with {}, which sets pnpm-lock.yaml aside on purpose", word.value);
  }
  install.edits.push_back(appendFlag(command.words[verb], "--frozen-lockfile", scope.json));
  return install;
}

std::optional<Install> uvSync(const SourceCommand& command, size_t at, const Scope& scope) {
  const std::vector<std::string_view> kWithValue = {
      "--project",         "--directory", "--python",          "-p",          "--package",
      "--extra",           "--group",     "--only-group",      "--no-group",  "--index",
      "--default-index",   "--index-url", "--extra-index-url", "--cache-dir", "--config-file",
      "--upgrade-package", "-P"};
  size_t verb = firstOperand(command, at, kWithValue);
  if (command.arg(verb) != "sync") return std::nullopt;
  // --locked, not --frozen: it fails the build when uv.lock is out of date
  // with pyproject.toml, as npm ci does; --frozen would install the stale lock.
  Install install = makeInstall(Ecosystem::Uv, "uv sync", "--locked",
                                "uv sync locks again when uv.lock is out of date with pyproject.toml");
  install.directory = optionValue(command, at, {"--project", "--directory"}).value_or(".");
  install.alreadyLocked = hasOption(command, at, {"--locked", "--frozen"});
  if (hasOption(command, at, {"--upgrade", "-U", "--upgrade-package", "-P"}))
    install.problem = "it runs with --upgrade, which asks for newer versions than uv.lock pins";
  install.edits.push_back(appendFlag(command.words[verb], "--locked", scope.json));
  return install;
}

std::optional<Install> cargoCommand(const SourceCommand& command, size_t at, const Scope& scope) {
  size_t verb = at;
  while (verb < command.words.size() && command.arg(verb).starts_with("+")) ++verb;  // cargo +nightly build
  std::string sub = command.arg(verb);
  std::optional<std::string> path = optionValue(command, verb, {"--path"});
  if (!isOneOf(sub, {"build", "b", "fetch"}) && !(sub == "install" && path)) return std::nullopt;
  std::string why = sub == "install" ? "cargo install ignores Cargo.lock and resolves the newest versions"
                                     : fmt::format(
                                           "cargo {} updates Cargo.lock when it no longer matches "
                                           "Cargo.toml",
                                           sub);
  Install install = makeInstall(Ecosystem::Cargo, "cargo " + sub, "--locked", why);
  install.searchUp = true;
  if (auto manifest = optionValue(command, verb, {"--manifest-path"}))
    install.directory = text::dirName(*manifest);
  if (path) install.directory = *path;
  install.alreadyLocked = hasOption(command, verb, {"--locked", "--frozen"});
  install.edits.push_back(appendFlag(command.words[verb], "--locked", scope.json));
  return install;
}

bool setsBundlerFrozen(const SourceCommand& command) {
  return std::any_of(command.assignments.begin(), command.assignments.end(), [](const SourceWord& word) {
    return word.value.starts_with("BUNDLE_FROZEN=") || word.value.starts_with("BUNDLE_DEPLOYMENT=");
  });
}

std::optional<Install> bundleInstall(const SourceCommand& command, size_t at, const Scope& scope) {
  const std::vector<std::string_view> kWithValue = {
      "--jobs", "-j",        "--retry",    "--path",    "--without",
      "--with", "--gemfile", "--binstubs", "--shebang", "--trust-policy"};
  size_t verb = firstOperand(command, at, kWithValue);
  bool bare = verb == command.words.size();
  if (!bare && command.arg(verb) != "install") return std::nullopt;
  Install install =
      makeInstall(Ecosystem::Bundler, "bundle install", "BUNDLE_FROZEN=true",
                  "bundle install resolves again what Gemfile.lock does not match and rewrites it");
  install.alreadyLocked = scope.bundlerFrozen || setsBundlerFrozen(command) ||
                          hasOption(command, at, {"--frozen", "--deployment"});
  if (optionValue(command, at, {"--gemfile"}))
    install.problem = "it reads the Gemfile --gemfile names, which dfopt does not follow";
  const SourceWord& program = command.words[at - 1];
  std::string assignment = scope.json ? R"("env", "BUNDLE_FROZEN=true", )" : "BUNDLE_FROZEN=true ";
  install.edits.push_back({{program.range.begin, program.range.begin}, assignment});
  return install;
}

// "yarn@4.1.0" -> 4; 0 when it names no Yarn.
int yarnMajor(const std::string& manager) {
  if (!manager.starts_with("yarn@")) return 0;
  return std::atoi(manager.c_str() + 5);
}

}  // namespace

std::optional<Install> installOf(const SourceCommand& command, const Scope& scope) {
  size_t program = engine::programIndex(command);
  auto package = engine::packageCommandOfWords(command.words, program);
  if (!package) return std::nullopt;
  size_t at = program + package->subcommand;
  switch (package->tool) {
    case PackageTool::Npm:
      return npmInstall(command, at, scope);
    case PackageTool::Yarn:
      return yarnInstall(command, at, scope);
    case PackageTool::Pnpm:
      return pnpmInstall(command, at, scope);
    case PackageTool::Uv:
      return uvSync(command, at, scope);
    case PackageTool::Cargo:
      return cargoCommand(command, at, scope);
    case PackageTool::Bundler:
      return bundleInstall(command, at, scope);
    default:
      return std::nullopt;
  }
}

bool isYarnBerry(const context::BuildContext& context, const std::string& lock,
                 const std::string& directory) {
  std::string text = context.read(lock, 4096).value_or("");
  if (text.find("\n__metadata:") != std::string::npos) return true;
  if (text.find("# yarn lockfile v1") != std::string::npos) return false;
  if (context.exists(engine::contextPath(directory, ".yarnrc.yml"))) return true;
  auto package = engine::parseJson(context.read(engine::contextPath(directory, "package.json")).value_or(""));
  if (!package || !package->is_object() || !package->contains("packageManager")) return false;
  const nlohmann::json& manager = (*package)["packageManager"];
  return manager.is_string() && yarnMajor(manager.get<std::string>()) >= 2;
}

void useYarnBerry(Install& install, const SourceCommand& command, const Scope& scope) {
  install.locked = "--immutable";
  engine::Edit& edit = install.edits.front();
  size_t at = edit.range.begin;
  for (const SourceWord& word : command.words) {
    if (word.range.end == at) edit = appendFlag(word, "--immutable", scope.json);
  }
}

}  // namespace dfopt::transforms::lockfile
