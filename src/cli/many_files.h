#pragma once
// Running fix, diff or check over many Dockerfiles: the directory walk,
// the pipeline on every core, the output in the order of the files, the
// same bytes as one file after the other; a progress line and a summary
// line on a terminal.
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/rewrite.h"
#include "cli/walk.h"

namespace dfopt::cli {

struct RunOptions {
  WalkOptions walk;
  unsigned jobs = 0;     // 0: one per core
  bool summary = false;  // the summary line also when stderr is not a terminal
};

// Adds --no-recursive, -j/--jobs, --summary.
void addRunOptions(CLI::App& command, RunOptions& options);

// What a command does with one file's run; its exit code.
using FileAction = std::function<int(const FileRun&)>;

// Runs the pipeline on every Dockerfile `paths` name, in parallel, and
// `action` on each run on this thread, in the order of the files. When the
// action writes what a run changed (`actionWrites`: fix), a file whose build
// context or directory an earlier file's write touched is run again after
// that write, as a run one file after the other would have seen it.
// Returns the worst exit code.
int runOnDockerfiles(const std::vector<std::string>& paths, const TransformOptions& transforms,
                     const RunOptions& options, const FileAction& action, bool actionWrites);

}  // namespace dfopt::cli
