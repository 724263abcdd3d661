#include "context/directory_listing.h"

#include <dirent.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace dfopt::context {
namespace fs = std::filesystem;

namespace {

EntryKind kindOf(mode_t mode) {
  if (S_ISDIR(mode)) return EntryKind::Directory;
  if (S_ISREG(mode) || S_ISLNK(mode)) return EntryKind::File;
  return EntryKind::None;
}

// d_type when the file system gives it, else an lstat.
DirectoryEntry entryOf(const struct dirent& entry, const fs::path& directory) {
  DirectoryEntry out{entry.d_name};
  switch (entry.d_type) {
    case DT_DIR:
      out.kind = EntryKind::Directory;
      return out;
    case DT_REG:
      out.kind = EntryKind::File;
      return out;
    case DT_LNK:
      out.kind = EntryKind::File;
      out.symlink = true;
      return out;
    case DT_UNKNOWN:
      break;
    default:
      return out;
  }
  struct stat status {};
  if (::lstat((directory / entry.d_name).c_str(), &status) != 0) return out;
  out.kind = kindOf(status.st_mode);
  out.symlink = S_ISLNK(status.st_mode);
  return out;
}

bool isDotOrDotDot(const char* name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

}  // namespace

std::optional<std::vector<DirectoryEntry>> readDirectory(const fs::path& directory, std::string& error) {
  DIR* stream = ::opendir(directory.c_str());
  if (!stream) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::vector<DirectoryEntry> entries;
  while (true) {
    errno = 0;
    const struct dirent* entry = ::readdir(stream);
    if (!entry) break;
    if (!isDotOrDotDot(entry->d_name)) entries.push_back(entryOf(*entry, directory));
  }
  const int readError = errno;
  ::closedir(stream);
  if (readError != 0) {
    error = std::strerror(readError);
    return std::nullopt;
  }
  return entries;
}

// A stack rather than recursion: a deep tree cannot exhaust the C++ stack.
void listDirectory(const fs::path& root, const std::string& start, const Dockerignore& ignore,
                   DirectoryListing& listing, const EntriesRead& read) {
  std::vector<std::string> pending{start};
  while (!pending.empty()) {
    const std::string relative = std::move(pending.back());
    pending.pop_back();
    const fs::path directory = relative.empty() ? root : root / relative;
    std::optional<std::vector<DirectoryEntry>> entries;
    if (read) entries = read(directory);
    if (!entries) {
      std::string error;
      entries = readDirectory(directory, error);
      if (!entries) {
        listing.problems.push_back({relative.empty() ? std::string(".") : relative, error});
        continue;
      }
    }
    const std::string prefix = relative.empty() ? "" : relative + "/";
    for (const DirectoryEntry& entry : *entries) {
      std::string path = prefix + entry.name;
      switch (entry.kind) {
        case EntryKind::Directory:
          listing.directories.push_back(path);
          if (ignore.prunes(path)) {
            listing.pruned.push_back(std::move(path));
          } else {
            pending.push_back(std::move(path));
          }
          break;
        case EntryKind::File:
          listing.files.push_back(std::move(path));
          break;
        case EntryKind::None:
          break;
      }
    }
  }
}

EntryKind entryOnDisk(const fs::path& root, std::string_view path) {
  fs::path at = root;
  size_t begin = 0;
  while (true) {
    const size_t slash = path.find('/', begin);
    at /= std::string(path.substr(begin, slash == std::string_view::npos ? slash : slash - begin));
    struct stat status {};
    if (::lstat(at.c_str(), &status) != 0) return EntryKind::None;
    const EntryKind kind = kindOf(status.st_mode);
    if (slash == std::string_view::npos) return kind;
    if (kind != EntryKind::Directory) return EntryKind::None;
    begin = slash + 1;
  }
}

}  // namespace dfopt::context
