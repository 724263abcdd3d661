// npm and Yarn 1: both keep every package they download in a cache of the
// user's (~/.npm, /usr/local/share/.cache/yarn), `npm ci` as much as `npm
// install`; cleaning it in the same RUN leaves it out of the layer, or a
// cache mount keeps it on the builder in a file that uses BuildKit. Yarn 2+
// is left alone: with Plug'n'Play its cache is where packages load from.
#include <regex>

#include <fmt/format.h>

#include "model/queries.h"
#include "transforms/cache_hygiene/hygiene.h"
#include "util/text.h"

namespace dfopt::transforms::cache_hygiene {
namespace {

using text::contains;
using text::isOneOf;

bool isNpmInstall(const ToolCommand& tool) {
  return tool.tool == "npm" &&
         isOneOf(tool.sub, {"ci", "install", "i", "in", "isntall", "add", "update", "up"});
}

bool isYarnInstall(const ToolCommand& tool) {
  return tool.tool == "yarn" && isOneOf(tool.sub, {"", "install", "add", "global"});
}

bool cleansCache(const RunView& run, std::string_view tool) {
  for (const ToolCommand& command : toolCommands(run)) {
    const SourceCommand& words = commandOf(run, command);
    if (command.tool == tool && command.sub == "cache" && command.subcommand + 1 < words.words.size() &&
        isOneOf(words.words[command.subcommand + 1].value, {"clean", "clear", "rm"}))
      return true;
  }
  return false;
}

// The cache directory the user's own variable names, "" when none does,
// nothing when it has no known value.
std::optional<std::string> configuredCache(const RunView& run,
                                           std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (!declares(run, name)) continue;
    auto value = variable(run, name);
    if (!value || value->empty() || model::hasVariable(*value)) return std::nullopt;
    return value;
  }
  return std::string();
}

// Where root's cache is for the RUN, when the file says.
std::optional<std::string> mountTarget(const RunView& run, bool npm) {
  auto configured = npm ? configuredCache(run, {"npm_config_cache", "NPM_CONFIG_CACHE"})
                        : configuredCache(run, {"YARN_CACHE_FOLDER"});
  if (!configured || !configured->empty()) return configured;
  if (!npm) return std::string("/usr/local/share/.cache/yarn");
  if (!declares(run, "HOME")) return std::string("/root/.npm");
  auto home = variable(run, "HOME");
  if (!home || home->empty() || model::hasVariable(*home)) return std::nullopt;
  return *home + "/.npm";
}

bool inLineage(const Input& input, size_t stage, size_t of) {
  for (std::optional<size_t> s = of; s; s = input.base[*s]) {
    if (*s == stage) return true;
  }
  return false;
}

// Why the Yarn of the RUN may be Yarn 2 or later; empty for Yarn 1.
std::string yarnBerryReason(const Input& input, const RunView& run) {
  static const std::regex berryManager(R"re("packageManager"\s*:\s*"yarn@([2-9]|\d\d))re");
  for (size_t i = 0; i <= run.index; ++i) {
    const model::Instruction& instruction = input.file.instructions[i];
    auto stage = model::stageOf(input.file, i);
    if (!stage || !inLineage(input, stage->index, run.stage)) continue;
    std::string_view text = instruction.argumentsText();
    for (std::string_view sign : {"corepack", "yarn set version", ".yarnrc.yml", "--immutable", "yarn@"}) {
      if (contains(text, sign)) return fmt::format("{} uses {}", lineLabel(input, i), sign);
    }
  }
  if (input.context.exists("package.json")) {
    if (input.context.exists(".yarnrc.yml")) return "the context has a .yarnrc.yml";
    auto manifest = input.context.read("package.json");
    if (manifest && std::regex_search(*manifest, berryManager))
      return "package.json asks for Yarn 2 or later";
    return "";
  }
  for (size_t i = 0; i < run.index; ++i) {
    const model::Instruction& instruction = input.file.instructions[i];
    auto stage = model::stageOf(input.file, i);
    if (!stage || !inLineage(input, stage->index, run.stage)) continue;
    if (!(instruction.is("copy") || instruction.is("add")) || instruction.flag("from")) continue;
    for (size_t a = 0; a + 1 < instruction.arguments.size(); ++a) {
      std::string source = model::unquoteValue(instruction.arguments[a].text);
      std::string_view name = text::baseName(source);
      bool directory = source.ends_with("/") || name.empty() || name == "." || name.find('.') == name.npos ||
                       text::hasGlob(source);
      if (directory && name != "yarn.lock" && name != "package.json")
        return fmt::format("{} may bring a .yarnrc.yml", lineLabel(input, i));
    }
  }
  return "";
}

Finding baseFinding(const RunView& run, const ToolCommand& tool) {
  Finding finding;
  finding.transform = "cache-hygiene";
  finding.offset = commandOf(run, tool).range.begin;
  return finding;
}

void checkNpm(const Input& input, const RunView& run, std::vector<Finding>& findings) {
  const std::vector<ToolCommand>& tools = toolCommands(run);
  auto install = std::find_if(tools.begin(), tools.end(), isNpmInstall);
  if (install == tools.end() || cleansCache(run, "npm")) return;
  if (hasOption(commandOf(run, *install), install->program + 1, {"--cache"})) return;
  if (removesUnder(run, {"/root/.npm", "~/.npm", "$HOME/.npm", "${HOME}/.npm", "/home/node/.npm"})) return;
  auto target = mountTarget(run, true);
  if (target && hasCacheMountOver(run, *target)) return;
  Finding finding = baseFinding(run, *install);
  if (input.buildkit && run.root && target) {
    finding.message = fmt::format(
        "npm {} keeps every package it downloads in its cache ({}) in the layer: a cache mount keeps them on "
        "the "
        "builder instead, for the next build",
        install->sub, *target);
    finding.edits = {insertMounts(input, run, {cacheMount(*target)})};
  } else {
    finding.message = fmt::format(
        "npm {} keeps every package it downloads in its cache (~/.npm) in the layer: npm cache clean --force "
        "in "
        "the same RUN leaves it out",
        install->sub);
    finding.edits = {appendCommand(input, run, "npm cache clean --force")};
  }
  findings.push_back(std::move(finding));
}

void checkYarn(const Input& input, const RunView& run, std::vector<Finding>& findings) {
  const std::vector<ToolCommand>& tools = toolCommands(run);
  auto install = std::find_if(tools.begin(), tools.end(), isYarnInstall);
  if (install == tools.end() || cleansCache(run, "yarn")) return;
  if (hasOption(commandOf(run, *install), install->program + 1, {"--cache-folder"})) return;
  if (removesUnder(run,
                   {"/usr/local/share/.cache", "~/.cache", "$HOME/.cache", "${HOME}/.cache", "/root/.cache"}))
    return;
  auto target = mountTarget(run, false);
  if (target && hasCacheMountOver(run, *target)) return;
  Finding finding = baseFinding(run, *install);
  std::string berry = yarnBerryReason(input, run);
  if (!berry.empty()) {
    finding.severity = engine::Severity::Info;
    finding.message = fmt::format(
        "yarn's cache kept: {}, and Yarn 2 or later may load the packages from its cache (Plug'n'Play)",
        berry);
    findings.push_back(std::move(finding));
    return;
  }
  if (input.buildkit && run.root && target) {
    finding.message = fmt::format(
        "yarn keeps every package it downloads in its cache ({}) in the layer: a cache mount keeps them on "
        "the "
        "builder instead, for the next build",
        *target);
    finding.edits = {insertMounts(input, run, {cacheMount(*target)})};
  } else {
    finding.message =
        "yarn keeps every package it downloads in its cache in the layer: yarn cache clean in the same RUN "
        "leaves "
        "it out";
    finding.edits = {appendCommand(input, run, "yarn cache clean")};
  }
  findings.push_back(std::move(finding));
}

}  // namespace

void checkNode(Input& input, std::vector<Finding>& findings) {
  for (const RunView& run : input.runs) {
    if (!input.shipped[run.stage] || !run.usable) continue;
    checkNpm(input, run, findings);
    checkYarn(input, run, findings);
  }
}

}  // namespace dfopt::transforms::cache_hygiene
