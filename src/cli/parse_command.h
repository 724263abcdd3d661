#pragma once
#include <CLI/CLI.hpp>

namespace dfopt::cli {

// `dfopt parse [--dump tree|buildkit|json] FILE|-`
void addParseCommand(CLI::App& app, int& exitCode);

}  // namespace dfopt::cli
