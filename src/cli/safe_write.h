#pragma once
// Writing a file without ever losing it: the new content goes to a
// temporary file next to the real one (fsynced, mode and owner copied)
// and is renamed over it only when the file is still what dfopt read. A
// symlink is written through (its target changes, the link stays); a file
// with several hard links is written in place once the temporary write
// proved there is room, so every link sees the new content. A temporary
// file is removed on failure and on SIGINT/SIGTERM/SIGHUP.
#include <sys/stat.h>
#include <sys/types.h>

#include <ctime>
#include <filesystem>
#include <optional>
#include <string>

namespace dfopt::cli {

// What a file was when dfopt read it.
struct FileStamp {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  timespec modified{};
};

// The stamp of `path` (symlinks followed), if it exists.
std::optional<FileStamp> stampOf(const std::filesystem::path& path);
// The stamp of a file from what stat or fstat said of it.
FileStamp stampFrom(const struct stat& status);

// What a write expects to find at the path just before it replaces it:
// the bytes dfopt read (nothing: no file), and the file's stamp then when
// it was taken.
struct Expected {
  std::optional<std::string> bytes;
  std::optional<FileStamp> stamp;
};

// Writes `content` to `path`; returns an error message (without the path)
// on failure, and then the file is as it was. With `expected`, a file
// that is no longer as expected is not written.
std::optional<std::string> writeSafely(const std::filesystem::path& path, const std::string& content,
                                       const Expected* expected = nullptr);

}  // namespace dfopt::cli
