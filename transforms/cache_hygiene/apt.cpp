// apt (apt-get and apt): the package lists `apt-get update` writes to
// /var/lib/apt/lists (tens of MB) leave the layer in the RUN that wrote
// them; a RUN that only updates is merged into the install it serves
// (hadolint DL3009: a cached update layer makes a later install use stale
// lists); --no-install-recommends is offered as an unsafe fix.
#include <fmt/format.h>

#include "engine/instruction_edits.h"
#include "model/queries.h"
#include "transforms/cache_hygiene/hygiene.h"
#include "util/text.h"

namespace dfopt::transforms::cache_hygiene {
namespace {

using text::contains;
using text::isOneOf;

constexpr std::string_view kTransform = "cache-hygiene";

bool isApt(const ToolCommand& tool) { return tool.tool == "apt-get" || tool.tool == "apt"; }

bool needsLists(const ToolCommand& tool) {
  if (tool.tool == "apt-cache") return true;
  return isApt(tool) && isOneOf(tool.sub, {"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep",
                                           "source", "download", "satisfy", "reinstall", "changelog"});
}

bool isUpdate(const ToolCommand& tool) { return isApt(tool) && tool.sub == "update"; }

// `apt-get dist-clean` (apt 2.7) removes the lists as well as the packages.
bool removesLists(const RunView& run) {
  const std::vector<ToolCommand>& tools = toolCommands(run);
  return removesUnder(run, {"/var/lib/apt/lists", "/var/lib/apt/*"}) ||
         std::any_of(tools.begin(), tools.end(),
                     [](const ToolCommand& t) { return isApt(t) && t.sub == "dist-clean"; });
}

// The script file a command runs (`./install.sh`, `bash scripts/setup.sh`), if any.
std::optional<std::string> scriptRun(const SourceCommand& command) {
  if (command.words.empty()) return std::nullopt;
  const std::string& program = command.words[0].value;
  if (isOneOf(text::baseName(program), {"sh", "bash", "ash", "dash"})) {
    for (size_t i = 1; i < command.words.size(); ++i) {
      if (!command.words[i].value.starts_with("-")) return command.words[i].value;
      if (command.words[i].value == "-c") return std::nullopt;
    }
    return std::nullopt;
  }
  bool binary = contains(program, "/bin/") || contains(program, "/sbin/");
  if (program.ends_with(".sh") || program.starts_with("./") || (contains(program, "/") && !binary))
    return program;
  return std::nullopt;
}

// Might the script install with apt? Read from the build context when a
// file of that name is there; unknown scripts might.
bool scriptMayInstall(const Input& input, std::string_view script) {
  std::string_view name = text::baseName(script);
  for (const std::string& file : input.context.files()) {
    if (text::baseName(file) != name) continue;
    auto content = input.context.read(file);
    if (!content) return true;
    return contains(*content, "apt") && !contains(*content, "update");
  }
  return true;
}

// A later RUN and the lists an earlier one left: an install needs them;
// an update or their removal renews them; a RUN dfopt cannot read that
// mentions apt might need them.
Use aptListsUse(const Input& input, const RunView& run) {
  if (!run.usable) {
    std::string_view text = run.instruction->argumentsText();
    return contains(text, "apt") ? Use::Needs : Use::None;
  }
  if (removesLists(run)) return Use::Renews;
  for (const ToolCommand& tool : toolCommands(run)) {
    if (isUpdate(tool)) return Use::Renews;
    if (needsLists(tool)) return Use::Needs;
  }
  for (const SourceCommand& command : run.line->commands) {
    if (command.name() == "apt-cache" || command.name() == "add-apt-repository") return Use::Needs;
    auto script = scriptRun(command);
    if (script && scriptMayInstall(input, *script)) return Use::Needs;
  }
  return Use::None;
}

std::function<Use(const RunView&)> listsUse(const Input& input) {
  return [&input](const RunView& run) { return aptListsUse(input, run); };
}

bool onlyUpdates(const RunView& run) {
  const std::vector<ToolCommand>& tools = toolCommands(run);
  if (tools.size() != run.line->commands.size()) return false;
  return std::all_of(tools.begin(), tools.end(), [](const ToolCommand& tool) { return isUpdate(tool); });
}

bool hasUpdate(const RunView& run) {
  const std::vector<ToolCommand>& tools = toolCommands(run);
  return std::any_of(tools.begin(), tools.end(), [](const ToolCommand& tool) { return isUpdate(tool); });
}

// Why moving `apt-get update` past instruction `index` could change what
// it fetches or what runs without it; empty when nothing would.
std::string blocksMove(const Input& input, size_t index) {
  const model::Instruction& instruction = input.file.instructions[index];
  std::string label = lineLabel(input, index);
  if (isOneOf(instruction.command, {"env", "arg", "label", "expose", "maintainer", "workdir", "stopsignal",
                                    "healthcheck", "volume", "entrypoint", "cmd"})) {
    return "";
  }
  if (instruction.is("copy") || instruction.is("add")) {
    if (instruction.arguments.size() < 2 || instruction.jsonForm)
      return label + " may write apt's configuration";
    auto workdir = model::workdirBefore(input.file, index);
    const std::string& destination = instruction.arguments.back().text;
    if (!workdir || model::hasVariable(destination)) return label + " may write apt's configuration";
    return text::isUnder(model::resolvePath(*workdir, destination), "/etc") ? label + " writes under /etc"
                                                                            : "";
  }
  if (instruction.is("run")) {
    std::string_view text = instruction.argumentsText();
    bool apt = contains(text, "apt") || contains(text, "dpkg") || contains(text, "/etc");
    return apt ? label + " uses or configures apt" : "";
  }
  return label + " comes between";
}

struct Merge {
  size_t update = 0;   // run index of the RUN apt-get update
  size_t install = 0;  // run index of the RUN that installs from its lists
};

std::string commandTexts(const RunView& run) {
  std::string out;
  for (const SourceCommand& command : run.line->commands) out += (out.empty() ? "" : " && ") + command.text;
  return out;
}

// The first apt command of the install RUN that needs the lists, when an
// update can be put in front of it without changing what else runs.
std::optional<ToolCommand> updateInsertionPoint(const RunView& run) {
  for (const ToolCommand& tool : toolCommands(run)) {
    if (isUpdate(tool)) return std::nullopt;
    if (!needsLists(tool)) continue;
    if (tool.command > 0) {
      std::string_view before = run.line->commands[tool.command - 1].separatorAfter;
      if (!isOneOf(before, {"&&", ";"})) return std::nullopt;
    }
    return tool;
  }
  return std::nullopt;
}

void mergeSplitUpdate(Input& input, size_t updateRun, std::vector<Finding>& findings,
                      std::vector<size_t>& merged) {
  const RunView& update = input.runs[updateRun];
  Finding finding;
  finding.transform = std::string(kTransform);
  finding.offset = update.instruction->keywordRange.begin;
  const model::Stage& stage = input.file.stages[update.stage];
  for (size_t i = update.index + 1; i < stage.end; ++i) {
    size_t installRun = updateRun + 1;
    while (installRun < input.runs.size() && input.runs[installRun].index < i) ++installRun;
    bool isRun = installRun < input.runs.size() && input.runs[installRun].index == i;
    if (!isRun || aptListsUse(input, input.runs[installRun]) == Use::None) {
      std::string blocker = blocksMove(input, i);
      if (blocker.empty()) continue;
      finding.severity = engine::Severity::Info;
      finding.message = fmt::format(
          "RUN apt-get update kept as a layer of its own: {} before the install, so it cannot move into it",
          blocker);
      findings.push_back(std::move(finding));
      return;
    }
    const RunView& install = input.runs[installRun];
    std::string installLine = lineLabel(input, install.index);
    if (auto later = firstUserAfter(input, install, listsUse(input))) {
      finding.severity = engine::Severity::Info;
      finding.message =
          fmt::format("RUN apt-get update kept as a layer of its own: {} and {} both install from its lists",
                      installLine, lineLabel(input, *later));
      findings.push_back(std::move(finding));
      return;
    }
    if (!install.usable) return;
    std::string_view bytes = input.file.source->bytes();
    Edit removal{{engine::lineStart(bytes, update.instruction->keywordRange.begin),
                  engine::blockEnd(input.file, *update.instruction)},
                 ""};
    if (hasUpdate(install)) {
      finding.message = fmt::format(
          "RUN apt-get update only adds the package lists to the image: {} updates them again "
          "before "
          "it installs",
          installLine);
      finding.edits = {removal};
    } else if (auto point = updateInsertionPoint(install)) {
      finding.message = fmt::format(
          "RUN apt-get update in a layer of its own: when {} changes, the builder reuses the "
          "cached, outdated lists (hadolint DL3009); update in the same RUN as the install",
          installLine);
      uint32_t at = commandOf(install, *point).range.begin;
      finding.edits = {removal, Edit{{at, at}, commandTexts(update) + " && "}};
      merged.push_back(installRun);
    } else {
      return;
    }
    input.updateRunRemoved[updateRun] = true;
    findings.push_back(std::move(finding));
    return;
  }
}

void cleanLists(const Input& input, const RunView& run, bool mergedUpdate, std::vector<Finding>& findings) {
  if (!mergedUpdate && (!hasUpdate(run) || onlyUpdates(run))) return;
  if (removesLists(run) || hasCacheMountOver(run, "/var/lib/apt/lists")) return;
  const std::vector<ToolCommand>& tools = toolCommands(run);
  auto first = std::find_if(tools.begin(), tools.end(), [&](const ToolCommand& tool) {
    return mergedUpdate ? needsLists(tool) : isUpdate(tool);
  });
  Finding finding;
  finding.transform = std::string(kTransform);
  finding.offset =
      first == tools.end() ? run.instruction->keywordRange.begin : commandOf(run, *first).range.begin;
  if (auto user = firstUserAfter(input, run, listsUse(input))) {
    finding.severity = engine::Severity::Info;
    const RunView* later = nullptr;
    for (const RunView& other : input.runs) later = other.index == *user ? &other : later;
    std::vector<ToolCommand> laterTools = later ? toolCommands(*later) : std::vector<ToolCommand>{};
    bool installs = std::any_of(laterTools.begin(), laterTools.end(), needsLists);
    finding.message =
        fmt::format("apt's package lists kept in this layer: {} {} without apt-get update",
                    lineLabel(input, *user), installs ? "installs from them" : "may install from them");
    findings.push_back(std::move(finding));
    return;
  }
  if (input.buildkit && run.root) {
    finding.message =
        "apt-get update leaves the package lists (/var/lib/apt/lists, tens of MB) in the layer: cache mounts "
        "of "
        "/var/cache/apt and /var/lib/apt/lists keep them, and downloaded packages, on the builder instead";
    finding.edits = {insertMounts(
        input, run, {cacheMount("/var/cache/apt", true), cacheMount("/var/lib/apt/lists", true)})};
  } else {
    finding.message =
        "apt-get update leaves the package lists (/var/lib/apt/lists, tens of MB) in the layer: remove them "
        "in the "
        "same RUN";
    finding.edits = {appendCommand(input, run, "rm -rf /var/lib/apt/lists/*")};
  }
  findings.push_back(std::move(finding));
}

// Does an earlier RUN of the stage's lineage configure APT::Install-Recommends?
bool recommendsConfigured(const Input& input, const RunView& run) {
  for (const RunView& earlier : input.runs) {
    if (earlier.index >= run.index) break;
    bool lineage = false;
    for (std::optional<size_t> s = run.stage; s; s = input.base[*s]) lineage = lineage || *s == earlier.stage;
    if (lineage && contains(earlier.instruction->argumentsText(), "Install-Recommends")) return true;
  }
  return false;
}

void addNoInstallRecommends(const Input& input, const RunView& run, std::vector<Finding>& findings) {
  for (const ToolCommand& tool : toolCommands(run)) {
    if (!isApt(tool) || tool.sub != "install") continue;
    const SourceCommand& command = commandOf(run, tool);
    if (hasOption(command, tool.program + 1, {"--no-install-recommends", "--install-recommends"})) continue;
    bool configured = std::any_of(command.words.begin(), command.words.end(), [](const SourceWord& word) {
      return contains(word.value, "Install-Recommends");
    });
    if (configured || recommendsConfigured(input, run)) continue;
    Finding finding;
    finding.transform = std::string(kTransform);
    finding.offset = command.range.begin;
    finding.safety = engine::Safety::Unsafe;
    finding.message = fmt::format(
        "{} install also installs the recommended packages: --no-install-recommends leaves them out of the "
        "image, "
        "but the app may need one of them (ca-certificates is a common one)",
        tool.tool);
    finding.edits = {insertAfterWord(command.words[tool.subcommand], "--no-install-recommends")};
    findings.push_back(std::move(finding));
  }
}

}  // namespace

void checkApt(Input& input, std::vector<Finding>& findings) {
  std::vector<size_t> merged;
  for (size_t r = 0; r < input.runs.size(); ++r) {
    const RunView& run = input.runs[r];
    if (input.shipped[run.stage] && run.usable && onlyUpdates(run))
      mergeSplitUpdate(input, r, findings, merged);
  }
  for (size_t r = 0; r < input.runs.size(); ++r) {
    const RunView& run = input.runs[r];
    if (!input.shipped[run.stage] || !run.usable || input.updateRunRemoved[r]) continue;
    bool mergedUpdate = std::find(merged.begin(), merged.end(), r) != merged.end();
    cleanLists(input, run, mergedUpdate, findings);
    addNoInstallRecommends(input, run, findings);
  }
}

}  // namespace dfopt::transforms::cache_hygiene
