// dfopt: a Dockerfile optimizer. This file wires the subcommands together.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/config_command.h"
#include "cli/golden_command.h"
#include "cli/graph_command.h"
#include "cli/input.h"
#include "cli/layers_command.h"
#include "cli/parse_command.h"
#include "cli/rewrite_commands.h"
#include "cli/verify_command.h"

int main(int argc, char** argv) {
  CLI::App app{"dfopt: rewrites Dockerfiles into cache-friendly, multi-stage, non-root builds"};
  app.set_version_flag("--version", std::string("dfopt ") + DFOPT_VERSION);
  app.require_subcommand(1);
  int exitCode = dfopt::cli::kOk;
  dfopt::cli::addParseCommand(app, exitCode);
  dfopt::cli::addRewriteCommands(app, exitCode);
  dfopt::cli::addGoldenCommand(app, exitCode);
  dfopt::cli::addVerifyCommand(app, exitCode);
  dfopt::cli::addLayersCommand(app, exitCode);
  dfopt::cli::addGraphCommand(app, exitCode);
  dfopt::cli::addConfigCommand(app, exitCode);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return dfopt::cli::kUsageOrInputError;
  }
  return exitCode;
}
