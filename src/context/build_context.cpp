#include "context/build_context.h"

#include <algorithm>
#include <fstream>
#include <system_error>

#include "context/go_filepath.h"

namespace dfopt::context {

namespace fs = std::filesystem;

namespace {

struct Listing {
  std::vector<std::string> files;
  std::vector<std::string> directories;
};

// Symlinks are listed as files and never entered, so the listing stays
// inside the root; special files (fifos, sockets, devices) are left out.
// An entry that cannot be read is skipped.
void listDirectory(const fs::path& directory, const std::string& prefix, Listing& listing) {
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    const std::string path = prefix + it->path().filename().string();
    std::error_code statusError;
    const fs::file_status status = it->symlink_status(statusError);
    if (statusError) continue;
    if (fs::is_directory(status)) {
      listing.directories.push_back(path);
      listDirectory(it->path(), path + "/", listing);
    } else if (fs::is_regular_file(status) || fs::is_symlink(status)) {
      listing.files.push_back(path);
    }
  }
}

std::optional<std::string> readFile(const fs::path& path, size_t limit) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return std::nullopt;
  std::string content;
  char buffer[1 << 16];
  while (content.size() < limit && stream) {
    stream.read(buffer, static_cast<std::streamsize>(std::min(sizeof buffer, limit - content.size())));
    content.append(buffer, static_cast<size_t>(stream.gcount()));
  }
  if (stream.bad()) return std::nullopt;
  return content;
}

// Reading follows a symlink only to a regular file inside the root.
bool isReadableInside(const fs::path& root, const fs::path& path) {
  std::error_code error;
  const fs::path target = fs::canonical(path, error);
  if (error || !fs::is_regular_file(target, error)) return false;
  const fs::path canonicalRoot = fs::canonical(root, error);
  if (error) return false;
  const auto [rootEnd, unused] =
      std::mismatch(canonicalRoot.begin(), canonicalRoot.end(), target.begin(), target.end());
  return rootEnd == canonicalRoot.end();
}

bool isInsideContext(const std::string& path) {
  return path != "." && path != ".." && !path.starts_with("../");
}

void addParentDirectories(const std::string& file, std::vector<std::string>& directories) {
  for (size_t slash = file.find('/'); slash != std::string::npos; slash = file.find('/', slash + 1)) {
    directories.push_back(file.substr(0, slash));
  }
}

void sortUnique(std::vector<std::string>& paths) {
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
}

bool containsSorted(const std::vector<std::string>& sorted, const std::string& path) {
  return std::binary_search(sorted.begin(), sorted.end(), path);
}

constexpr const char* kDockerignore = ".dockerignore";

}  // namespace

std::string cleanPath(std::string_view path) {
  std::string cleaned = cleanGoPath(path);
  if (cleaned.starts_with('/')) cleaned.erase(0, 1);
  return cleaned.empty() ? "." : cleaned;
}

BuildContext BuildContext::fromDirectory(const fs::path& root) {
  BuildContext context;
  context.root_ = root;
  Listing listing;
  listDirectory(root, "", listing);
  context.files_ = std::move(listing.files);
  context.directories_ = std::move(listing.directories);
  sortUnique(context.files_);
  sortUnique(context.directories_);
  context.dockerignoreText_ = context.read(kDockerignore, SIZE_MAX);
  if (context.dockerignoreText_) context.dockerignore_ = Dockerignore::parse(*context.dockerignoreText_);
  return context;
}

BuildContext BuildContext::fromFiles(std::map<std::string, std::string> files) {
  BuildContext context;
  for (auto& [path, content] : files) {
    std::string cleaned = cleanPath(path);
    if (!isInsideContext(cleaned)) continue;
    addParentDirectories(cleaned, context.directories_);
    context.files_.push_back(cleaned);
    context.contents_[std::move(cleaned)] = std::move(content);
  }
  sortUnique(context.files_);
  sortUnique(context.directories_);
  const auto dockerignore = context.contents_.find(kDockerignore);
  if (dockerignore != context.contents_.end()) {
    context.dockerignoreText_ = dockerignore->second;
    context.dockerignore_ = Dockerignore::parse(dockerignore->second);
  }
  return context;
}

bool BuildContext::exists(std::string_view path) const {
  const std::string cleaned = cleanPath(path);
  return cleaned == "." || containsSorted(files_, cleaned) || containsSorted(directories_, cleaned);
}

bool BuildContext::isDirectory(std::string_view path) const {
  const std::string cleaned = cleanPath(path);
  return cleaned == "." || containsSorted(directories_, cleaned);
}

std::optional<std::string> BuildContext::read(std::string_view path, size_t limit) const {
  const std::string cleaned = cleanPath(path);
  if (!containsSorted(files_, cleaned)) return std::nullopt;
  if (!root_) {
    const auto found = contents_.find(cleaned);
    if (found == contents_.end()) return std::nullopt;
    return found->second.substr(0, limit);
  }
  const fs::path full = *root_ / cleaned;
  if (!isReadableInside(*root_, full)) return std::nullopt;
  return readFile(full, limit);
}

std::vector<std::string> BuildContext::filesUnder(std::string_view directory) const {
  const std::string cleaned = cleanPath(directory);
  if (cleaned == ".") return files_;
  const std::string prefix = cleaned + "/";
  // Paths sharing a prefix are adjacent once sorted.
  auto it = std::lower_bound(files_.begin(), files_.end(), prefix);
  std::vector<std::string> below;
  for (; it != files_.end() && it->starts_with(prefix); ++it) below.push_back(*it);
  return below;
}

}  // namespace dfopt::context
