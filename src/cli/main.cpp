// dfopt: a Dockerfile optimizer. This file wires the subcommands together.
#include <malloc.h>

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
#ifndef DFOPT_MIMALLOC
  // A run is short and copies big texts (a 10 MB line a dozen times). By
  // default glibc maps each block over 128 KB on its own and gives memory
  // back when freed, so every copy faults its pages in again: a third of the
  // time on such a file. Freed blocks are kept for the next copy instead.
  // (mimalloc, when linked, keeps freed segments for reuse by itself.)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
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
