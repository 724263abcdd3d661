#include "cli/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

bool writeAll(int fd, const std::string& content) {
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    written += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::optional<std::string> writeAtomically(const fs::path& path, const std::string& content) {
  fs::path directory = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string temp = (directory / ("." + path.filename().string() + ".dfopt-XXXXXX")).string();
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return fmt::format("cannot create a temporary file: {}", std::strerror(errno));
  struct stat existing {};
  mode_t mode = ::stat(path.c_str(), &existing) == 0 ? (existing.st_mode & 07777) : 0644;
  bool ok = writeAll(fd, content) && ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
  int saved = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    saved = ok ? errno : saved;
    ::unlink(temp.c_str());
    return fmt::format("cannot write: {}", std::strerror(saved));
  }
  return std::nullopt;
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
