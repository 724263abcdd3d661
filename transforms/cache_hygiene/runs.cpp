#include <stdexcept>

#include <fmt/format.h>

#include "analysis/effects.h"
#include "engine/package_commands.h"
#include "model/queries.h"
#include "transforms/cache_hygiene/hygiene.h"
#include "util/text.h"

namespace dfopt::transforms::cache_hygiene {
namespace {

using text::isOneOf;

bool isRootUser(std::string_view user) {
  std::string_view name = user.substr(0, user.find(':'));
  return name == "root" || name == "0";
}

// The build state a RUN runs in, followed forward through each stage from
// the state its parent stage ends in.
struct RunState {
  // Does it run as root? A variable in USER counts as not root: the caller
  // then takes the path that works for any user.
  bool root = true;
  // Does it run in a POSIX shell? Not under a SHELL of another program
  // (powershell, cmd) nor on a Windows base image, where `&&`, `rm -rf` and
  // the cache paths mean something else.
  bool posixShell = true;
};

bool windowsImage(const model::Dockerfile& file, const model::Stage& stage) {
  auto image = model::expandVariables(stage.baseImage, model::variablesBefore(file, stage.from));
  std::string name = text::lower(image.value_or(stage.baseImage));
  for (std::string_view windows : {"windows", "nanoserver", "servercore", "ltsc20"}) {
    if (text::contains(name, windows)) return true;
  }
  return false;
}

void follow(RunState& state, const model::Instruction& instruction) {
  if (instruction.arguments.empty()) return;
  if (instruction.is("user")) {
    const std::string& user = instruction.arguments[0].text;
    state.root = !model::hasVariable(user) && isRootUser(user);
  } else if (instruction.is("shell")) {
    std::string program =
        text::lower(text::baseName(engine::decodeJsonString(instruction.arguments[0].text)));
    state.posixShell = isOneOf(program, {"sh", "bash", "ash", "dash", "zsh"});
  }
}

std::vector<bool> shippedStages(const model::Dockerfile& file,
                                const std::vector<std::optional<size_t>>& base) {
  std::vector<bool> shipped(file.stages.size(), false);
  if (file.stages.empty()) return shipped;
  std::optional<size_t> stage = file.stages.size() - 1;
  while (stage && !shipped[*stage]) {
    shipped[*stage] = true;
    stage = base[*stage];
  }
  return shipped;
}

// The index of the program word, past `sudo`, `env` and their options and
// assignments.
size_t programPast(const SourceCommand& command) {
  size_t i = 0;
  while (i < command.words.size()) {
    std::string_view name = text::baseName(command.words[i].value);
    if (!isOneOf(name, {"sudo", "env", "exec", "nice", "nohup"})) break;
    ++i;
    while (i < command.words.size() && (command.words[i].value.starts_with("-") ||
                                        command.words[i].value.find('=') != std::string::npos)) {
      ++i;
    }
  }
  return i;
}

size_t firstOperand(const SourceCommand& command, size_t from,
                    std::initializer_list<std::string_view> withValue) {
  for (size_t i = from; i < command.words.size(); ++i) {
    const std::string& word = command.words[i].value;
    if (!word.starts_with("-")) return i;
    if (word.find('=') == std::string::npos && isOneOf(word, withValue)) ++i;
  }
  return command.words.size();
}

std::optional<ToolCommand> toolCommand(const SourceCommand& command, size_t index) {
  size_t program = programPast(command);
  if (program >= command.words.size()) return std::nullopt;
  std::string name(text::baseName(command.words[program].value));
  ToolCommand tool{index, program, command.words.size(), name, ""};
  if (name == "apt-get" || name == "apt") {
    tool.subcommand = firstOperand(
        command, program + 1,
        {"-o", "-c", "-t", "--option", "--config-file", "--target-release", "--default-release"});
  } else if (name == "apk") {
    tool.subcommand = firstOperand(command, program + 1,
                                   {"-X", "--repository", "-p", "--root", "--arch", "--cache-dir",
                                    "--keys-dir", "--repositories-file", "--cache-max-age"});
  } else if (isOneOf(name, {"dnf", "yum", "microdnf", "tdnf"})) {
    tool.subcommand = firstOperand(
        command, program + 1,
        {"-c", "--config", "--releasever", "--installroot", "-d", "--debuglevel", "-e", "--errorlevel", "-x",
         "--exclude", "--setopt", "--enablerepo", "--disablerepo", "--repo", "--repoid"});
  } else if (name == "npm" || name == "yarn") {
    tool.subcommand = firstOperand(command, program + 1, {});
  } else {
    auto package = engine::packageCommandOfWords(command.words, program);
    if (!package || package->tool != engine::PackageTool::Pip) return std::nullopt;
    tool.tool = "pip";
    std::vector<std::string_view> withValue = engine::pipOptionsWithValue();
    size_t i = program + package->subcommand;
    while (i < command.words.size() && command.words[i].value.starts_with("-")) {
      const std::string& word = command.words[i].value;
      i += (word.find('=') == std::string::npos && isOneOf(word, withValue)) ? 2 : 1;
    }
    tool.subcommand = std::min(i, command.words.size());
  }
  if (tool.subcommand < command.words.size()) tool.sub = command.words[tool.subcommand].value;
  return tool;
}

// "type=cache,target=/root/.cache/pip" -> its target when the type is cache.
std::optional<std::string> cacheTarget(std::string_view value) {
  bool cache = false;
  std::optional<std::string> target;
  size_t at = 0;
  while (at <= value.size()) {
    size_t comma = value.find(',', at);
    std::string_view field = value.substr(at, comma == std::string_view::npos ? value.npos : comma - at);
    size_t equals = field.find('=');
    std::string_view key = field.substr(0, equals);
    std::string_view val = equals == std::string_view::npos ? "" : field.substr(equals + 1);
    if (key == "type") cache = val == "cache";
    if (isOneOf(key, {"target", "dst", "destination"})) target = std::string(val);
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
  if (!cache || !target) return std::nullopt;
  return target;
}

}  // namespace

Input makeInput(const model::Dockerfile& file, const context::BuildContext& context) {
  Input input{file, context, engine::Style(file), false, {}, {}, {}, {}};
  input.buildkit = input.style.buildkitAllowed();
  for (size_t s = 0; s < file.stages.size(); ++s) {
    std::optional<size_t> base = analysis::stageNamed(file, file.stages[s].baseImage);
    input.base.push_back(base && *base < s ? base : std::nullopt);
  }
  input.shipped = shippedStages(file, input.base);
  std::vector<RunState> atEnd;
  model::VariablesWalk variables(file);
  for (size_t s = 0; s < file.stages.size(); ++s) {
    RunState state;
    if (input.base[s]) {
      state = atEnd[*input.base[s]];
    } else {
      state.posixShell = !windowsImage(file, file.stages[s]);
    }
    for (size_t i = file.stages[s].from + 1; i < file.stages[s].end; ++i) {
      const model::Instruction& instruction = file.instructions[i];
      follow(state, instruction);
      if (!instruction.is("run")) continue;
      RunView run;
      run.index = i;
      run.stage = s;
      run.instruction = &instruction;
      run.line = &engine::commandLineOf(instruction);
      run.usable = !run.line->json && run.line->complexReason.empty() && instruction.heredocs.empty() &&
                   !run.line->commands.empty() && state.posixShell;
      run.root = state.root;
      const model::Variables& inScope = variables.before(i);
      for (std::string_view name : kCacheVariables) {
        if (auto found = inScope.find(name); found != inScope.end()) run.variables.insert(*found);
      }
      input.runs.push_back(std::move(run));
    }
    atEnd.push_back(state);
  }
  input.updateRunRemoved.assign(input.runs.size(), false);
  return input;
}

const std::vector<ToolCommand>& toolCommands(const RunView& run) {
  if (run.tools) return *run.tools;
  std::vector<ToolCommand>& tools = run.tools.emplace();
  for (size_t i = 0; i < run.line->commands.size(); ++i) {
    if (auto tool = toolCommand(run.line->commands[i], i)) tools.push_back(std::move(*tool));
  }
  return tools;
}

const SourceCommand& commandOf(const RunView& run, const ToolCommand& tool) {
  return run.line->commands[tool.command];
}

bool hasOption(const SourceCommand& command, size_t from, std::initializer_list<std::string_view> names) {
  for (size_t i = from; i < command.words.size(); ++i) {
    std::string_view word = command.words[i].value;
    if (isOneOf(word.substr(0, word.find('=')), names)) return true;
  }
  return false;
}

bool removesUnder(const RunView& run, std::initializer_list<std::string_view> paths) {
  for (const SourceCommand& command : run.line->commands) {
    size_t program = programPast(command);
    if (program >= command.words.size() || text::baseName(command.words[program].value) != "rm") continue;
    for (size_t i = program + 1; i < command.words.size(); ++i) {
      std::string_view operand = command.words[i].value;
      for (std::string_view path : paths) {
        if (operand.starts_with(path)) return true;
      }
    }
  }
  return false;
}

bool hasCacheMountOver(const RunView& run, std::string_view target) {
  for (const model::Flag& flag : run.instruction->flags) {
    if (flag.name != "mount") continue;
    std::optional<std::string> mounted = cacheTarget(flag.value);
    if (!mounted) continue;
    std::string directory = model::resolvePath("/", *mounted);
    if (text::isUnder(model::resolvePath("/", target), directory)) return true;
  }
  return false;
}

namespace {

void requireKept(std::string_view name) {
  if (!text::isOneOf(name, kCacheVariables))
    throw std::logic_error(fmt::format("cache-hygiene does not keep the variable {}", name));
}

}  // namespace

std::optional<std::string> variable(const RunView& run, std::string_view name) {
  requireKept(name);
  auto found = run.variables.find(name);
  if (found == run.variables.end()) return std::string();
  return found->second;
}

bool declares(const RunView& run, std::string_view name) {
  requireKept(name);
  return run.variables.contains(name);
}

namespace {

const RunView* runAt(const Input& input, size_t index) {
  for (const RunView& run : input.runs) {
    if (run.index == index) return &run;
  }
  return nullptr;
}

std::optional<size_t> walkFrom(const Input& input, size_t stage, size_t from,
                               const std::function<Use(const RunView&)>& use) {
  for (size_t i = from; i < input.file.stages[stage].end; ++i) {
    const RunView* run = runAt(input, i);
    if (!run) continue;
    Use found = use(*run);
    if (found == Use::Needs) return i;
    if (found == Use::Renews) return std::nullopt;
  }
  for (size_t s = stage + 1; s < input.file.stages.size(); ++s) {
    if (input.base[s] != stage) continue;
    if (auto user = walkFrom(input, s, input.file.stages[s].from + 1, use)) return user;
  }
  return std::nullopt;
}

}  // namespace

std::optional<size_t> firstUserAfter(const Input& input, const RunView& run,
                                     const std::function<Use(const RunView&)>& use) {
  return walkFrom(input, run.stage, run.index + 1, use);
}

std::string lineLabel(const Input& input, size_t index) {
  return fmt::format("`{}`", analysis::describe(input.file.instructions[index], 50));
}

}  // namespace dfopt::transforms::cache_hygiene
