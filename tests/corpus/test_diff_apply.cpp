// `git apply` of what `dfopt diff` prints gives what `dfopt fix` writes:
// over every golden input, every real build context and the real-world
// corpus, the diffs of all runs (the Dockerfile and the files written) make
// one patch applied by git to copies of the inputs in a temporary folder.
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "context/build_context.h"
#include "engine/pipeline.h"
#include "print/unified_diff.h"
#include "support.h"
#include "transforms/transforms.h"

using namespace dfopt;
namespace fs = std::filesystem;

namespace {

struct Applied {
  std::string name;
  fs::path folder;  // relative to the temporary folder
  engine::PipelineOutcome outcome;
};

void writeBytes(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

// One run's diff, as `dfopt diff` prints it for a file named Dockerfile in `folder`.
std::string diffOf(const Applied& run) {
  std::string folder = run.folder.generic_string() + "/";
  std::string diff = print::unifiedDiff(folder + "Dockerfile", run.outcome.before, run.outcome.after);
  for (const engine::FileChange& file : run.outcome.files) {
    diff +=
        print::unifiedDiff(folder + file.path, file.before.value_or(""), file.after, file.before.has_value());
  }
  return diff;
}

void checkGitApply(const std::vector<testing::CorpusCase>& cases, bool withContext) {
  std::string pattern = (fs::temp_directory_path() / "dfopt-diff-apply-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  fs::path root = pattern;
  std::vector<Applied> runs;
  std::string patch;
  auto empty = context::BuildContext::fromFiles({});
  for (const testing::CorpusCase& corpusCase : cases) {
    std::string text = testing::readFile(corpusCase.dockerfile);
    auto context = withContext ? context::BuildContext::fromDirectory(corpusCase.context) : empty;
    Applied run{corpusCase.name, fs::path(std::to_string(runs.size())),
                engine::runPipeline(text, context, {}, transforms::all())};
    if (!run.outcome.changed()) continue;
    writeBytes(root / "work" / run.folder / "Dockerfile", text);
    for (const engine::FileChange& file : run.outcome.files) {
      if (file.before) writeBytes(root / "work" / run.folder / file.path, *file.before);
    }
    patch += diffOf(run);
    runs.push_back(std::move(run));
  }
  writeBytes(root / "all.patch", patch);
  std::string command = "cd '" + root.string() + "/work' && GIT_CEILING_DIRECTORIES='" + root.string() +
                        "' GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git apply ../all.patch";
  int status = std::system(command.c_str());
  CHECK(status == 0);
  for (const Applied& run : runs) {
    fs::path folder = root / "work" / run.folder;
    INFO("case " << run.name << " in " << run.folder);
    CHECK(testing::readFile(folder / "Dockerfile") == run.outcome.after);
    for (const engine::FileChange& file : run.outcome.files)
      CHECK(testing::readFile(folder / file.path) == file.after);
  }
  WARN(runs.size() << " changed files, a patch of " << patch.size() << " bytes");
  fs::remove_all(root);
}

}  // namespace

TEST_CASE("git apply of the diffs of the golden inputs gives fix's output", "[corpus][diff]") {
  checkGitApply(testing::goldenInputCases(), true);
}

TEST_CASE("git apply of the diffs over the real build contexts gives fix's output", "[corpus][diff]") {
  checkGitApply(testing::realBuildContexts(), true);
}

TEST_CASE("git apply of the diffs over the real-world corpus gives fix's output", "[corpus][diff]") {
  std::vector<testing::CorpusCase> cases;
  for (const fs::path& path : testing::realWorldDockerfiles())
    cases.push_back({path.filename().string(), path, {}});
  checkGitApply(cases, false);
}
