#pragma once
// .dfopt.yaml, parsed and merged without I/O: text in, a Config or errors
// with their line and column out. Finding and reading the file is the CLI's
// (cli/config_files). Precedence, lowest first: dfopt's defaults, the
// file's top level, each `overrides` entry whose `files` match the
// Dockerfile (in file order), the command line.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context/dockerignore.h"
#include "engine/base_images.h"
#include "engine/transform.h"

namespace dfopt::config {

// A value and where it was set: "FILE:LINE" or "command line".
template <typename T>
struct Setting {
  T value;
  std::string origin;
};

// What one layer (the top level, an override, the command line) sets.
struct Settings {
  std::optional<Setting<std::vector<std::string>>> only;
  std::optional<Setting<std::vector<std::string>>> skip;
  std::optional<Setting<std::string>> user;
  std::optional<Setting<uint32_t>> uid;
  std::optional<Setting<std::string>> runtimeImage;
  std::optional<Setting<bool>> unsafeFixes;
  std::optional<Setting<uint64_t>> maxInputSize;  // bytes
  std::map<std::string, Setting<engine::BaseImageFacts>, std::less<>> baseImages;
};

// `over` on top of `base`: each value `over` sets wins; base images entry by entry.
Settings merge(Settings base, const Settings& over);

// `settings` applied to the options and transform lists of a run.
void apply(const Settings& settings, engine::Options& options, std::vector<std::string>& only,
           std::vector<std::string>& skip);

// Globs with .dockerignore's syntax (Go's filepath.Match plus `**`),
// relative to the configuration file's directory; one matches a path or a
// directory above it. A path outside that directory (`../x`) or an empty
// one (standard input) matches none.
struct Globs {
  std::vector<std::string> written;
  context::Dockerignore matcher;

  bool matches(std::string_view relativePath) const;
};

struct Override {
  Globs files;
  std::string origin;  // "FILE:LINE" of the entry
  Settings settings;
};

struct Config {
  std::string path;  // as found, for messages and origins
  Settings top;
  std::vector<Override> overrides;
  Globs exclude;
  std::string excludeOrigin;

  // Should a repository walk leave out this path (relative to the file's directory, '/'-separated)?
  bool excludes(std::string_view relativePath) const;
  // The top level with every override whose files match `relativePath` merged on top, in file order.
  Settings settingsFor(std::string_view relativePath) const;
};

struct Error {
  int line = 0;  // 1-based
  int column = 0;
  std::string message;
};

struct ParseOutcome {
  std::optional<Config> config;  // nothing when there are errors
  std::vector<Error> errors;
};

// Parses a .dfopt.yaml; `path` names it in origins, `transforms` are the
// names `only` and `skip` may use.
ParseOutcome parse(std::string_view text, std::string path, const std::vector<std::string>& transforms);

// `PATH:LINE:COL: error: MESSAGE`
std::string describe(const std::string& path, const Error& error);

}  // namespace dfopt::config
