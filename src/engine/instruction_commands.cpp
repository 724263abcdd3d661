#include "engine/instruction_commands.h"

#include "shell/script.h"
#include "util/text.h"

namespace dfopt::engine {

std::vector<CommandWords> commandsOfScript(std::string_view script) {
  std::vector<CommandWords> commands;
  std::shared_ptr<const shell::Script> parsed = shell::parseScriptShared(script);
  for (const shell::Command& command : parsed->commands) {
    CommandWords words;
    for (const shell::Word& word : command.words) words.push_back(word.value);
    if (!words.empty()) commands.push_back(std::move(words));
  }
  return commands;
}

std::vector<CommandWords> commandsOf(const model::Instruction& instruction) {
  if (!instruction.jsonForm) return commandsOfScript(instruction.argumentsText);
  CommandWords words;
  for (const auto& node : instruction.buildkit.next) words.push_back(node.value);
  bool shellScript = words.size() >= 3 &&
                     text::isOneOf(text::baseName(words[0]), {"sh", "bash", "ash", "dash"}) &&
                     words[1] == "-c";
  if (shellScript) return commandsOfScript(words[2]);
  return {words};
}

}  // namespace dfopt::engine
