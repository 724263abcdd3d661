// dfopt: a Dockerfile optimizer. This file wires the subcommands together.
#include <malloc.h>

#include <iostream>
#include <string_view>

#ifdef DFOPT_MIMALLOC
#include <mimalloc.h>
#endif

#include <CLI/CLI.hpp>

#include "cli/config_command.h"
#include "cli/golden_command.h"
#include "cli/graph_command.h"
#include "cli/input.h"
#include "cli/layers_command.h"
#include "cli/parse_command.h"
#include "cli/rewrite_commands.h"
#include "cli/verify_command.h"

#ifdef DFOPT_MIMALLOC
namespace {

// mimalloc's first segment (32 MB of address space) holds all the memory of a
// run over small files, and it is made before main, by the libraries'
// initialisers. Asked for in main, transparent huge pages reached only the
// later segments, and a corpus check faulted its heap in 4 KB at a time
// (815 faults against 272). The executable's .preinit_array runs before any
// library's initialiser; setting an option there only writes mimalloc's
// table. MIMALLOC_LARGE_OS_PAGES in the environment still decides (read
// from envp: libc's environ may not be set yet).
void preferLargePages(int, char**, char** envp) {
  for (char** variable = envp; variable && *variable; ++variable) {
    if (std::string_view(*variable).starts_with("MIMALLOC_LARGE_OS_PAGES=")) return;
  }
  mi_option_set(mi_option_large_os_pages, 1);
}
[[gnu::section(".preinit_array"), gnu::used]] void (*const kPreferLargePages)(int, char**,
                                                                              char**) = preferLargePages;

}  // namespace
#endif

int main(int argc, char** argv) {
#ifndef DFOPT_MIMALLOC
  // A run is short and copies big texts (a 10 MB line a dozen times). By
  // default glibc maps each block over 128 KB on its own and gives memory
  // back when freed, so every copy faults its pages in again: a third of the
  // time on such a file. Freed blocks are kept for the next copy instead.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#else
  // mimalloc gives a large block (a big file's vector of instructions) a
  // segment of its own from the OS and unmaps it when freed, so the next
  // model's vector faults every page in again (8 us a fault on a VM: a third
  // of a 100,000-instruction file's time). An arena reserved here (address space
  // only, MAP_NORESERVE, pages faulted in when first used) takes freed
  // segments back for reuse, and transparent huge pages fault 2 MB at once.
  // If the reservation fails (ulimit -v), mimalloc asks the OS as before.
  mi_reserve_os_memory(size_t{1} << 30, true, true);
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
