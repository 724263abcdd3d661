// The paths of the build context, and those a .dockerignore pattern or a
// name matches.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context/ignore_pattern.h"
#include "transforms/dockerignore/build_use.h"
#include "util/text.h"

namespace dfopt::transforms::dockerignore {

using text::baseName;

using context::BuildContext;

bool hasPatternSyntax(std::string_view path) {
  return std::any_of(path.begin(), path.end(),
                     [](char c) { return c == '*' || c == '?' || c == '[' || c == '\\'; });
}

size_t depthOf(std::string_view path) { return std::count(path.begin(), path.end(), '/'); }

SharedPaths contextPaths(const BuildContext& context) {
  // The last answer, kept a thread: the Dockerfiles of a run that share a
  // context (the same listing) get the same paths.
  thread_local std::shared_ptr<const BuildContext::Listing> lastListing;
  thread_local std::shared_ptr<const std::vector<std::string>> lastPaths;
  std::shared_ptr<const BuildContext::Listing> listing = context.listing();
  if (listing == lastListing) return lastPaths;
  std::vector<std::string> paths = context.files();
  for (const std::string& file : context.files()) {
    for (size_t slash = file.find('/'); slash != std::string::npos; slash = file.find('/', slash + 1)) {
      paths.push_back(file.substr(0, slash));
    }
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  lastListing = std::move(listing);
  lastPaths = std::make_shared<const std::vector<std::string>>(std::move(paths));
  return lastPaths;
}

namespace {

// Patterns compiled once a thread: the transform asks about the same names
// for every Dockerfile of a run. Bounded, for runs over many repositories.
const std::optional<context::IgnorePattern>& compiled(const std::string& pattern) {
  thread_local std::map<std::string, std::optional<context::IgnorePattern>> cache;
  if (cache.size() > 4096) cache.clear();
  auto known = cache.find(pattern);
  if (known == cache.end()) known = cache.emplace(pattern, context::IgnorePattern::compile(pattern)).first;
  return known->second;
}

}  // namespace

std::vector<std::string> pathsMatching(const std::string& pattern, const std::vector<std::string>& paths,
                                       const BuildContext& context) {
  if (!hasPatternSyntax(pattern))
    return context.exists(pattern) ? std::vector<std::string>{pattern} : std::vector<std::string>{};
  if (paths.empty()) return {};
  const auto& matcher = compiled(pattern);
  if (!matcher) return {};
  bool anyDepth = pattern.find("**") != std::string::npos;
  size_t depth = depthOf(pattern);
  std::vector<std::string> matched;
  for (const std::string& path : paths) {
    if ((anyDepth || depthOf(path) == depth) && matcher->matches(path)) matched.push_back(path);
  }
  return matched;
}

std::vector<std::string> pathsMatching(const std::string& pattern, const SharedPaths& paths,
                                       const BuildContext& context) {
  // What a pattern matches depends on the paths alone: the answers for the
  // last list (held, so an equal address is the same list) are kept, as the
  // Dockerfiles of a run that share a context ask about the same patterns.
  constexpr size_t kMostKept = 256;
  thread_local SharedPaths lastPaths;
  thread_local std::map<std::string, std::vector<std::string>, std::less<>> answers;
  if (!hasPatternSyntax(pattern)) return pathsMatching(pattern, *paths, context);
  if (paths != lastPaths || answers.size() >= kMostKept) {
    answers.clear();
    lastPaths = paths;
  }
  auto known = answers.find(pattern);
  if (known != answers.end()) return known->second;
  std::vector<std::string> matched = pathsMatching(pattern, *paths, context);
  answers.emplace(pattern, matched);
  return matched;
}

namespace {

// The last answer for each name, kept a thread: the Dockerfiles of a run
// that share a build context ask about the same names in the same paths,
// and comparing the paths costs less than matching them. Only for a
// context of ordinary size, whose paths are cheap to keep.
// The paths are held (shared), so a list at the same address is the same.
struct LastAnswer {
  SharedPaths paths;
  std::vector<std::string> matched;
};
constexpr size_t kRememberUpTo = 10000;

std::vector<std::string> matchNamed(std::string_view name, const std::vector<std::string>& paths) {
  std::vector<std::string> matched;
  const auto& matcher = compiled(std::string(name));
  if (!matcher) return matched;
  for (const std::string& path : paths) {
    if (matcher->matches(baseName(path))) matched.push_back(path);
  }
  return matched;
}

}  // namespace

std::vector<std::string> pathsNamed(std::string_view name, const SharedPaths& paths) {
  if (paths->empty()) return {};
  thread_local std::map<std::string, LastAnswer, std::less<>> answers;
  auto known = answers.find(name);
  if (known != answers.end()) {
    const std::vector<std::string>& last = *known->second.paths;
    if (&last == paths.get() || last == *paths) return known->second.matched;
  }
  std::vector<std::string> matched = matchNamed(name, *paths);
  if (paths->size() <= kRememberUpTo) answers[std::string(name)] = {paths, matched};
  return matched;
}

}  // namespace dfopt::transforms::dockerignore
