#include "cli/walk.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "util/dockerfile_names.h"
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
    std::error_code ec;
    fs::directory_iterator entries(directory, ec);
    for (; !ec && entries != fs::directory_iterator(); entries.increment(ec)) {
      const fs::directory_entry& entry = *entries;
      std::error_code statusError;
      // The entry's own type comes from the directory read where the file
      // system gives it: no lstat per entry.
      const bool ownDirectory = !entry.is_symlink(statusError) && entry.is_directory(statusError);
      std::string name = entry.path().filename().string();
      if (ownDirectory) {
        if (options_.recursive && !isSkippedDirectoryName(name) && !excluded(entry.path()))
          visit(entry.path());
      } else if (text::isDockerfileName(name) && entry.is_regular_file(statusError) &&
                 !excluded(entry.path())) {
        found_.push_back(entry.path().string());
      }
    }
    if (ec) {
      errors_ << fmt::format("{}: error: cannot read the directory: {}\n", directory.string(), ec.message());
      unreadable_ = true;
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
    if (path == "-" || seen.insert(fs::path(path).lexically_normal().string()).second)
      walk.files.push_back(path);
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
