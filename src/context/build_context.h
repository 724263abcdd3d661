#pragma once
// The build context a Dockerfile is built with: which files exist (paths
// relative to the context root, '/'-separated), their contents on demand,
// and the context's .dockerignore. Either read from a directory or given
// in memory (tests, golden cases), with files written over it in memory
// (an overlay: what the transforms wrote, on top of the context).
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context/directory_listing.h"
#include "context/dockerignore.h"

namespace dfopt::context {

class BuildContext {
 public:
  // Lists the files below `root` (following no symlinks out of it). A
  // directory the .dockerignore leaves out, with no '!' exception reaching
  // inside, is not entered (as BuildKit's walk): it exists, what is below
  // it is looked up on disk when asked for by path, and files() and
  // filesUnder() leave it out. The directories `read` hands over are not
  // read again (see listDirectory).
  static BuildContext fromDirectory(const std::filesystem::path& root, const EntriesRead& read = {});
  // `files` maps relative paths to contents; directories are implied.
  static BuildContext fromFiles(std::map<std::string, std::string> files);
  // This context with `files` added or replaced in memory. What it was made
  // from is shared, not copied: its other files are read from where they
  // are when asked for, and its directories stay. A written .dockerignore
  // replaces the matcher.
  BuildContext withFiles(std::map<std::string, std::string> files) const;

  // Is there a file or a directory at this relative path ("." is the root)?
  bool exists(std::string_view path) const;
  bool isDirectory(std::string_view path) const;
  // Content of a regular file (at most `limit` bytes), if it exists.
  std::optional<std::string> read(std::string_view path, size_t limit = 1 << 20) const;
  // Every file, sorted: regular files and symlinks (never followed), none
  // below a pruned directory.
  const std::vector<std::string>& files() const { return listing_->files; }
  // Files directly or indirectly below a directory ("." for all).
  std::vector<std::string> filesUnder(std::string_view directory) const;

  // The .dockerignore at the root: its text, and its matcher (empty when
  // there is none).
  const std::optional<std::string>& dockerignoreText() const { return dockerignoreText_; }
  const Dockerignore& dockerignore() const { return dockerignore_; }
  // Directories left out unlisted, and those that could not be listed.
  const std::vector<std::string>& prunedDirectories() const { return listing_->pruned; }
  const std::vector<ListingProblem>& listingProblems() const { return base_->problems; }

  struct Listing {
    std::vector<std::string> files;        // sorted
    std::vector<std::string> directories;  // sorted
    std::vector<std::string> pruned;       // sorted: directories not entered
  };
  // The listing behind files() and prunedDirectories(), shared: contexts
  // that hold the same one list the same files.
  std::shared_ptr<const Listing> listing() const { return listing_; }

 private:
  // What a context is made from, never changed once made.
  struct Base {
    std::optional<std::filesystem::path> root;    // a directory
    std::map<std::string, std::string> contents;  // or files in memory
    Listing listing;
    std::vector<ListingProblem> problems;
  };

  explicit BuildContext(std::shared_ptr<const Base> base);
  std::optional<std::string> readBase(const std::string& path, size_t limit) const;
  // The kind of a path below a pruned directory, looked up on disk.
  std::optional<bool> prunedEntryIsDirectory(std::string_view path) const;
  void setDockerignore(std::optional<std::string> text);
  void listNoLongerPruned();

  std::shared_ptr<const Base> base_;
  // The base's listing, or a new one once files are written at new paths.
  std::shared_ptr<const Listing> listing_;
  std::map<std::string, std::string> written_;  // cleaned path -> content
  std::optional<std::string> dockerignoreText_;
  Dockerignore dockerignore_;
};

// Cleans a path the way Docker does before matching (filepath.Clean, no
// leading "/" or "./"): "./a//b/" -> "a/b", "/" or "." -> ".".
std::string cleanPath(std::string_view path);

}  // namespace dfopt::context
