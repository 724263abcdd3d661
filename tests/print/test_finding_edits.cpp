// Findings' edits as replacements of the input: composed over the pipeline's
// steps, credited to the finding that made them, as small as the change,
// and applying them all gives what `fix` writes (over every golden case
// and every real build context).
#include <filesystem>
#include <sstream>

#include <catch2/catch.hpp>

#include "context/build_context.h"
#include "engine/pipeline.h"
#include "print/finding_edits.h"
#include "support.h"
#include "transforms/transforms.h"

using namespace dfopt;
using engine::Edit;
using engine::Finding;
using engine::PipelineOutcome;
namespace fs = std::filesystem;

namespace {

Finding finding(std::string transform, std::vector<Edit> edits) {
  Finding f;
  f.transform = std::move(transform);
  f.edits = std::move(edits);
  return f;
}

// An outcome of steps given by hand: each step's edits are those of its findings.
PipelineOutcome outcomeOf(std::string before, const std::vector<std::vector<Finding>>& steps) {
  PipelineOutcome outcome;
  outcome.before = before;
  outcome.after = std::move(before);
  for (const std::vector<Finding>& step : steps) {
    std::vector<Edit> edits;
    for (const Finding& f : step) {
      edits.insert(edits.end(), f.edits.begin(), f.edits.end());
      outcome.findings.push_back(f);
    }
    outcome.after = *engine::applyEdits(outcome.after, edits);
    outcome.steps.push_back(std::move(edits));
  }
  return outcome;
}

std::string text(const std::string& input, const Edit& edit) {
  return input.substr(edit.range.begin, edit.range.size()) + " -> " + edit.replacement;
}

}  // namespace

TEST_CASE("one step: each finding keeps its own edit, made as small as the change", "[print][edits]") {
  std::string input = "FROM python\nADD app.py /app/\nRUN pip install flask\n";
  auto run = static_cast<uint32_t>(input.find("RUN"));
  auto end = static_cast<uint32_t>(input.size() - 1);
  auto outcome =
      outcomeOf(input, {{finding("add-to-copy", {{{12, 15}, "COPY"}}),
                         finding("cache-hygiene", {{{run, end}, "RUN pip install --no-cache-dir flask"}})}});
  auto edits = print::inputEdits(outcome);
  REQUIRE(edits.size() == 2);
  REQUIRE(edits[0].size() == 1);
  CHECK(text(input, edits[0][0]) == "ADD -> COPY");
  REQUIRE(edits[1].size() == 1);
  CHECK(edits[1][0].range.begin == 45);
  CHECK(text(input, edits[1][0]) == " -> --no-cache-dir ");
  CHECK(print::applyAll(input, edits) == outcome.after);
}

TEST_CASE("a later step's edit maps back over the text an earlier step inserted", "[print][edits]") {
  std::string input = "FROM node\nCOPY . .\nCMD node server.js\n";
  // Step 1 inserts a line before CMD; step 2 rewrites CMD in the new text.
  auto at = static_cast<uint32_t>(input.find("CMD"));
  Finding user = finding("non-root", {{{at, at}, "USER node\n"}});
  std::string step1 = *engine::applyEdits(input, user.edits);
  size_t cmd = step1.find("node server.js");
  Finding exec =
      finding("exec-form",
              {{{static_cast<uint32_t>(cmd), static_cast<uint32_t>(cmd + 14)}, R"(["node", "server.js"])"}});
  auto outcome = outcomeOf(input, {{user}, {exec}});
  auto edits = print::inputEdits(outcome);
  REQUIRE(edits[0].size() == 1);
  CHECK(edits[0][0].range.begin == at);
  CHECK(edits[0][0].replacement == "USER node\n");
  REQUIRE(edits[1].size() == 1);
  CHECK(text(input, edits[1][0]) == R"(node server.js -> ["node", "server.js"])");
  CHECK(edits[1][0].range.begin == input.find("node server.js"));
  CHECK(print::applyAll(input, edits) == outcome.after);
}

TEST_CASE("an edit of inserted text goes to the finding that made it", "[print][edits]") {
  std::string input = "FROM alpine\nCMD run\n";
  Finding insert = finding("non-root", {{{12, 12}, "RUN adduser -D app\nUSER app\n"}});
  std::string step1 = *engine::applyEdits(input, insert.edits);
  size_t d = step1.find("-D");
  Finding change = finding("buildkit", {{{static_cast<uint32_t>(d), static_cast<uint32_t>(d + 2)}, "-S"}});
  auto outcome = outcomeOf(input, {{insert}, {change}});
  auto edits = print::inputEdits(outcome);
  CHECK(print::applyAll(input, edits) == outcome.after);
  // All of it is an insertion at one offset: told once, by the larger part.
  CHECK(edits[0].size() + edits[1].size() == 1);
  CHECK(edits[0].size() == 1);
}

TEST_CASE("a step that moves a line: a deletion and an insertion of the same finding", "[print][edits]") {
  std::string input = "FROM python\nCOPY . .\nRUN pip install -r requirements.txt\nCMD app\n";
  uint32_t copy = static_cast<uint32_t>(input.find("COPY"));
  uint32_t run = static_cast<uint32_t>(input.find("RUN"));
  uint32_t cmd = static_cast<uint32_t>(input.find("CMD"));
  Finding move =
      finding("deps-first", {{{copy, run}, "COPY requirements.txt .\n"}, {{cmd, cmd}, "COPY . .\n"}});
  auto outcome = outcomeOf(input, {{move}});
  auto edits = print::inputEdits(outcome);
  CHECK(print::applyAll(input, edits) == outcome.after);
  REQUIRE(edits[0].size() == 2);
  CHECK(text(input, edits[0][0]) == ". -> requirements.txt");
  CHECK(text(input, edits[0][1]) == " -> COPY . .\n");
}

TEST_CASE("a later edit of another finding's replacement takes that change over", "[print][edits]") {
  std::string input = "FROM a\nADD . /app\nRUN make\n";
  Finding copy = finding("add-to-copy", {{{7, 10}, "COPY"}});
  std::string step1 = *engine::applyEdits(input, copy.edits);
  auto line = static_cast<uint32_t>(step1.find("COPY"));
  auto next = static_cast<uint32_t>(step1.find("RUN"));
  auto end = static_cast<uint32_t>(step1.size());
  Finding move = finding("deps-first", {{{line, next}, ""}, {{end, end}, "COPY . /app\n"}});
  auto outcome = outcomeOf(input, {{copy}, {move}});
  auto edits = print::inputEdits(outcome);
  CHECK(print::applyAll(input, edits) == outcome.after);
  CHECK(edits[0].empty());
  REQUIRE(edits[1].size() == 2);
  CHECK(text(input, edits[1][0]) == "ADD . /app\n -> ");
  CHECK(text(input, edits[1][1]) == " -> COPY . /app\n");
}

TEST_CASE("insertions of two findings at one offset become one edit", "[print][edits]") {
  std::string input = "FROM a\nCMD b\n";
  auto outcome =
      outcomeOf(input, {{finding("one", {{{7, 7}, "RUN x\n"}})}, {finding("two", {{{7, 7}, "USER u\n"}})}});
  auto edits = print::inputEdits(outcome);
  CHECK(print::applyAll(input, edits) == outcome.after);
  size_t total = edits[0].size() + edits[1].size();
  CHECK(total == 1);
}

TEST_CASE("trimming never cuts a UTF-8 character", "[print][edits]") {
  std::string input = "LABEL x=\xC3\xA9t\xC3\xA9\n";  // été
  uint32_t end = static_cast<uint32_t>(input.size() - 1);
  auto outcome = outcomeOf(input, {{finding("t", {{{8, end}, "\xC3\xA8t\xC3\xA9"}})}});  // èté
  auto edits = print::inputEdits(outcome);
  REQUIRE(edits[0].size() == 1);
  CHECK(edits[0][0].range.begin == 8);
  CHECK(edits[0][0].range.end == 10);
  CHECK(edits[0][0].replacement == "\xC3\xA8");
}

TEST_CASE("a multi-line replacement becomes the groups of lines it changes", "[print][edits]") {
  std::string input = "FROM a\nRUN one\nRUN two\nRUN three\n";
  uint32_t begin = static_cast<uint32_t>(input.find("RUN one"));
  auto outcome = outcomeOf(
      input,
      {{finding("t", {{{begin, static_cast<uint32_t>(input.size())}, "RUN uno\nRUN two\nRUN tres\n"}})}});
  auto edits = print::inputEdits(outcome);
  REQUIRE(edits[0].size() == 2);
  CHECK(text(input, edits[0][0]) == "one -> uno");
  CHECK(text(input, edits[0][1]) == "hree -> res");
}

namespace {

struct Case {
  fs::path dockerfile;
  fs::path context;
  std::vector<std::string> only;
};

std::vector<Case> goldenCases() {
  std::vector<Case> cases;
  for (const auto& folder : testing::directoriesIn(fs::path(DFOPT_SOURCE_DIR) / "golden")) {
    for (const auto& golden : testing::directoriesIn(folder)) {
      fs::path input = golden / "input";
      if (!fs::exists(input / "Dockerfile")) continue;
      std::string name = folder.filename().string();
      std::vector<std::string> only;
      if (transforms::find(name)) only.push_back(name);
      cases.push_back({input / "Dockerfile", input, only});
    }
  }
  return cases;
}

std::vector<Case> realContexts() {
  fs::path root = testing::sharedDir() / "corpus" / "realctx";
  std::istringstream rows(testing::readFile(root / "MANIFEST.tsv"));
  std::string row;
  std::getline(rows, row);  // the header
  std::vector<Case> cases;
  while (std::getline(rows, row)) {
    std::vector<std::string> fields;
    std::istringstream cells(row);
    for (std::string cell; std::getline(cells, cell, '\t');) fields.push_back(cell);
    if (fields.size() < 5) continue;
    fs::path ctx = root / fields[0] / "ctx";
    cases.push_back({ctx / fields[3], ctx / fields[4], {}});
  }
  return cases;
}

// Applying every finding's input edits gives the pipeline's output, and
// every edit belongs to a finding that changes something.
void checkComposes(const std::vector<Case>& cases) {
  size_t changed = 0;
  for (const Case& c : cases) {
    for (bool unsafe : {false, true}) {
      engine::Options options;
      options.unsafeFixes = unsafe;
      options.fileName = c.dockerfile.filename().string();
      auto context = context::BuildContext::fromDirectory(c.context);
      PipelineOutcome outcome = engine::runPipeline(testing::readFile(c.dockerfile), context, options,
                                                    transforms::all(), {c.only, {}});
      if (!outcome.ok()) continue;
      auto edits = print::inputEdits(outcome);
      INFO(c.dockerfile.string() << (unsafe ? " --unsafe-fixes" : ""));
      REQUIRE(edits.size() == outcome.findings.size());
      CHECK(print::applyAll(outcome.before, edits) == outcome.after);
      for (size_t f = 0; f < edits.size(); ++f) {
        if (!edits[f].empty()) CHECK(outcome.findings[f].changes());
      }
      changed += outcome.after != outcome.before;
    }
  }
  CHECK(changed > 0);
}

}  // namespace

TEST_CASE("the input edits of the golden cases give fix's output", "[print][edits][corpus]") {
  checkComposes(goldenCases());
}

TEST_CASE("the input edits over the real build contexts give fix's output", "[print][edits][corpus]") {
  checkComposes(realContexts());
}
