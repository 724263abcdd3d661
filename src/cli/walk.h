#pragma once
// Finding the Dockerfiles a command's PATH arguments name: a file as is, a
// directory walked for the names util/dockerfile_names.h takes.
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "context/directory_listing.h"

namespace dfopt::cli {

struct WalkOptions {
  // false: only the directory itself, not its subdirectories.
  bool recursive = true;
  // Paths the walk leaves out (the configuration's `exclude`): a directory
  // with everything below it, or one file. Called with the path as the walk
  // names it (the directory argument joined with the names below it). Files
  // named on the command line are always taken.
  std::function<bool(const std::filesystem::path&)> excluded;
  // Told each directory the walk read (named as `excluded` names paths) and
  // its names, before any of them is taken: what a run can know without
  // asking the file system again.
  std::function<void(const std::filesystem::path&, const std::vector<context::DirectoryEntry>&)> read;
};

struct Walk {
  std::vector<std::string> files;  // in order: arguments as given, each directory's finds sorted
  bool namedADirectory = false;
  bool unreadable = false;  // a directory could not be read (reported; the rest was walked)
};

// Directories never walked into: version control data and installed
// dependencies (.git, .hg, .svn, node_modules, vendor).
bool isSkippedDirectoryName(const std::string& name);

// Walks the PATH arguments ("-" is stdin, taken as is). Symlinks to files
// are taken, symlinks to directories are not followed (no loops, no file
// found twice). An unreadable directory is reported on `errors` and the
// walk goes on. A path that names nothing, or a directory without a
// Dockerfile, is reported and nothing is returned.
std::optional<Walk> findDockerfiles(const std::vector<std::string>& paths, const WalkOptions& options,
                                    std::ostream& errors = std::cerr);

}  // namespace dfopt::cli
