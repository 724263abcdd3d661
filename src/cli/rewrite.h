#pragma once
// What fix, diff, check and golden share: the transform options, running the
// pipeline on one Dockerfile with its build context, and describing findings.
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/input.h"
#include "engine/pipeline.h"

namespace dfopt::cli {

class ConfigFiles;

struct TransformOptions {
  std::vector<std::string> only;
  std::vector<std::string> skip;
  std::string context;  // empty: the Dockerfile's directory
  engine::Options engine;
  std::string configFile;                // --config; empty: found by walking up (cli/config_files.h)
  bool noConfig = false;                 // --no-config
  const CLI::App* command = nullptr;     // tells which options the command line gave
  std::shared_ptr<ConfigFiles> configs;  // the run's configuration files, read once

  // --max-input-size
  size_t maxInputSize = kDefaultMaxInputSize;

  engine::Selection selection() const { return {only, skip}; }
};

// Adds --only, --skip, --context, --user, --uid, --runtime-image,
// --unsafe-fixes, --pin-digests, --config, --no-config, --max-input-size.
void addTransformOptions(CLI::App& command, TransformOptions& options);
// Unknown transform names in --only/--skip: prints an error, returns false.
bool validateTransformNames(const TransformOptions& options);

struct FileRun {
  std::string path;         // as given ("-" for stdin)
  std::string displayName;  // for messages
  std::filesystem::path contextDir;
  engine::PipelineOutcome outcome;
  std::optional<FileStamp> stamp;  // the Dockerfile when it was read
};

// Reads the Dockerfile, its configuration and its context and runs the
// pipeline. Reports input and pipeline errors on `errors` and returns nothing
// then. Safe to call on several threads at once (cli/many_files.h).
std::optional<FileRun> runOnFile(const std::string& path, const TransformOptions& options,
                                 std::ostream& errors = std::cerr);

// `LINE:COL: severity [transform] message`
std::string describeFinding(const FileRun& run, const engine::Finding& finding);

}  // namespace dfopt::cli
