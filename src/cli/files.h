#pragma once
// Writing files safely, and paths as messages and diff headers show them.
#include <filesystem>
#include <optional>
#include <string>

namespace dfopt::cli {

// Writes through a temporary file in the same directory and a rename, so a
// reader never sees half a file (cli/safe_write.h: symlinks, hard links,
// mode and owner kept). Returns an error message on failure.
std::optional<std::string> writeAtomically(const std::filesystem::path& path, const std::string& content);

// `path` made absolute against the working directory, which is asked of the
// system once per process (dfopt never changes it); the empty path is the
// working directory itself.
std::filesystem::path absoluteFromWorkingDirectory(const std::filesystem::path& path);
// `path` absolute with its symbolic links resolved as far as it exists
// (weakly_canonical), '/'-separated; lexically normal where that fails.
std::string resolvedPath(const std::filesystem::path& path);
// A directory's path as a key: lexically normal, '/'-separated, without a
// trailing '/' (`dir/` and `dir` are one key).
std::string directoryKey(const std::filesystem::path& directory);

// `path` relative to the current directory when it is below it, with '/'
// separators (for diff headers).
std::string displayPath(const std::filesystem::path& path);
// displayPath for diff headers: without a leading '/', as git writes paths
// (a file outside the current directory then applies from "/").
std::string diffHeaderPath(const std::filesystem::path& path);

}  // namespace dfopt::cli
