#include "cli/verify_workspace.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

std::optional<std::string> copyDirectory(const fs::path& from, const fs::path& to,
                                         const context::Dockerignore& ignore, bool skipDirectories,
                                         const std::string& relative) {
  std::error_code ec;
  fs::create_directories(to, ec);
  if (ec) return ec.message();
  for (fs::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::string path = relative.empty() ? name : relative + "/" + name;
    fs::file_status status = it->symlink_status(ec);
    if (ec) return fmt::format("{}: {}", it->path().string(), ec.message());
    if (fs::is_symlink(status)) {
      fs::copy_symlink(it->path(), to / name, ec);
    } else if (fs::is_directory(status)) {
      if (skipDirectories && ignore.excludes(path)) continue;
      if (auto error = copyDirectory(it->path(), to / name, ignore, skipDirectories, path)) return error;
    } else if (fs::is_regular_file(status)) {
      fs::copy_file(it->path(), to / name, ec);
    }
    if (ec) return fmt::format("{}: {}", it->path().string(), ec.message());
  }
  if (ec) return fmt::format("{}: {}", from.string(), ec.message());
  return std::nullopt;
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = (fs::path(base && *base ? base : "/tmp") / "dfopt-verify-XXXXXX").string();
  if (::mkdtemp(pattern.data())) path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

std::optional<std::string> copyContext(const fs::path& from, const fs::path& to,
                                       const context::Dockerignore& ignore) {
  bool skipDirectories = std::none_of(ignore.patterns().begin(), ignore.patterns().end(),
                                      [](const std::string& p) { return p.starts_with('!'); });
  return copyDirectory(from, to, ignore, skipDirectories, "");
}

bool writeFile(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

bool appendTo(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
  return static_cast<bool>(out);
}

std::optional<std::string> touchTarget(const std::string& touch, const fs::path& contextDir) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(contextDir, ec);
  for (const fs::path& candidate : {contextDir / touch, fs::path(touch)}) {
    if (!fs::is_regular_file(candidate, ec)) continue;
    fs::path relative = fs::weakly_canonical(candidate, ec).lexically_relative(root);
    if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  }
  return std::nullopt;
}

}  // namespace dfopt::cli
