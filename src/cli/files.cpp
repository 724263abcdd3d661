#include "cli/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>

#include <fmt/format.h>

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

bool isDockerfileName(const std::string& name) {
  return name == "Dockerfile" || name.ends_with(".Dockerfile") || name.starts_with("Dockerfile.");
}

std::vector<std::string> dockerfilesIn(const fs::path& directory) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    if (entry.is_regular_file(ec) && isDockerfileName(entry.path().filename().string())) {
      found.push_back(entry.path().string());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

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

std::optional<std::vector<std::string>> findDockerfiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path == "-" || fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else if (fs::is_directory(path, ec)) {
      auto found = dockerfilesIn(path);
      if (found.empty()) {
        std::cerr << fmt::format("{}: error: no Dockerfile, *.Dockerfile or Dockerfile.* in this directory\n",
                                 path);
        return std::nullopt;
      }
      files.insert(files.end(), found.begin(), found.end());
    } else {
      std::cerr << fmt::format("{}: error: no such file or directory\n", path);
      return std::nullopt;
    }
  }
  return files;
}

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
