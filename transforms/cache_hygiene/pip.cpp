// pip: `pip install` keeps what it downloads and builds in ~/.cache/pip;
// --no-cache-dir leaves the cache out, or, in a file that already uses
// BuildKit, a cache mount keeps it on the builder for the next build.
// `pip install --upgrade pip` is treated like any install: it caches pip's
// own wheel and the index pages, and the flag costs nothing.
#include <fmt/format.h>

#include "transforms/cache_hygiene/hygiene.h"

namespace dfopt::transforms::cache_hygiene {
namespace {

// Where pip keeps its cache for the RUN, when the file says.
std::optional<std::string> pipCacheDirectory(const RunView& run) {
  if (declares(run, "PIP_CACHE_DIR")) {
    auto value = variable(run, "PIP_CACHE_DIR");
    if (!value || value->empty() || model::hasVariable(*value)) return std::nullopt;
    return value;
  }
  for (auto [name, suffix] : {std::pair{"XDG_CACHE_HOME", "/pip"}, std::pair{"HOME", "/.cache/pip"}}) {
    if (!declares(run, name)) continue;
    auto value = variable(run, name);
    if (!value || value->empty() || model::hasVariable(*value)) return std::nullopt;
    return *value + suffix;
  }
  return std::string("/root/.cache/pip");
}

bool exportsNoCache(const RunView& run) {
  for (const SourceCommand& command : run.line->commands) {
    for (const SourceWord& word : command.assignments) {
      if (word.value.starts_with("PIP_NO_CACHE_DIR=")) return true;
    }
    if (command.name() != "export") continue;
    for (const SourceWord& word : command.words) {
      if (word.value.starts_with("PIP_NO_CACHE_DIR")) return true;
    }
  }
  return false;
}

bool cacheHandled(const RunView& run) {
  if (declares(run, "PIP_NO_CACHE_DIR") || exportsNoCache(run)) return true;
  if (removesUnder(run, {"/root/.cache", "~/.cache", "$HOME/.cache", "${HOME}/.cache"})) return true;
  auto directory = pipCacheDirectory(run);
  return directory && hasCacheMountOver(run, *directory);
}

void checkRun(const Input& input, const RunView& run, std::vector<Finding>& findings) {
  std::vector<ToolCommand> installs;
  for (const ToolCommand& tool : toolCommands(run)) {
    if (tool.tool != "pip" || tool.sub != "install") continue;
    if (hasOption(commandOf(run, tool), tool.program + 1, {"--no-cache-dir", "--cache-dir"})) continue;
    installs.push_back(tool);
  }
  if (installs.empty() || cacheHandled(run)) return;
  Finding finding;
  finding.transform = "cache-hygiene";
  finding.offset = commandOf(run, installs.front()).range.begin;
  auto directory = pipCacheDirectory(run);
  if (input.buildkit && run.root && directory) {
    finding.message = fmt::format(
        "pip install keeps the packages it downloads and builds in {} in the layer: a cache mount keeps them "
        "on "
        "the builder instead, for the next build",
        *directory);
    finding.edits = {insertMounts(input, run, {cacheMount(*directory)})};
  } else {
    finding.message =
        "pip install keeps the packages it downloads and builds in its cache (~/.cache/pip) in the layer: "
        "--no-cache-dir leaves them out";
    for (const ToolCommand& tool : installs)
      finding.edits.push_back(insertAfterWord(commandOf(run, tool).words[tool.subcommand], "--no-cache-dir"));
  }
  findings.push_back(std::move(finding));
}

}  // namespace

void checkPip(Input& input, std::vector<Finding>& findings) {
  for (const RunView& run : input.runs) {
    if (input.shipped[run.stage] && run.usable) checkRun(input, run, findings);
  }
}

}  // namespace dfopt::transforms::cache_hygiene
