#include "cli/many_files.h"

#include <algorithm>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/config_files.h"
#include "cli/context_cache.h"
#include "cli/files.h"
#include "cli/input.h"
#include "cli/run_summary.h"
#include "util/in_order.h"
#include "util/text.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

// Runs over more files than this show a progress line on a terminal.
constexpr size_t kProgressAfter = 20;

// One file's run and what it reported, kept until its turn to be printed.
struct Computed {
  std::optional<FileRun> run;
  std::string errors;
};

Computed compute(const std::string& path, const TransformOptions& transforms) {
  std::ostringstream errors;
  std::optional<FileRun> run = runOnFile(path, transforms, errors);
  return {std::move(run), errors.str()};
}

unsigned jobsFor(const RunOptions& options, const std::vector<std::string>& files) {
  // Standard input is read once: a run that reads it is not run again.
  if (std::find(files.begin(), files.end(), "-") != files.end()) return 1;
  if (options.jobs > 0) return options.jobs;
  return std::max(1u, std::thread::hardware_concurrency());
}

fs::path directoryOf(const std::string& file) {
  fs::path parent = fs::path(file).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// A file's path resolved to the file fix writes: a symlink is written
// through to its target.
std::string canonicalFile(const fs::path& file) { return resolvedPath(file); }

// The paths fix wrote so far, and whether one of them is an input of a run.
class Writes {
 public:
  void add(const FileRun& run) {
    if (run.outcome.after != run.outcome.before) paths_.push_back(canonicalFile(run.path));
    for (const engine::FileChange& file : run.outcome.files)
      paths_.push_back(canonicalFile(run.contextDir / file.path));
  }

  // Did a write land in the file's directory or in its build context?
  bool touch(const std::string& path, const std::optional<FileRun>& run) const {
    if (paths_.empty()) return false;
    std::vector<std::string> inputs{resolvedPath(directoryOf(path))};
    if (run) inputs.push_back(resolvedPath(run->contextDir));
    return std::any_of(paths_.begin(), paths_.end(), [&](const std::string& written) {
      return std::any_of(inputs.begin(), inputs.end(),
                         [&](const std::string& input) { return text::isUnder(written, input); });
    });
  }

 private:
  std::vector<std::string> paths_;
};

}  // namespace

void addRunOptions(CLI::App& command, RunOptions& options) {
  command.add_flag("!--no-recursive", options.walk.recursive,
                   "In a directory, take only its own Dockerfiles, not those of its subdirectories");
  command.add_option("-j,--jobs", options.jobs, "Files run at once (default: one per core)")
      ->check(CLI::PositiveNumber);
  command.add_flag("--summary", options.summary,
                   "Print the summary line (files, changes, findings by transform) also when stderr is not "
                   "a terminal");
}

int runOnDockerfiles(const std::vector<std::string>& paths, const TransformOptions& transforms,
                     const RunOptions& options, const FileAction& action, bool actionWrites) {
  WalkOptions walkOptions = options.walk;
  if (!walkOptions.excluded) {
    walkOptions.excluded = [&](const std::filesystem::path& path) {
      auto found = transforms.configs->forFile(path.string(), transforms);
      return found && found->config && found->config->excludes(found->relativePath);
    };
  }
  // What the walk read is not read again: each folder's configuration
  // markers, and the folders below a Dockerfile when they are in its
  // context (without --context, the Dockerfile's folder).
  walkOptions.read = [&](const std::filesystem::path& directory,
                         const std::vector<context::DirectoryEntry>& entries) {
    transforms.configs->knowDirectory(directory, entries);
    if (transforms.context.empty()) rememberEntries(directory, entries);
  };
  auto walk = findDockerfiles(paths, walkOptions);
  if (!walk) return kUsageOrInputError;
  const std::vector<std::string>& files = walk->files;
  // Every configuration is read and checked before any file is rewritten.
  if (!transforms.configs->load(files, transforms)) return kUsageOrInputError;
  int exitCode = walk->unreadable ? kUsageOrInputError : kOk;
  bool onATerminal = stderrIsATerminal();
  Progress progress(files.size(), onATerminal && files.size() > kProgressAfter);
  RunSummary summary;
  Writes writes;
  auto print = [&](size_t i, Computed computed) {
    progress.clear();
    if (actionWrites && writes.touch(files[i], computed.run)) computed = compute(files[i], transforms);
    std::cerr << computed.errors;
    int code = kUsageOrInputError;
    if (computed.run) {
      code = action(*computed.run);
      summary.add(*computed.run);
      if (actionWrites) writes.add(*computed.run);
    } else {
      summary.addFailure();
    }
    exitCode = std::max(exitCode, code);
    if (i + 1 < files.size()) progress.show(i + 1, files[i + 1]);
  };
  if (!files.empty()) progress.show(0, files[0]);
  util::computeInParallelEmitInOrder<Computed>(
      files.size(), jobsFor(options, files), [&](size_t i) { return compute(files[i], transforms); }, print);
  progress.clear();
  if (options.summary || (onATerminal && (walk->namedADirectory || files.size() > 1))) {
    std::cerr << summary.line() << '\n';
  }
  return exitCode;
}

}  // namespace dfopt::cli
