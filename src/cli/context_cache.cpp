#include "cli/context_cache.h"

#include <sys/stat.h>

#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "cli/files.h"
#include "util/text.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

using Listed = std::shared_future<context::BuildContext>;

// What a walk read, by directoryKey (the walk's name for a directory and a
// Dockerfile's parent are one key), until a context listing takes it:
// at most kRememberedNames names in all, so a walk of a large tree holds
// no more than a bounded part of it.
constexpr size_t kRememberedNames = size_t{1} << 16;

struct Cache {
  std::mutex mutex;
  std::map<std::string, Listed> contexts;  // by resolved path
  std::unordered_map<std::string, std::vector<context::DirectoryEntry>> entries;
  size_t names = 0;  // in `entries`
};

Cache& cache() {
  static Cache instance;
  return instance;
}

std::string resolvedDirectory(const fs::path& directory);

// What resolvedPath gives for a directory whose parent resolvedDirectory knows,
// with one lstat of its own name when that is a directory, not a link.
std::string resolvedFromParent(const fs::path& absolute) {
  const fs::path name = absolute.filename();
  const fs::path parent = absolute.parent_path();
  if (!name.empty() && name != "." && name != ".." && parent != absolute) {
    struct stat status {};
    if (::lstat(absolute.c_str(), &status) == 0 && S_ISDIR(status.st_mode)) {
      const std::string above = resolvedDirectory(parent);
      return (above.ends_with('/') ? above : above + "/") + name.generic_string();
    }
  }
  return resolvedPath(absolute);
}

// resolvedPath(directory), kept per thread by the absolute path: the
// Dockerfiles of a run with --context, or of one folder, name the same
// directory one after the other, and a walk over many folders names
// siblings, whose parent is resolved once (resolving reads every name of
// the path as a link).
std::string resolvedDirectory(const fs::path& directory) {
  thread_local std::unordered_map<std::string, std::string> known;
  std::string key = absoluteFromWorkingDirectory(directory).generic_string();
  if (auto found = known.find(key); found != known.end()) return found->second;
  std::string answer = resolvedFromParent(key);
  if (known.size() >= 4096) known.clear();
  known.emplace(std::move(key), answer);
  return answer;
}

std::optional<std::vector<context::DirectoryEntry>> takeEntries(const fs::path& directory) {
  std::lock_guard lock(cache().mutex);
  if (cache().entries.empty()) return std::nullopt;
  auto found = cache().entries.find(directoryKey(directory));
  if (found == cache().entries.end()) return std::nullopt;
  std::vector<context::DirectoryEntry> entries = std::move(found->second);
  cache().entries.erase(found);
  cache().names -= entries.size();
  return entries;
}

}  // namespace

void rememberEntries(const fs::path& directory, std::vector<context::DirectoryEntry> entries) {
  std::string key = directoryKey(directory);
  std::lock_guard lock(cache().mutex);
  if (cache().names + entries.size() > kRememberedNames || cache().entries.contains(key)) return;
  cache().names += entries.size();
  cache().entries.emplace(std::move(key), std::move(entries));
}

context::BuildContext sharedContext(const fs::path& directory, std::ostream& warnings) {
  const std::string key = resolvedDirectory(directory);
  std::optional<std::promise<context::BuildContext>> lister;
  Listed listed;
  {
    std::lock_guard lock(cache().mutex);
    auto [entry, added] = cache().contexts.try_emplace(key);
    if (added) entry->second = lister.emplace().get_future().share();
    listed = entry->second;
  }
  // The first to ask lists it, outside the lock; the others wait for it.
  if (lister) {
    try {
      context::BuildContext listedNow = context::BuildContext::fromDirectory(directory, takeEntries);
      for (const context::ListingProblem& problem : listedNow.listingProblems()) {
        warnings << fmt::format(
            "{}: warning: cannot list the folder: {} (what it holds is left out of the "
            "build context dfopt sees)\n",
            (directory / problem.path).lexically_normal().string(), problem.reason);
      }
      lister->set_value(std::move(listedNow));
    } catch (...) {
      lister->set_exception(std::current_exception());
    }
  }
  return listed.get();
}

void forgetContextsHolding(const fs::path& file) {
  const std::string written = resolvedPath(file);
  std::lock_guard lock(cache().mutex);
  std::erase_if(cache().contexts, [&](const auto& entry) { return text::isUnder(written, entry.first); });
  // Keyed as the walk named them, not resolved: all go.
  cache().entries.clear();
  cache().names = 0;
}

}  // namespace dfopt::cli
