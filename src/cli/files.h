#pragma once
// Finding Dockerfiles on disk and writing files safely.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dfopt::cli {

// PATH arguments to Dockerfiles: a file as is; a directory searched (not
// recursively) for Dockerfile, *.Dockerfile and Dockerfile.*; "-" as is.
// Prints an error and returns nothing when a path names neither.
std::optional<std::vector<std::string>> findDockerfiles(const std::vector<std::string>& paths);

// Writes through a temporary file in the same directory and a rename, so a
// reader never sees half a file; keeps the mode of an existing file.
// Returns an error message on failure.
std::optional<std::string> writeAtomically(const std::filesystem::path& path, const std::string& content);

// `path` relative to the current directory when it is below it, with '/'
// separators (for diff headers).
std::string displayPath(const std::filesystem::path& path);
// displayPath for diff headers: without a leading '/', as git writes paths
// (a file outside the current directory then applies from "/").
std::string diffHeaderPath(const std::filesystem::path& path);

}  // namespace dfopt::cli
