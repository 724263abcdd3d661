#pragma once
// The build context a Dockerfile is built with: which files exist (paths
// relative to the context root, '/'-separated), their contents on demand,
// and the context's .dockerignore. Either read from a directory or given
// in memory (tests, golden cases).
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context/dockerignore.h"

namespace dfopt::context {

class BuildContext {
 public:
  // Lists the files below `root` (following no symlinks out of it).
  static BuildContext fromDirectory(const std::filesystem::path& root);
  // `files` maps relative paths to contents; directories are implied.
  static BuildContext fromFiles(std::map<std::string, std::string> files);

  // Is there a file or a directory at this relative path ("." is the root)?
  bool exists(std::string_view path) const;
  bool isDirectory(std::string_view path) const;
  // Content of a regular file (at most `limit` bytes), if it exists.
  std::optional<std::string> read(std::string_view path, size_t limit = 1 << 20) const;
  // Every file, sorted: regular files and symlinks (never followed).
  const std::vector<std::string>& files() const { return files_; }
  // Files directly or indirectly below a directory ("." for all).
  std::vector<std::string> filesUnder(std::string_view directory) const;

  // The .dockerignore at the root: its text, and its matcher (empty when
  // there is none).
  const std::optional<std::string>& dockerignoreText() const { return dockerignoreText_; }
  const Dockerignore& dockerignore() const { return dockerignore_; }

 private:
  std::optional<std::filesystem::path> root_;
  std::map<std::string, std::string> contents_;  // in-memory contexts only
  std::vector<std::string> files_;
  std::vector<std::string> directories_;
  std::optional<std::string> dockerignoreText_;
  Dockerignore dockerignore_;
};

// Cleans a path the way Docker does before matching (filepath.Clean, no
// leading "/" or "./"): "./a//b/" -> "a/b", "/" or "." -> ".".
std::string cleanPath(std::string_view path);

}  // namespace dfopt::context
