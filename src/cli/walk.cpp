#include "cli/walk.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "cli/files.h"
#include "util/dockerfile_names.h"
#include "util/normal_path.h"
#include "util/text.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

class Walker {
 public:
  Walker(const WalkOptions& options, std::ostream& errors) : options_(options), errors_(errors) {}

  // The Dockerfiles below `directory`, sorted by path.
  std::vector<std::string> walk(const fs::path& directory) {
    found_.clear();
    visit(directory);
    std::sort(found_.begin(), found_.end());
    return std::move(found_);
  }

  bool unreadable() const { return unreadable_; }

 private:
  bool excluded(const fs::path& path) const { return options_.excluded && options_.excluded(path); }

  void visit(const fs::path& directory) {
    std::string error;
    std::optional<std::vector<context::DirectoryEntry>> entries = context::readDirectory(directory, error);
    if (!entries) {
      errors_ << fmt::format("{}: error: cannot read the directory: {}\n", directory.string(), error);
      unreadable_ = true;
      return;
    }
    if (options_.read) options_.read(directory, *entries);
    for (const context::DirectoryEntry& entry : *entries) {
      if (entry.kind == context::EntryKind::Directory) {
        fs::path path = directory / entry.name;
        if (options_.recursive && !isSkippedDirectoryName(entry.name) && !excluded(path)) visit(path);
      } else if (entry.kind == context::EntryKind::File && text::isDockerfileName(entry.name)) {
        fs::path path = directory / entry.name;
        // A symlink counts when it leads to a regular file.
        std::error_code ec;
        if ((!entry.symlink || fs::is_regular_file(path, ec)) && !excluded(path))
          found_.push_back(path.string());
      }
    }
  }

  const WalkOptions& options_;
  std::ostream& errors_;
  std::vector<std::string> found_;
  bool unreadable_ = false;
};

}  // namespace

bool isSkippedDirectoryName(const std::string& name) {
  return text::isOneOf(name, {".git", ".hg", ".svn", "node_modules", "vendor"});
}

std::optional<Walk> findDockerfiles(const std::vector<std::string>& paths, const WalkOptions& options,
                                    std::ostream& errors) {
  Walk walk;
  Walker walker(options, errors);
  std::set<std::string> seen;
  auto take = [&](const std::string& path) {
    if (path == "-" || seen.insert(util::lexicallyNormal(path).string()).second) walk.files.push_back(path);
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path == "-" || fs::is_regular_file(path, ec)) {
      take(path);
    } else if (fs::is_directory(path, ec)) {
      walk.namedADirectory = true;
      bool wasUnreadable = walker.unreadable();
      std::vector<std::string> found = walker.walk(path);
      if (found.empty() && walker.unreadable() == wasUnreadable) {
        errors << fmt::format("{}: error: no Dockerfile, Containerfile, *.Dockerfile or Dockerfile.* {}\n",
                              path,
                              options.recursive ? "in this directory or below it" : "in this directory");
        return std::nullopt;
      }
      for (const std::string& file : found) take(file);
    } else {
      errors << fmt::format("{}: error: no such file or directory\n", path);
      return std::nullopt;
    }
  }
  walk.unreadable = walker.unreadable();
  return walk;
}

}  // namespace dfopt::cli
