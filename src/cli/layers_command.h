#pragma once
#include <CLI/CLI.hpp>

namespace dfopt::cli {

// `dfopt layers [--changed PATH]... [--target STAGE] [--context DIR] [--format text|json] [FILE]`
void addLayersCommand(CLI::App& app, int& exitCode);

}  // namespace dfopt::cli
