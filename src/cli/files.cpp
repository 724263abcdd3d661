#include "cli/files.h"

#include "cli/safe_write.h"
#include "util/normal_path.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

std::optional<std::string> writeAtomically(const fs::path& path, const std::string& content) {
  return writeSafely(path, content);
}

fs::path absoluteFromWorkingDirectory(const fs::path& path) {
  if (path.is_absolute()) return path;
  static const fs::path workingDirectory = [] {
    std::error_code ec;
    return fs::current_path(ec);
  }();
  return path.empty() ? workingDirectory : workingDirectory / path;
}

std::string resolvedPath(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = absoluteFromWorkingDirectory(path);
  fs::path resolved = fs::weakly_canonical(absolute, ec);
  return (ec ? util::lexicallyNormal(absolute) : resolved).generic_string();
}

std::string directoryKey(const fs::path& directory) {
  std::string key = util::lexicallyNormal(directory).generic_string();
  if (key.size() > 1 && key.ends_with('/')) key.pop_back();
  return key;
}

std::string displayPath(const fs::path& path) {
  fs::path absolute = util::lexicallyNormal(absoluteFromWorkingDirectory(path));
  fs::path relative = absolute.lexically_relative(absoluteFromWorkingDirectory(""));
  if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return util::lexicallyNormal(path).generic_string();
}

std::string diffHeaderPath(const fs::path& path) {
  std::string shown = displayPath(path);
  size_t slashes = shown.find_first_not_of('/');
  return slashes == std::string::npos ? shown : shown.substr(slashes);
}

}  // namespace dfopt::cli
