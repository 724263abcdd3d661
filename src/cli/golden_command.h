#pragma once
#include <CLI/CLI.hpp>

namespace dfopt::cli {

// `dfopt golden DIR [--update]`
void addGoldenCommand(CLI::App& app, int& exitCode);

}  // namespace dfopt::cli
