// The paths of the build context, and those a .dockerignore pattern or a
// name matches.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "context/ignore_pattern.h"
#include "transforms/dockerignore/build_use.h"
#include "util/text.h"

namespace dfopt::transforms::dockerignore {

using text::baseName;

using context::BuildContext;

bool hasPatternSyntax(std::string_view path) { return path.find_first_of("*?[\\") != std::string_view::npos; }

size_t depthOf(std::string_view path) { return std::count(path.begin(), path.end(), '/'); }

std::vector<std::string> contextPaths(const BuildContext& context) {
  std::vector<std::string> paths = context.files();
  for (const std::string& file : context.files()) {
    for (size_t slash = file.find('/'); slash != std::string::npos; slash = file.find('/', slash + 1)) {
      paths.push_back(file.substr(0, slash));
    }
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

std::vector<std::string> pathsMatching(const std::string& pattern, const std::vector<std::string>& paths,
                                       const BuildContext& context) {
  if (!hasPatternSyntax(pattern))
    return context.exists(pattern) ? std::vector<std::string>{pattern} : std::vector<std::string>{};
  auto matcher = context::IgnorePattern::compile(pattern);
  if (!matcher) return {};
  bool anyDepth = pattern.find("**") != std::string::npos;
  size_t depth = depthOf(pattern);
  std::vector<std::string> matched;
  for (const std::string& path : paths) {
    if ((anyDepth || depthOf(path) == depth) && matcher->matches(path)) matched.push_back(path);
  }
  return matched;
}

std::vector<std::string> pathsNamed(std::string_view name, const std::vector<std::string>& paths) {
  auto matcher = context::IgnorePattern::compile(std::string(name));
  std::vector<std::string> matched;
  if (!matcher) return matched;
  for (const std::string& path : paths) {
    if (matcher->matches(baseName(path))) matched.push_back(path);
  }
  return matched;
}

}  // namespace dfopt::transforms::dockerignore
