#include "cli/files.h"

#include "cli/safe_write.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

std::optional<std::string> writeAtomically(const fs::path& path, const std::string& content) {
  return writeSafely(path, content);
}

std::string displayPath(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec).lexically_normal();
  fs::path relative = absolute.lexically_relative(fs::current_path(ec));
  if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return path.lexically_normal().generic_string();
}

std::string diffHeaderPath(const fs::path& path) {
  std::string shown = displayPath(path);
  size_t slashes = shown.find_first_not_of('/');
  return slashes == std::string::npos ? shown : shown.substr(slashes);
}

}  // namespace dfopt::cli
