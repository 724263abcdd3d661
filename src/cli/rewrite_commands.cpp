#include "cli/rewrite_commands.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/config_files.h"
#include "cli/files.h"
#include "cli/fix_write.h"
#include "cli/input.h"
#include "cli/many_files.h"
#include "cli/output_formats.h"
#include "cli/rewrite.h"
#include "cli/signal_cleanup.h"
#include "print/unified_diff.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

struct CommandOptions {
  std::vector<std::string> paths{"Dockerfile"};
  TransformOptions transforms;
  RunOptions run;
  bool toStdout = false;
  bool checkOnly = false;
  std::string color = "auto";
  std::string format = "text";
  std::shared_ptr<FormattedOutput> formatted;  // nothing for text
};

using CommandAction = int (*)(const FileRun&, const CommandOptions&);

// Runs `action` on every Dockerfile the paths name; the worst exit code wins.
int forEachDockerfile(const CommandOptions& options, CommandAction action, bool actionWrites = false) {
  if (!validateTransformNames(options.transforms)) return kUsageOrInputError;
  if (actionWrites) installSignalCleanup();  // no temporary file stays behind
  return runOnDockerfiles(
      options.paths, options.transforms, options.run,
      [&](const FileRun& run) { return action(run, options); }, actionWrites);
}

fs::path extraFilePath(const FileRun& run, const engine::FileChange& file) {
  return run.contextDir / file.path;
}

// ---------------------------------------------------------------- check

// Something to fix: a change, or an unsafe fix left out.
bool hasFixes(const FileRun& run) { return run.outcome.changed() || run.outcome.withheldFixes(); }

int checkFile(const FileRun& run, const CommandOptions& options) {
  if (options.formatted) {
    options.formatted->add(run);
    return hasFixes(run) ? kChanges : kOk;
  }
  for (const engine::Finding& finding : run.outcome.findings) {
    std::cout << describeFinding(run, finding) << '\n';
  }
  return hasFixes(run) ? kChanges : kOk;
}

// ----------------------------------------------------------------- diff

bool useColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* noColor = std::getenv("NO_COLOR");
  if (noColor && *noColor) return false;
  return ::isatty(STDOUT_FILENO);
}

int diffFile(const FileRun& run, const CommandOptions& options) {
  if (options.formatted) {
    options.formatted->add(run);
    return hasFixes(run) ? kChanges : kOk;
  }
  if (!hasFixes(run)) return kOk;
  print::DiffColors colors{useColor(options.color)};
  for (const engine::Finding& finding : run.outcome.findings) {
    if (finding.changes() || finding.withheld) std::cout << "# " << describeFinding(run, finding) << '\n';
  }
  std::cout << runDiff(run, colors);
  return kChanges;
}

// ------------------------------------------------------------------ fix

void printSummary(const FileRun& run) {
  size_t changes = 0;
  size_t withheld = 0;
  for (const engine::Finding& finding : run.outcome.findings) {
    changes += finding.changes();
    withheld += finding.withheld;
  }
  std::string left = withheld
                         ? fmt::format(", {} unsafe fix{} not applied (--unsafe-fixes applies {})", withheld,
                                       withheld == 1 ? "" : "es", withheld == 1 ? "it" : "them")
                         : "";
  std::cerr << fmt::format("{}: {} change{}{}\n", run.displayName, changes, changes == 1 ? "" : "s", left);
  for (const engine::Finding& finding : run.outcome.findings) {
    if (finding.changes() || finding.withheld) std::cerr << "  " << describeFinding(run, finding) << '\n';
  }
}

int writeResult(const FileRun& run) {
  if (run.path != "-" && run.outcome.after != run.outcome.before) {
    if (auto error = writeDockerfile(run)) {
      std::cerr << fmt::format("{}: error: {}\n", run.displayName, *error);
      return kUsageOrInputError;
    }
  }
  for (const engine::FileChange& file : run.outcome.files) {
    fs::path path = extraFilePath(run, file);
    if (auto error = writeContextFile(run, file)) {
      std::cerr << fmt::format("{}: error: {}\n", path.string(), *error);
      return kUsageOrInputError;
    }
  }
  return kOk;
}

int fixFile(const FileRun& run, const CommandOptions& options) {
  if (options.checkOnly) {
    if (run.outcome.changed()) printSummary(run);
    return run.outcome.changed() ? kChanges : kOk;
  }
  if (options.toStdout || run.path == "-") {
    std::cout << run.outcome.after;
    if (hasFixes(run)) printSummary(run);
    return kOk;
  }
  int code = writeResult(run);
  if (code == kOk) printSummary(run);
  return code;
}

CLI::App* addCommand(CLI::App& app, const char* name, const char* description,
                     std::shared_ptr<CommandOptions> options) {
  CLI::App* command = app.add_subcommand(name, description);
  command->add_option("paths", options->paths,
                      "Dockerfiles, or directories to walk for Dockerfile, Containerfile, *.Dockerfile, "
                      "Dockerfile.* (default: ./Dockerfile; - reads stdin)");
  addTransformOptions(*command, options->transforms);
  addRunOptions(*command, options->run);
  return command;
}

}  // namespace

void addRewriteCommands(CLI::App& app, int& exitCode) {
  auto fix = std::make_shared<CommandOptions>();
  CLI::App* fixCommand = addCommand(app, "fix", "Rewrite Dockerfiles in place", fix);
  fixCommand->add_flag("--stdout", fix->toStdout, "Print the rewritten Dockerfile instead of writing it");
  fixCommand->add_flag("--check", fix->checkOnly, "Write nothing; exit 1 when something would change");
  fixCommand->callback(
      [fix, &exitCode] { exitCode = forEachDockerfile(*fix, fixFile, !fix->checkOnly && !fix->toStdout); });

  auto diff = std::make_shared<CommandOptions>();
  CLI::App* diffCommand = addCommand(app, "diff", "Print the rewrite as a unified diff", diff);
  diffCommand->add_option("--color", diff->color, "Colour the diff")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  addFormatOption(*diffCommand, diff->format);
  diffCommand->callback([diff, &exitCode] {
    diff->formatted = makeFormattedOutput(diff->format, "diff");
    exitCode = forEachDockerfile(*diff, diffFile);
    if (diff->formatted) diff->formatted->finish(std::cout);
  });

  auto check = std::make_shared<CommandOptions>();
  CLI::App* checkCommand = addCommand(app, "check", "Report what the rewrite would change", check);
  addFormatOption(*checkCommand, check->format);
  checkCommand->callback([check, &exitCode] {
    check->formatted = makeFormattedOutput(check->format, "check");
    exitCode = forEachDockerfile(*check, checkFile);
    if (check->formatted) check->formatted->finish(std::cout);
  });
}

}  // namespace dfopt::cli
