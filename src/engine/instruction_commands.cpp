#include "engine/instruction_commands.h"

#include "engine/source_commands.h"
#include "shell/script.h"
#include "util/text.h"

namespace dfopt::engine {
namespace {

void forEachCommandOfScript(std::string_view script, const CommandVisitor& visit) {
  std::shared_ptr<const shell::Script> parsed = shell::parseScriptShared(script);
  std::vector<std::string_view> words;
  for (const shell::Command& command : parsed->commands) {
    words.clear();
    for (const shell::Word& word : command.words) words.emplace_back(word.value);
    if (!words.empty()) visit(words);
  }
}

// Is the instruction's script the one commandLineOf parsed (kept with the
// instruction, so that its commands are not parsed once more here)?
bool scriptIsCommandLine(const model::Instruction& instruction) {
  return !instruction.jsonForm && instruction.heredocs.empty() && !instruction.is("healthcheck") &&
         instruction.arguments.size() == 1 && instruction.arguments[0].text == instruction.argumentsText();
}

void forEachCommandOfLine(const CommandLine& line, const CommandVisitor& visit) {
  std::vector<std::string_view> words;
  for (const SourceCommand& command : line.commands) {
    words.clear();
    for (const SourceWord& word : command.words) words.emplace_back(word.value);
    if (!words.empty()) visit(words);
  }
}

CommandWords copied(const std::vector<std::string_view>& words) { return {words.begin(), words.end()}; }

}  // namespace

std::vector<CommandWords> commandsOfScript(std::string_view script) {
  std::vector<CommandWords> commands;
  forEachCommandOfScript(script, [&](const auto& words) { commands.push_back(copied(words)); });
  return commands;
}

void forEachCommandOf(const model::Instruction& instruction, const CommandVisitor& visit) {
  if (scriptIsCommandLine(instruction)) return forEachCommandOfLine(commandLineOf(instruction), visit);
  if (!instruction.jsonForm) return forEachCommandOfScript(instruction.argumentsText(), visit);
  std::vector<std::string_view> words;
  for (const auto& node : instruction.buildkit.next) words.emplace_back(node.value);
  bool shellScript = words.size() >= 3 &&
                     text::isOneOf(text::baseName(words[0]), {"sh", "bash", "ash", "dash"}) &&
                     words[1] == "-c";
  if (shellScript) return forEachCommandOfScript(words[2], visit);
  visit(words);
}

std::vector<CommandWords> commandsOf(const model::Instruction& instruction) {
  std::vector<CommandWords> commands;
  forEachCommandOf(instruction, [&](const auto& words) { commands.push_back(copied(words)); });
  return commands;
}

}  // namespace dfopt::engine
