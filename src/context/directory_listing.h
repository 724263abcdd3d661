#pragma once
// Listing a build context directory as BuildContext::fromDirectory needs
// it: regular files and symlinks as files (symlinks never entered, so no
// loop), directories, special files (fifos, sockets, devices) left out,
// and directories the .dockerignore leaves out without entering them
// (Dockerignore::prunes) recorded as pruned, their content unlisted.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context/dockerignore.h"

namespace dfopt::context {

// A directory that could not be listed, and why.
struct ListingProblem {
  std::string path;  // relative to the root, "." for the root
  std::string reason;
};

struct DirectoryListing {
  std::vector<std::string> files;
  std::vector<std::string> directories;
  std::vector<std::string> pruned;  // directories not entered
  std::vector<ListingProblem> problems;
};

enum class EntryKind { None, File, Directory };

// One name in a directory, and what the listing takes it for.
struct DirectoryEntry {
  std::string name;
  EntryKind kind = EntryKind::None;  // None: a special file (fifo, socket, device)
  bool symlink = false;              // a File that is a symbolic link
};

// The names in `directory` but "." and "..", unsorted; nothing when it
// cannot be read, and `error` says why.
std::optional<std::vector<DirectoryEntry>> readDirectory(const std::filesystem::path& directory,
                                                         std::string& error);

// The names of a directory a caller read a moment ago (a walk that found a
// Dockerfile there), handed over once; nothing when it did not read it.
using EntriesRead =
    std::function<std::optional<std::vector<DirectoryEntry>>(const std::filesystem::path& directory)>;

// Lists what is below `root`/`start` ("" for the root itself), paths
// relative to `root` with '/'; unsorted. A directory `read` hands over is
// not read again.
void listDirectory(const std::filesystem::path& root, const std::string& start, const Dockerignore& ignore,
                   DirectoryListing& listing, const EntriesRead& read = {});

// What is at `path` (relative to `root`) on disk, as the listing would have
// seen it: a symlink is a file and is not followed on the way, so nothing
// below a symlinked directory exists.
EntryKind entryOnDisk(const std::filesystem::path& root, std::string_view path);

}  // namespace dfopt::context
