#pragma once
#include <CLI/CLI.hpp>

namespace dfopt::cli {

// `dfopt fix`, `dfopt diff` and `dfopt check`.
void addRewriteCommands(CLI::App& app, int& exitCode);

}  // namespace dfopt::cli
