// .dockerignore matching: patterns (the input up to its first NUL byte)
// against paths (the lines after it, or the patterns' own lines when there
// is none) never crash or hang (RE2, Go's filepath.Match with '**').
#include <cstdint>
#include <sstream>
#include <string>

#include "check.h"
#include "context/build_context.h"
#include "context/dockerignore.h"

using namespace dfopt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 14) return 0;
  auto [patterns, rest] = fuzz::splitAtNul({reinterpret_cast<const char*>(data), size});
  context::Dockerignore ignore = context::Dockerignore::parse(patterns);
  std::istringstream lines(std::string(rest.empty() ? patterns : rest));
  std::string path;
  while (std::getline(lines, path)) {
    std::string clean = context::cleanPath(path);
    fuzz::require(context::cleanPath(clean) == clean, "cleaning a clean path changes nothing");
    ignore.excludes(clean);
    ignore.matchesOrParentMatches(path);
    for (const std::string& pattern : ignore.patterns()) context::matchPattern(pattern, clean);
  }
  return 0;
}
