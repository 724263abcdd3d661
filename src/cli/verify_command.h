#pragma once
#include <CLI/CLI.hpp>

namespace dfopt::cli {

// `dfopt verify [--builder auto|docker|podman|buildah] [--context DIR]
// [--touch PATH] Dockerfile`: builds the Dockerfile and its rewrite with a real
// builder and compares them (build, size, layers, steps re-run after a source
// edit, final user). Exit 0 when the rewrite builds and is no worse, 1
// otherwise, 2 when no builder is available or the input is unusable.
void addVerifyCommand(CLI::App& app, int& exitCode);

}  // namespace dfopt::cli
