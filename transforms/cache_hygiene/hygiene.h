#pragma once
// What the parts of cache-hygiene share: the RUNs of the file with their
// commands (runs.cpp), the edits that keep the file's layout (edits.cpp),
// and one checker per package manager (apt.cpp, apk.cpp, pip.cpp, node.cpp,
// rpm.cpp). Only the stages whose layers end up in the image are fixed: the
// final stage and the stages it is built FROM; a stage the final stage only
// copies files out of never ships its caches.
#include <array>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context/build_context.h"
#include "engine/edit.h"
#include "engine/source_commands.h"
#include "engine/style.h"
#include "model/dockerfile.h"
#include "model/variables.h"

namespace dfopt::transforms::cache_hygiene {

using engine::Edit;
using engine::Finding;
using engine::SourceCommand;
using engine::SourceWord;

// A package tool's command: the program past `sudo`/`env`, and its subcommand.
struct ToolCommand {
  size_t command = 0;     // index in RunView::line.commands
  size_t program = 0;     // index of the program word
  size_t subcommand = 0;  // index of the subcommand word; words.size() when there is none
  std::string tool;       // apt-get, apt, apk, pip, npm, yarn, dnf, yum, microdnf
  std::string sub;        // the subcommand's value ("" when there is none)
};

// A RUN with its simple commands (words with their ranges in the file).
struct RunView {
  size_t index = 0;  // in Dockerfile::instructions
  size_t stage = 0;
  const model::Instruction* instruction = nullptr;
  const engine::CommandLine* line = nullptr;  // commandLineOf(*instruction)
  bool usable = false;  // shell form, no heredoc, no construct the tokenizer does not model
  bool root = true;     // runs as root (as far as the file says)
  // Of the variables in scope, only those the checks read (kCacheVariables):
  // a copy of all of them per RUN grows with the square of a file that
  // alternates ENVs and RUNs.
  model::Variables variables;
  // toolCommands' answer, kept on first use: the checks ask for it some
  // twenty times per RUN.
  mutable std::optional<std::vector<ToolCommand>> tools;
};

struct Input {
  const model::Dockerfile& file;
  const context::BuildContext& context;
  engine::Style style;
  bool buildkit = false;                    // the file may use RUN --mount
  std::vector<bool> shipped;                // per stage: its layers are in the image
  std::vector<std::optional<size_t>> base;  // per stage: the stage it is FROM
  std::vector<RunView> runs;                // every RUN of a stage, in the file's order
  std::vector<bool> updateRunRemoved;       // per run: a checker removes it in this pass
};

Input makeInput(const model::Dockerfile& file, const context::BuildContext& context);

// ------------------------------------------------------------ commands (runs.cpp)

// The package-tool commands of a RUN (apt-get, apt, apk, pip, npm, yarn,
// dnf, yum, microdnf), in order.
const std::vector<ToolCommand>& toolCommands(const RunView& run);

const SourceCommand& commandOf(const RunView& run, const ToolCommand& tool);

// Has the command one of these options after `from`, alone or as `--name=value`?
bool hasOption(const SourceCommand& command, size_t from, std::initializer_list<std::string_view> names);

// Does a command of the RUN remove something at or below one of these
// paths (`rm` with an operand starting with it)?
bool removesUnder(const RunView& run, std::initializer_list<std::string_view> paths);

// Is a --mount=type=cache of the RUN at or above `target`?
bool hasCacheMountOver(const RunView& run, std::string_view target);

// The variables where the file may say where a tool keeps its cache: the
// only ones variable() and declares() are asked about.
inline constexpr std::array<std::string_view, 7> kCacheVariables = {"HOME",
                                                                    "XDG_CACHE_HOME",
                                                                    "PIP_CACHE_DIR",
                                                                    "PIP_NO_CACHE_DIR",
                                                                    "npm_config_cache",
                                                                    "NPM_CONFIG_CACHE",
                                                                    "YARN_CACHE_FOLDER"};

// The value of a variable known before the RUN ("" for none, nothing for
// one declared without a known value).
std::optional<std::string> variable(const RunView& run, std::string_view name);
bool declares(const RunView& run, std::string_view name);

// What a later RUN does with something an earlier RUN left (apt's lists,
// apk's index): passes it by, renews or removes it, or needs it.
enum class Use { None, Renews, Needs };

// The first instruction after `run` that needs what it left, following the
// rest of its stage and every stage built FROM it; nothing when none does.
std::optional<size_t> firstUserAfter(const Input& input, const RunView& run,
                                     const std::function<Use(const RunView&)>& use);

// An instruction for messages, as written and shortened: "`RUN apt-get install -y curl`".
// Not its line: a finding may come from a later pass, where lines moved.
std::string lineLabel(const Input& input, size_t index);

// ------------------------------------------------------------ edits (edits.cpp)

// Appends `command` to the RUN, after its last command, as its other
// commands are chained: on a new line with the file's continuation when
// they are one per line, else on the same line.
Edit appendCommand(const Input& input, const RunView& run, std::string_view command);

// Inserts " text" right after a word.
Edit insertAfterWord(const SourceWord& word, std::string_view text);

// Inserts `--mount=...` flags before the RUN's command, on a line of
// their own when the RUN spans several lines.
Edit insertMounts(const Input& input, const RunView& run, const std::vector<std::string>& mounts);

// Removes a command and the operator after it (`apk update && `), when no
// comment line lies in between; nothing otherwise.
std::optional<Edit> removeCommand(const Input& input, const RunView& run, size_t command);

std::string cacheMount(std::string_view target, bool locked = false);

// ------------------------------------------------------------ checkers

void checkApt(Input& input, std::vector<Finding>& findings);
void checkApk(Input& input, std::vector<Finding>& findings);
void checkPip(Input& input, std::vector<Finding>& findings);
void checkNode(Input& input, std::vector<Finding>& findings);
void checkRpm(Input& input, std::vector<Finding>& findings);

}  // namespace dfopt::transforms::cache_hygiene
