// apk: `apk add --no-cache` fetches the package index without storing it in
// /var/cache/apk. An `apk update` in front of it then only leaves that index
// in the layer, so it goes too when nothing else needs it (an `apk update`
// RUN of its own as well). apk keeps --no-cache in BuildKit files too: its
// cache mount needs the /etc/apk/cache link set up first.
#include <fmt/format.h>

#include "engine/instruction_edits.h"
#include "engine/style.h"
#include "transforms/cache_hygiene/hygiene.h"
#include "util/text.h"

namespace dfopt::transforms::cache_hygiene {
namespace {

using text::isOneOf;

bool isApk(const ToolCommand& tool, std::initializer_list<std::string_view> subs) {
  return tool.tool == "apk" && isOneOf(tool.sub, subs);
}

bool fetchesOwnIndex(const RunView& run, const ToolCommand& tool) {
  return hasOption(commandOf(run, tool), tool.program + 1,
                   {"--no-cache", "--update-cache", "-U", "--update"});
}

bool cacheHandled(const RunView& run) {
  return removesUnder(run, {"/var/cache/apk"}) || hasCacheMountOver(run, "/var/cache/apk") ||
         hasCacheMountOver(run, "/etc/apk/cache");
}

// The `apk add` and `apk upgrade` of the RUN that will fetch their own index.
std::vector<ToolCommand> addsToFix(const Input& input, const RunView& run) {
  std::vector<ToolCommand> out;
  if (!input.shipped[run.stage] || !run.usable || cacheHandled(run)) return out;
  for (const ToolCommand& tool : toolCommands(run)) {
    if (isApk(tool, {"add", "upgrade"}) &&
        !hasOption(commandOf(run, tool), tool.program + 1, {"--no-cache"})) {
      out.push_back(tool);
    }
  }
  return out;
}

// A later RUN and the index an `apk update` left: an apk command that reads
// it (one this pass does not give --no-cache) needs it.
std::function<Use(const RunView&)> indexUse(const Input& input) {
  return [&input](const RunView& run) {
    if (!run.usable) return text::contains(run.instruction->argumentsText(), "apk") ? Use::Needs : Use::None;
    for (const ToolCommand& tool : toolCommands(run)) {
      if (tool.tool != "apk") continue;
      if (tool.sub == "update") return Use::Renews;
      if (isApk(tool, {"add", "upgrade"})) {
        bool own = fetchesOwnIndex(run, tool) || (input.shipped[run.stage] && !cacheHandled(run));
        if (!own) return Use::Needs;
        continue;
      }
      if (isApk(tool, {"search", "fetch", "dot", "policy", "list", "index"})) return Use::Needs;
    }
    return Use::None;
  };
}

bool isPlainUpdate(const RunView& run, const ToolCommand& tool) {
  return tool.tool == "apk" && tool.sub == "update" &&
         commandOf(run, tool).words.size() == tool.subcommand + 1;
}

// Removes the `apk update` in front of the adds, when everything after it
// fetches its own index.
std::optional<Edit> dropInlineUpdate(const Input& input, const RunView& run,
                                     const std::vector<ToolCommand>& tools) {
  for (size_t i = 0; i < tools.size(); ++i) {
    if (!isPlainUpdate(run, tools[i])) continue;
    for (size_t j = i + 1; j < tools.size(); ++j) {
      if (tools[j].tool == "apk" && !isApk(tools[j], {"add", "upgrade"})) return std::nullopt;
    }
    if (firstUserAfter(input, run, indexUse(input))) return std::nullopt;
    return removeCommand(input, run, tools[i].command);
  }
  return std::nullopt;
}

void fixRun(const Input& input, const RunView& run, std::vector<Finding>& findings) {
  std::vector<ToolCommand> adds = addsToFix(input, run);
  if (adds.empty()) return;
  Finding finding;
  finding.transform = "cache-hygiene";
  finding.offset = commandOf(run, adds.front()).range.begin;
  for (const ToolCommand& tool : adds)
    finding.edits.push_back(insertAfterWord(commandOf(run, tool).words[tool.subcommand], "--no-cache"));
  finding.message =
      "apk add keeps the package index in /var/cache/apk in the layer: --no-cache fetches it "
      "without storing it";
  const std::vector<ToolCommand>& tools = toolCommands(run);
  bool updates = std::any_of(tools.begin(), tools.end(),
                             [](const ToolCommand& t) { return t.tool == "apk" && t.sub == "update"; });
  if (auto drop = dropInlineUpdate(input, run, tools)) {
    finding.edits.push_back(*drop);
    finding.message += "; the apk update before it, which only stored that index, is removed";
  } else if (updates) {
    finding.message += "; the apk update of this RUN still stores its index: remove it if nothing needs it";
  }
  findings.push_back(std::move(finding));
}

// A RUN that only runs `apk update`, followed in its stage by an apk add
// that fetches its own index.
void dropUpdateRun(Input& input, size_t r, std::vector<Finding>& findings) {
  const RunView& run = input.runs[r];
  if (!input.shipped[run.stage] || !run.usable) return;
  const std::vector<ToolCommand>& tools = toolCommands(run);
  if (tools.size() != run.line->commands.size() ||
      !std::all_of(tools.begin(), tools.end(), [&](const ToolCommand& t) { return isPlainUpdate(run, t); }))
    return;
  bool followedByAdd = false;
  for (const RunView& later : input.runs) {
    if (later.index <= run.index || later.stage != run.stage) continue;
    for (const ToolCommand& tool : toolCommands(later)) followedByAdd = followedByAdd || isApk(tool, {"add"});
  }
  if (!followedByAdd || firstUserAfter(input, run, indexUse(input))) return;
  std::string_view bytes = input.file.source->bytes();
  Finding finding;
  finding.transform = "cache-hygiene";
  finding.offset = run.instruction->keywordRange.begin;
  finding.message =
      "RUN apk update only stores the package index in a layer of its own: the apk add --no-cache "
      "after it fetches its own";
  finding.edits = {Edit{{engine::lineStart(bytes, run.instruction->keywordRange.begin),
                         engine::blockEnd(input.file, *run.instruction)},
                        ""}};
  input.updateRunRemoved[r] = true;
  findings.push_back(std::move(finding));
}

}  // namespace

void checkApk(Input& input, std::vector<Finding>& findings) {
  for (size_t r = 0; r < input.runs.size(); ++r) dropUpdateRun(input, r, findings);
  for (const RunView& run : input.runs) fixRun(input, run, findings);
}

}  // namespace dfopt::transforms::cache_hygiene
