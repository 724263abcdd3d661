#pragma once
// Helpers shared by the tests: reading files and the shared corpus.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/transform.h"
#include "model/parse.h"

namespace dfopt::testing {

// A directory under the system's temporary directory, removed at the end
// (with any directory a test locked).
class TemporaryDirectory {
 public:
  TemporaryDirectory();
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to `relative`, creating its directories.
  void write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

std::string readFile(const std::filesystem::path& path);
// The exit code CTest counts as a skipped test.
inline constexpr int kSkipped = 77;
// ../shared beside the repository; a test that calls it is skipped (exit 77,
// one line naming the folder) when the folder is missing.
std::filesystem::path sharedDir();
std::vector<std::filesystem::path> directoriesIn(const std::filesystem::path& dir);
std::vector<std::filesystem::path> filesIn(const std::filesystem::path& dir);
// The files of ../shared/corpus/realworld that are Dockerfiles (not its
// MANIFEST.tsv and README.md).
std::vector<std::filesystem::path> realWorldDockerfiles();
// A Dockerfile with its build context: a golden case's input, or one of
// ../shared/corpus/realctx.
struct CorpusCase {
  std::string name;
  std::filesystem::path dockerfile;
  std::filesystem::path context;
};
// Every golden case with a Dockerfile in its input folder.
std::vector<CorpusCase> goldenInputCases();
// The rows of corpus/realctx/MANIFEST.tsv.
std::vector<CorpusCase> realBuildContexts();
// Parses text that must be a valid Dockerfile (fails the test otherwise).
model::Dockerfile parseValid(const std::string& text);
// The first error message for text that must not parse.
std::string firstError(const std::string& text);

// What the pipeline with only `transform` makes of `dockerfile` in a build
// context of `files` (the Dockerfile is added to them); the run must succeed.
struct TransformRun {
  std::string after;
  std::string messages;  // one a line, "info: ..." or "warning: ..."
};
TransformRun runTransform(std::string_view transform, const std::string& dockerfile,
                          std::map<std::string, std::string> files, const engine::Options& options = {});

}  // namespace dfopt::testing
