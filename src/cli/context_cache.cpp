#include "cli/context_cache.h"

#include <sys/stat.h>

#include <future>
#include <map>
#include <mutex>
#include <optional>

#include <fmt/format.h>

#include "cli/files.h"
#include "util/text.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

using Listed = std::shared_future<context::BuildContext>;

struct Cache {
  std::mutex mutex;
  std::map<std::string, Listed> contexts;  // by resolved path
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
  thread_local std::map<std::string, std::string, std::less<>> known;
  std::string key = absoluteFromWorkingDirectory(directory).generic_string();
  if (auto found = known.find(key); found != known.end()) return found->second;
  std::string answer = resolvedFromParent(key);
  if (known.size() >= 4096) known.clear();
  known.emplace(std::move(key), answer);
  return answer;
}

}  // namespace

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
      context::BuildContext listedNow = context::BuildContext::fromDirectory(directory);
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
}

}  // namespace dfopt::cli
