#include "context/build_context.h"

#include <algorithm>
#include <fstream>
#include <system_error>
#include <utility>

#include "context/go_filepath.h"

namespace dfopt::context {

namespace fs = std::filesystem;

namespace {

using Listing = BuildContext::Listing;

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

bool containsSorted(const std::vector<std::string>& sorted, std::string_view path) {
  return std::binary_search(sorted.begin(), sorted.end(), path);
}

// Is `path` what cleanPath gives for it: "." or relative names, none empty,
// "." or "..", joined by single slashes? Such a path is looked up as it is.
bool isClean(std::string_view path) {
  if (path == ".") return true;
  for (size_t begin = 0;;) {
    size_t end = std::min(path.find('/', begin), path.size());
    std::string_view name = path.substr(begin, end - begin);
    if (name.empty() || name == "." || name == "..") return false;
    if (end == path.size()) return true;
    begin = end + 1;
  }
}

// The listing with files at new paths, and their directories, added.
Listing merged(const Listing& listing, const Listing& added) {
  Listing all = listing;
  all.files.insert(all.files.end(), added.files.begin(), added.files.end());
  all.directories.insert(all.directories.end(), added.directories.begin(), added.directories.end());
  sortUnique(all.files);
  sortUnique(all.directories);
  return all;
}

constexpr std::string_view kDockerignore = ".dockerignore";

// The .dockerignore at the root, read as read() would (a file, or a
// symlink to a file inside the root); not looked for on disk when the
// root's names are known and it is not one of them.
std::optional<std::string> readRootDockerignore(const fs::path& root,
                                                const std::vector<DirectoryEntry>* rootEntries) {
  if (rootEntries && std::none_of(rootEntries->begin(), rootEntries->end(),
                                  [](const DirectoryEntry& entry) { return entry.name == kDockerignore; }))
    return std::nullopt;
  const fs::path path = root / kDockerignore;
  if (entryOnDisk(root, kDockerignore) != EntryKind::File || !isReadableInside(root, path))
    return std::nullopt;
  return readFile(path, SIZE_MAX);
}

// Is `path` strictly below one of the sorted `directories`?
bool isBelowOneOf(const std::vector<std::string>& directories, std::string_view path) {
  for (size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
    if (std::binary_search(directories.begin(), directories.end(), path.substr(0, slash))) return true;
  }
  return false;
}

}  // namespace

std::string cleanPath(std::string_view path) {
  std::string cleaned = cleanGoPath(path);
  if (cleaned.starts_with('/')) cleaned.erase(0, 1);
  return cleaned.empty() ? "." : cleaned;
}

BuildContext::BuildContext(std::shared_ptr<const Base> base) : base_(base), listing_(base, &base->listing) {}

BuildContext BuildContext::fromDirectory(const fs::path& root, const EntriesRead& read) {
  auto base = std::make_shared<Base>();
  base->root = root;
  // The .dockerignore decides which directories the listing enters; the
  // root's names, when handed over, tell whether there is one.
  std::optional<std::vector<DirectoryEntry>> rootEntries;
  if (read) rootEntries = read(root);
  const std::optional<std::string> ignoreText =
      readRootDockerignore(root, rootEntries ? &*rootEntries : nullptr);
  EntriesRead readOnce = [&](const fs::path& directory) -> std::optional<std::vector<DirectoryEntry>> {
    if (rootEntries && directory.native() == root.native()) return std::exchange(rootEntries, std::nullopt);
    return read ? read(directory) : std::nullopt;
  };
  DirectoryListing listed;
  listDirectory(root, "", ignoreText ? Dockerignore::parse(*ignoreText) : Dockerignore(), listed, readOnce);
  base->listing = {std::move(listed.files), std::move(listed.directories), std::move(listed.pruned)};
  base->problems = std::move(listed.problems);
  sortUnique(base->listing.files);
  sortUnique(base->listing.directories);
  sortUnique(base->listing.pruned);
  BuildContext context(std::move(base));
  context.setDockerignore(context.read(kDockerignore, SIZE_MAX));
  return context;
}

BuildContext BuildContext::fromFiles(std::map<std::string, std::string> files) {
  auto base = std::make_shared<Base>();
  for (auto& [path, content] : files) {
    std::string cleaned = cleanPath(path);
    if (!isInsideContext(cleaned)) continue;
    addParentDirectories(cleaned, base->listing.directories);
    base->listing.files.push_back(cleaned);
    base->contents[std::move(cleaned)] = std::move(content);
  }
  sortUnique(base->listing.files);
  sortUnique(base->listing.directories);
  BuildContext context(std::move(base));
  context.setDockerignore(context.read(kDockerignore, SIZE_MAX));
  return context;
}

BuildContext BuildContext::withFiles(std::map<std::string, std::string> files) const {
  BuildContext overlay = *this;
  Listing added;
  bool dockerignoreWritten = false;
  for (auto& [path, content] : files) {
    std::string cleaned = cleanPath(path);
    if (!isInsideContext(cleaned)) continue;
    dockerignoreWritten = dockerignoreWritten || cleaned == kDockerignore;
    if (!containsSorted(listing_->files, cleaned)) {
      addParentDirectories(cleaned, added.directories);
      added.files.push_back(cleaned);
    }
    overlay.written_[std::move(cleaned)] = std::move(content);
  }
  if (!added.files.empty()) overlay.listing_ = std::make_shared<const Listing>(merged(*listing_, added));
  if (dockerignoreWritten) {
    overlay.setDockerignore(overlay.read(kDockerignore, SIZE_MAX));
    overlay.listNoLongerPruned();
  }
  return overlay;
}

// A written .dockerignore may let the walk into a directory the read one
// kept it out of: that directory is listed now.
void BuildContext::listNoLongerPruned() {
  if (!base_->root || listing_->pruned.empty()) return;
  DirectoryListing entered;
  std::vector<std::string> stillPruned;
  for (const std::string& directory : listing_->pruned) {
    if (dockerignore_.prunes(directory)) {
      stillPruned.push_back(directory);
    } else {
      listDirectory(*base_->root, directory, dockerignore_, entered);
    }
  }
  if (stillPruned.size() == listing_->pruned.size()) return;
  Listing all = merged(*listing_, {std::move(entered.files), std::move(entered.directories), {}});
  stillPruned.insert(stillPruned.end(), entered.pruned.begin(), entered.pruned.end());
  sortUnique(stillPruned);
  all.pruned = std::move(stillPruned);
  listing_ = std::make_shared<const Listing>(std::move(all));
}

void BuildContext::setDockerignore(std::optional<std::string> text) {
  dockerignore_ = text ? Dockerignore::parse(*text) : Dockerignore();
  dockerignoreText_ = std::move(text);
}

namespace {

// `path` as cleanPath gives it, written into `storage` only when cleaning
// changes it.
std::string_view cleaned(std::string_view path, std::string& storage) {
  if (isClean(path)) return path;
  storage = cleanPath(path);
  return storage;
}

}  // namespace

bool BuildContext::exists(std::string_view path) const {
  std::string storage;
  path = cleaned(path, storage);
  return path == "." || containsSorted(listing_->files, path) ||
         containsSorted(listing_->directories, path) || prunedEntryIsDirectory(path).has_value();
}

bool BuildContext::isDirectory(std::string_view path) const {
  std::string storage;
  path = cleaned(path, storage);
  return path == "." || containsSorted(listing_->directories, path) || prunedEntryIsDirectory(path) == true;
}

std::optional<bool> BuildContext::prunedEntryIsDirectory(std::string_view path) const {
  if (!base_->root || !isBelowOneOf(listing_->pruned, path)) return std::nullopt;
  switch (entryOnDisk(*base_->root, path)) {
    case EntryKind::Directory:
      return true;
    case EntryKind::File:
      return false;
    case EntryKind::None:
      break;
  }
  return std::nullopt;
}

std::optional<std::string> BuildContext::read(std::string_view path, size_t limit) const {
  const std::string cleaned = cleanPath(path);
  const auto written = written_.find(cleaned);
  if (written != written_.end()) return written->second.substr(0, limit);
  return readBase(cleaned, limit);
}

std::optional<std::string> BuildContext::readBase(const std::string& path, size_t limit) const {
  if (!base_->root) {
    if (!containsSorted(base_->listing.files, path)) return std::nullopt;
    const auto found = base_->contents.find(path);
    if (found == base_->contents.end()) return std::nullopt;
    return found->second.substr(0, limit);
  }
  if (!containsSorted(listing_->files, path) && prunedEntryIsDirectory(path) != false) return std::nullopt;
  const fs::path full = *base_->root / path;
  if (!isReadableInside(*base_->root, full)) return std::nullopt;
  return readFile(full, limit);
}

std::vector<std::string> BuildContext::filesUnder(std::string_view directory) const {
  const std::string cleaned = cleanPath(directory);
  const std::vector<std::string>& files = listing_->files;
  if (cleaned == ".") return files;
  const std::string prefix = cleaned + "/";
  // Paths sharing a prefix are adjacent once sorted.
  auto it = std::lower_bound(files.begin(), files.end(), prefix);
  std::vector<std::string> below;
  for (; it != files.end() && it->starts_with(prefix); ++it) below.push_back(*it);
  return below;
}

}  // namespace dfopt::context
