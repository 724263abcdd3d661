#pragma once
#include <CLI/CLI.hpp>

namespace dfopt::cli {

// `dfopt config [--config FILE | --no-config] [OPTIONS] [DOCKERFILE]`: the
// effective configuration for a Dockerfile and where each value came from.
void addConfigCommand(CLI::App& app, int& exitCode);

}  // namespace dfopt::cli
