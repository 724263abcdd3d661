// Conformance with BuildKit's parser, over ../shared/corpus.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "model/dump.h"
#include "support.h"

using namespace dfopt;
using dfopt::testing::directoriesIn;
using dfopt::testing::filesIn;
using dfopt::testing::readFile;
using dfopt::testing::sharedDir;
namespace fs = std::filesystem;

namespace {

std::string dumpOf(const std::string& text, std::string& error) {
  model::ParseOutcome outcome = model::parseDockerfile(text);
  if (!outcome.dockerfile) {
    error = outcome.errors.empty() ? "?" : outcome.errors[0].message;
    return {};
  }
  return model::buildkitDump(*outcome.dockerfile);
}

fs::path buildkitDir() { return sharedDir() / "corpus" / "buildkit"; }

}  // namespace

TEST_CASE("every BuildKit testfiles case dumps exactly as BuildKit", "[conformance]") {
  auto cases = directoriesIn(buildkitDir() / "testfiles");
  REQUIRE(cases.size() == 33);
  int matched = 0;
  for (const fs::path& dir : cases) {
    std::string error;
    std::string dump = dumpOf(readFile(dir / "Dockerfile"), error);
    INFO("case " << dir.filename().string() << " " << error);
    CHECK(dump == readFile(dir / "result"));
    matched += dump == readFile(dir / "result");
  }
  WARN("BuildKit testfiles matched: " << matched << "/" << cases.size());
}

TEST_CASE("every BuildKit negative case is rejected", "[conformance]") {
  auto cases = directoriesIn(buildkitDir() / "testfiles-negative");
  REQUIRE(cases.size() == 4);
  for (const fs::path& dir : cases) {
    INFO("case " << dir.filename().string());
    model::ParseOutcome outcome = model::parseDockerfile(readFile(dir / "Dockerfile"));
    CHECK_FALSE(outcome.dockerfile);
    CHECK_FALSE(outcome.errors.empty());
  }
}

TEST_CASE("the negative cases fail for BuildKit's reasons", "[conformance]") {
  auto negative = buildkitDir() / "testfiles-negative";
  auto errorOf = [&](const char* name) {
    return dfopt::testing::firstError(readFile(negative / name / "Dockerfile"));
  };
  CHECK(errorOf("empty_dockerfile") == "file with no instructions");
  CHECK(errorOf("only_comments") == "file with no instructions");
  CHECK(errorOf("env_no_value") == "ENV must have two arguments");
  CHECK(errorOf("shykes-nested-json") ==
        "when using JSON array syntax, arrays must be comprised of strings only");
}

TEST_CASE("every real-world Dockerfile dumps as BuildKit does, or fails where it fails",
          "[conformance][realworld]") {
  fs::path results = sharedDir() / "corpus" / "realworld-buildkit";
  int agreed = 0, total = 0;
  for (const fs::path& file : dfopt::testing::realWorldDockerfiles()) {
    ++total;
    std::string name = file.filename().string();
    std::string error;
    std::string dump = dumpOf(readFile(file), error);
    INFO("file " << name << " " << error);
    if (fs::exists(results / (name + ".error"))) {
      CHECK(dump.empty());
      agreed += dump.empty();
    } else {
      std::string expected = readFile(results / (name + ".result"));
      CHECK(dump == expected);
      agreed += dump == expected;
    }
  }
  CHECK(total == 447);
  WARN("real-world agreement with BuildKit: " << agreed << "/" << total);
}

TEST_CASE("instruction line numbers match BuildKit's (testfile-line)", "[conformance]") {
  model::Dockerfile file =
      dfopt::testing::parseValid(readFile(buildkitDir() / "testfile-line" / "Dockerfile"));
  REQUIRE(file.instructions.size() == 3);
  CHECK(file.instructions[0].startLine == 5);
  CHECK(file.instructions[0].endLine == 5);
  CHECK(file.instructions[1].startLine == 11);
  CHECK(file.instructions[1].endLine == 12);
  CHECK(file.instructions[2].startLine == 17);
  CHECK(file.instructions[2].endLine == 31);
}

TEST_CASE("heredocs are extracted as BuildKit extracts them (go-test-literals)", "[conformance]") {
  fs::path dir = buildkitDir() / "go-test-literals" / "heredoc-extract";
  model::Dockerfile file = dfopt::testing::parseValid(readFile(dir / "Dockerfile"));
  auto expected = nlohmann::json::parse(readFile(dir / "expected-heredocs.json"))["expected"];
  // Entry i describes the instruction after FROM at index i + 1.
  REQUIRE(file.instructions.size() == expected.size() + 1);
  for (size_t index = 0; index < expected.size(); ++index) {
    const auto& entry = expected[index];
    std::string label = entry["instruction_comment"];
    const model::Instruction* match = &file.instructions[index + 1];
    INFO("instruction " << label);
    if (entry["heredocs"].is_null()) {
      CHECK(match->heredocs.empty());
      continue;
    }
    REQUIRE(match->heredocs.size() == entry["heredocs"].size());
    for (size_t i = 0; i < match->heredocs.size(); ++i) {
      const auto& want = entry["heredocs"][i];
      const model::Heredoc& got = match->heredocs[i];
      CHECK(got.name == want["Name"].get<std::string>());
      CHECK(got.content == want["Content"].get<std::string>());
      CHECK(got.expand == want.value("Expand", false));
      CHECK(got.chomp == want.value("Chomp", false));
      CHECK(got.fileDescriptor == want.value("FileDescriptor", 0u));
    }
  }
}

TEST_CASE("heredoc markers inside JSON-form RUN are plain strings", "[conformance]") {
  fs::path dir = buildkitDir() / "go-test-literals" / "heredoc-json-form";
  model::Dockerfile file = dfopt::testing::parseValid(readFile(dir / "Dockerfile"));
  REQUIRE(file.instructions.size() == 4);
  for (size_t i = 1; i < 4; ++i) {
    CHECK(file.instructions[i].jsonForm);
    CHECK(file.instructions[i].heredocs.empty());
  }
}

TEST_CASE("empty continuation lines warn once per instruction, as BuildKit does", "[conformance]") {
  fs::path dir = buildkitDir() / "go-test-literals" / "empty-continuation-warnings";
  model::Dockerfile file = dfopt::testing::parseValid(readFile(dir / "Dockerfile"));
  REQUIRE(file.warnings.size() == 2);
  CHECK_THAT(file.warnings[0].message, Catch::Contains("Empty continuation line found in"));
  CHECK_THAT(file.warnings[0].message, Catch::Contains("RUN something     following     more"));
  CHECK_THAT(file.warnings[1].message, Catch::Contains("RUN another     thing"));
}
