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
EntryKind kindOf(const struct dirent& entry, const fs::path& full) {
  switch (entry.d_type) {
    case DT_DIR:
      return EntryKind::Directory;
    case DT_REG:
    case DT_LNK:
      return EntryKind::File;
    case DT_UNKNOWN:
      break;
    default:
      return EntryKind::None;
  }
  struct stat status {};
  if (::lstat(full.c_str(), &status) != 0) return EntryKind::None;
  return kindOf(status.st_mode);
}

bool isDotOrDotDot(const char* name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

}  // namespace

// A stack rather than recursion: a deep tree cannot exhaust the C++ stack.
void listDirectory(const fs::path& root, const std::string& start, const Dockerignore& ignore,
                   DirectoryListing& listing) {
  std::vector<std::string> pending{start};
  while (!pending.empty()) {
    const std::string relative = std::move(pending.back());
    pending.pop_back();
    const fs::path directory = relative.empty() ? root : root / relative;
    DIR* stream = ::opendir(directory.c_str());
    if (!stream) {
      listing.problems.push_back({relative.empty() ? std::string(".") : relative, std::strerror(errno)});
      continue;
    }
    const std::string prefix = relative.empty() ? "" : relative + "/";
    while (const struct dirent* entry = ::readdir(stream)) {
      if (isDotOrDotDot(entry->d_name)) continue;
      std::string path = prefix + entry->d_name;
      switch (kindOf(*entry, directory / entry->d_name)) {
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
    ::closedir(stream);
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
