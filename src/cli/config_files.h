#pragma once
// .dfopt.yaml on disk: found by walking up from each Dockerfile's directory
// to the repository root (the first directory holding .git), or named with
// --config; read and checked once per run; laid under the command line.
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/config.h"
#include "context/directory_listing.h"

namespace dfopt::cli {

struct TransformOptions;

// The configuration files of one run, each read once.
class ConfigFiles {
 public:
  // Finds and reads the configuration of every Dockerfile before any is
  // rewritten; prints each error as `FILE:LINE:COL: error: ...`; false on any.
  bool load(const std::vector<std::string>& dockerfiles, const TransformOptions& options);

  struct Found {
    const config::Config* config = nullptr;  // nothing: no configuration applies
    std::string relativePath;                // of the Dockerfile, from the configuration's directory
    std::filesystem::path searched;          // where discovery started, when it found nothing
  };
  // The configuration for `dockerfile` ("-": the current directory's);
  // nothing after printing an error. Kept per Dockerfile: a run asks for
  // each file's up to four times (walk, load, settings, run).
  std::optional<Found> forFile(const std::string& dockerfile, const TransformOptions& options);
  // commandLineSettings(options), worked out once per run: asking CLI11
  // which options were given costs more than reading a small Dockerfile.
  const config::Settings& commandLine(const TransformOptions& options);
  // A walk read `directory` and found `entries`: when neither .dfopt.yaml
  // nor .git is among them, discovery goes on to its parent without asking
  // the file system.
  void knowDirectory(const std::filesystem::path& directory,
                     const std::vector<context::DirectoryEntry>& entries);

 private:
  std::optional<Found> find(const std::string& dockerfile, const TransformOptions& options);
  std::optional<const config::Config*> read(const std::filesystem::path& file, const std::string& shown);
  std::optional<std::filesystem::path> discovered(const std::string& dir);

  // Keyed by path strings: comparing std::filesystem::path objects goes
  // name by name, and a walk over many folders asks for every one.
  std::mutex mutex_;
  std::unordered_map<std::string, std::optional<config::Config>> read_;  // absolute path -> parsed
  std::unordered_map<std::string, std::optional<std::filesystem::path>> discovered_;  // directory -> its file
  std::unordered_map<std::string, std::optional<Found>> found_;  // Dockerfile as given -> forFile's answer
  std::unordered_set<std::string> withoutConfig_;  // directories read with neither .dfopt.yaml nor .git
  std::optional<config::Settings> commandLine_;
};

// Adds --config and --no-config, and remembers `command` to tell which
// options its command line gives.
void addConfigOptions(CLI::App& command, TransformOptions& options);

// The settings the command line gives, each with the origin "command line".
config::Settings commandLineSettings(const TransformOptions& options);

// The configuration's settings for `dockerfile` and the command line's on top.
struct Effective {
  ConfigFiles::Found found;
  config::Settings settings;
};
std::optional<Effective> effectiveSettings(const std::string& dockerfile, const TransformOptions& options);

// `options` with the configuration for `dockerfile` beneath its command-line
// values; nothing after printing an error.
std::optional<TransformOptions> withConfiguration(const std::string& dockerfile,
                                                  const TransformOptions& options);

}  // namespace dfopt::cli
