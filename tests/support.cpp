#include "support.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "engine/pipeline.h"
#include "transforms/transforms.h"

namespace dfopt::testing {

namespace fs = std::filesystem;

TemporaryDirectory::TemporaryDirectory() {
  static std::atomic<int> counter{0};
  path_ = fs::temp_directory_path() /
          ("dfopt-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  auto entries =
      fs::recursive_directory_iterator(path_, fs::directory_options::skip_permission_denied, ignored);
  for (auto it = fs::begin(entries); it != fs::end(entries); it.increment(ignored)) {
    if (it->is_directory(ignored))
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ignored);
  }
  fs::remove_all(path_, ignored);
}

void TemporaryDirectory::write(const std::string& relative, const std::string& content) const {
  fs::create_directories((path_ / relative).parent_path());
  std::ofstream(path_ / relative, std::ios::binary) << content;
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::filesystem::path sharedDir() {
  const std::filesystem::path dir = DFOPT_SHARED_DIR;
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    // CTest runs one test case per process and counts exit 77 as skipped.
    std::cout << "skipped: this test reads " << dir.string()
              << ", which is missing (the shared corpus beside the clone)" << std::endl;
    std::exit(kSkipped);
  }
  return dir;
}

static std::vector<std::filesystem::path> entries(const std::filesystem::path& dir, bool wantDirs) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_directory() == wantDirs) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::filesystem::path> directoriesIn(const std::filesystem::path& dir) {
  return entries(dir, true);
}

std::vector<std::filesystem::path> filesIn(const std::filesystem::path& dir) { return entries(dir, false); }

std::vector<CorpusCase> goldenInputCases() {
  std::vector<CorpusCase> cases;
  for (const auto& transform : directoriesIn(std::filesystem::path(DFOPT_SOURCE_DIR) / "golden")) {
    for (const auto& golden : directoriesIn(transform)) {
      std::filesystem::path input = golden / "input";
      if (std::filesystem::exists(input / "Dockerfile"))
        cases.push_back({golden.string(), input / "Dockerfile", input});
    }
  }
  return cases;
}

std::vector<CorpusCase> realBuildContexts() {
  std::filesystem::path root = sharedDir() / "corpus" / "realctx";
  std::istringstream rows(readFile(root / "MANIFEST.tsv"));
  std::string row;
  std::getline(rows, row);  // the header
  std::vector<CorpusCase> cases;
  while (std::getline(rows, row)) {
    std::vector<std::string> fields;
    std::istringstream cells(row);
    for (std::string cell; std::getline(cells, cell, '\t');) fields.push_back(cell);
    if (fields.size() < 5) continue;
    std::filesystem::path ctx = root / fields[0] / "ctx";
    cases.push_back({fields[0], ctx / fields[3], ctx / fields[4]});
  }
  return cases;
}

std::vector<std::filesystem::path> realWorldDockerfiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& file : filesIn(sharedDir() / "corpus" / "realworld")) {
    if (file.filename() != "MANIFEST.tsv" && file.filename() != "README.md") files.push_back(file);
  }
  return files;
}

model::Dockerfile parseValid(const std::string& text) {
  model::ParseOutcome outcome = model::parseDockerfile(text);
  INFO("input:\n" << text);
  if (!outcome.errors.empty()) FAIL("unexpected error: " << outcome.errors[0].message);
  REQUIRE(outcome.dockerfile);
  return std::move(*outcome.dockerfile);
}

std::string firstError(const std::string& text) {
  model::ParseOutcome outcome = model::parseDockerfile(text);
  INFO("input:\n" << text);
  REQUIRE_FALSE(outcome.errors.empty());
  REQUIRE_FALSE(outcome.dockerfile);
  return outcome.errors[0].message;
}

TransformRun runTransform(std::string_view transform, const std::string& dockerfile,
                          std::map<std::string, std::string> files, const engine::Options& options) {
  files["Dockerfile"] = dockerfile;
  context::BuildContext context = context::BuildContext::fromFiles(std::move(files));
  engine::Selection only;
  only.only = {std::string(transform)};
  auto outcome = engine::runPipeline(dockerfile, context, options, transforms::all(), only);
  REQUIRE(outcome.ok());
  TransformRun run{outcome.after, ""};
  for (const auto& finding : outcome.findings)
    run.messages += std::string(engine::severityName(finding.severity)) + ": " + finding.message + "\n";
  return run;
}

}  // namespace dfopt::testing
