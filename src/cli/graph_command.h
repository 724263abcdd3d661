#pragma once
#include <CLI/CLI.hpp>

namespace dfopt::cli {

// `dfopt graph [--format dot|json] [--instructions] [FILE]`
void addGraphCommand(CLI::App& app, int& exitCode);

}  // namespace dfopt::cli
