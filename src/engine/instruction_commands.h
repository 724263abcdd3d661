#pragma once
// The commands an instruction runs (RUN, CMD, ENTRYPOINT), as words.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/dockerfile.h"

namespace dfopt::engine {

using CommandWords = std::vector<std::string>;

// The words of each simple command of a shell script (empty commands left out).
std::vector<CommandWords> commandsOfScript(std::string_view script);

// The commands of a RUN, CMD or ENTRYPOINT: its exec-form words, with a
// `sh -c SCRIPT` (also bash, ash, dash) split into the script's commands;
// or its shell-form script's commands.
std::vector<CommandWords> commandsOf(const model::Instruction& instruction);
// The same, one command at a time, its words valid during the call: a RUN
// of thousands of commands is not held as words all at once.
using CommandVisitor = std::function<void(const std::vector<std::string_view>&)>;
void forEachCommandOf(const model::Instruction& instruction, const CommandVisitor& visit);

}  // namespace dfopt::engine
