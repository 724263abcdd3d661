// cleanGoPath against Go's filepath.Clean: its own examples, and random paths
// against a plain reference that keeps the list of elements.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "context/go_filepath.h"

using dfopt::context::cleanGoPath;

namespace {

// Clean by the rules as Go's documentation states them, on a list of elements.
std::string cleanByElements(std::string_view path) {
  const bool rooted = !path.empty() && path.front() == '/';
  std::vector<std::string> kept;
  for (size_t start = 0; start <= path.size();) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string element(path.substr(start, end - start));
    start = end + 1;
    if (element.empty() || element == ".") continue;
    if (element != "..") {
      kept.push_back(element);
    } else if (!kept.empty() && kept.back() != "..") {
      kept.pop_back();
    } else if (!rooted) {
      kept.push_back(element);
    }
  }
  std::string cleaned = rooted ? "/" : "";
  for (size_t i = 0; i < kept.size(); ++i) cleaned += (i > 0 ? "/" : "") + kept[i];
  return cleaned.empty() ? "." : cleaned;
}

}  // namespace

TEST_CASE("cleanGoPath gives what filepath.Clean gives", "[context]") {
  // from Go's path/filepath tests
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"abc", "abc"},
      {"abc/def", "abc/def"},
      {"a/b/c", "a/b/c"},
      {".", "."},
      {"..", ".."},
      {"../..", "../.."},
      {"../../abc", "../../abc"},
      {"/abc", "/abc"},
      {"/", "/"},
      {"", "."},
      {"abc/", "abc"},
      {"abc/def/", "abc/def"},
      {"/abc/", "/abc"},
      {"abc//def//ghi", "abc/def/ghi"},
      {"//abc", "/abc"},
      {"///abc", "/abc"},
      {"abc/./def", "abc/def"},
      {"/./abc/def", "/abc/def"},
      {"abc/.", "abc"},
      {"abc/def/ghi/../jkl", "abc/def/jkl"},
      {"abc/def/../ghi/../jkl", "abc/jkl"},
      {"abc/def/..", "abc"},
      {"abc/def/../..", "."},
      {"/abc/def/../..", "/"},
      {"abc/def/../../..", ".."},
      {"/abc/def/../../..", "/"},
      {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"},
      {"/../abc", "/abc"},
      {"abc/./../def", "def"},
      {"abc//./../def", "def"},
      {"abc/../../././../def", "../../def"},
  };
  for (const auto& [path, cleaned] : cases) {
    INFO(path);
    CHECK(cleanGoPath(path) == cleaned);
  }
}

TEST_CASE("cleanGoPath agrees with cleaning a list of elements on random paths", "[context]") {
  std::mt19937 random(12);
  const std::vector<std::string_view> pieces = {"a", "bc", ".", "..", "/", "//", "...", ".a"};
  for (int i = 0; i < 20000; ++i) {
    std::string path;
    for (int n = static_cast<int>(random() % 12); n > 0; --n) path += pieces[random() % pieces.size()];
    INFO(path);
    REQUIRE(cleanGoPath(path) == cleanByElements(path));
  }
}
