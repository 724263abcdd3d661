#include "cli/context_cache.h"

#include <future>
#include <map>
#include <mutex>
#include <optional>

#include <fmt/format.h>

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

std::string resolved(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  fs::path canonical = fs::weakly_canonical(absolute, ec);
  return (ec ? absolute.lexically_normal() : canonical).generic_string();
}

}  // namespace

context::BuildContext sharedContext(const fs::path& directory, std::ostream& warnings) {
  // The Dockerfiles of a run with --context, or of one folder, name the same
  // directory one after the other: resolving it (a getcwd and a readlink
  // per component) is done again only for another one.
  thread_local fs::path lastDirectory;
  thread_local std::string lastKey;
  if (lastKey.empty() || directory != lastDirectory) {
    lastKey = resolved(directory);
    lastDirectory = directory;
  }
  const std::string key = lastKey;
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
  const std::string written = resolved(file);
  std::lock_guard lock(cache().mutex);
  std::erase_if(cache().contexts, [&](const auto& entry) { return text::isUnder(written, entry.first); });
}

}  // namespace dfopt::cli
