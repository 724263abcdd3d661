#pragma once
// The commands an instruction runs (RUN, CMD, ENTRYPOINT), as words.
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

}  // namespace dfopt::engine
