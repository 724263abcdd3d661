// BuildKit's linter configuration and comment attachment, as the checks of
// the buildkit transform read them (frontend/dockerfile/linter/linter.go,
// parser/parser.go).
#include <catch2/catch.hpp>

#include "support.h"
#include "transforms/buildkit/casing.h"
#include "transforms/buildkit/lint_config.h"

using namespace dfopt;
using transforms::buildkit::majorityLowerCase;
using transforms::buildkit::previousComments;
using transforms::buildkit::ruleEnabled;

TEST_CASE("a blank line keeps the comments above an instruction, an empty # drops them",
          "[buildkit-checks]") {
  model::Dockerfile file = testing::parseValid(
      "FROM alpine\n"
      "# first\n"
      "\n"
      "# second\n"
      "RUN a\n"
      "# dropped\n"
      "#\n"
      "# kept\n"
      "RUN b\n"
      "  # indented\n"
      "RUN c\n");
  CHECK(previousComments(file, 0).empty());
  CHECK(previousComments(file, 1) == std::vector<std::string>{"first", "second"});
  CHECK(previousComments(file, 2) == std::vector<std::string>{"kept"});
  // BuildKit takes the text after the line's first byte
  CHECK(previousComments(file, 3) == std::vector<std::string>{"# indented"});
}

TEST_CASE("the check directive skips rules and enables experimental ones", "[buildkit-checks]") {
  model::Dockerfile file = testing::parseValid(
      "# check=skip=StageNameCasing, FromAsCasing;experimental=InvalidDefinitionDescription\n"
      "FROM alpine\n");
  CHECK_FALSE(ruleEnabled(file, "StageNameCasing", false));
  CHECK_FALSE(ruleEnabled(file, "FromAsCasing", false));
  CHECK(ruleEnabled(file, "DuplicateStageName", false));
  CHECK(ruleEnabled(file, "InvalidDefinitionDescription", true));
  CHECK_FALSE(ruleEnabled(file, "SomeOtherExperimental", true));

  model::Dockerfile all = testing::parseValid("# check=skip=all\nFROM alpine\n");
  CHECK_FALSE(ruleEnabled(all, "DuplicateStageName", false));
  CHECK_FALSE(ruleEnabled(all, "InvalidDefinitionDescription", true));

  model::Dockerfile none = testing::parseValid("FROM alpine\n");
  CHECK(ruleEnabled(none, "DuplicateStageName", false));
  CHECK_FALSE(ruleEnabled(none, "InvalidDefinitionDescription", true));
}

TEST_CASE("a check comment above an instruction applies to that instruction only", "[buildkit-checks]") {
  model::Dockerfile file = testing::parseValid(
      "FROM alpine\n"
      "# check=skip=ExposeProtoCasing\n"
      "EXPOSE 80/TCP\n"
      "EXPOSE 81/TCP\n");
  CHECK_FALSE(ruleEnabled(file, "ExposeProtoCasing", false, &file.instructions[1]));
  CHECK(ruleEnabled(file, "ExposeProtoCasing", false, &file.instructions[2]));
  CHECK(ruleEnabled(file, "ExposeProtoCasing", false));
}

TEST_CASE("the keyword majority counts stages only and breaks ties towards upper case", "[buildkit-checks]") {
  CHECK_FALSE(majorityLowerCase(testing::parseValid("ARG a\narg b\nfrom alpine\nRUN x\n")));
  CHECK(majorityLowerCase(testing::parseValid("ARG A\nfrom alpine\nrun x\nRUN y\nrun z\n")));
  CHECK_FALSE(majorityLowerCase(testing::parseValid("From alpine\nRun x\n")));
}
