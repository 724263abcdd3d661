// Model queries transforms rely on.
#include <catch2/catch.hpp>

#include "model/queries.h"
#include "model/variables.h"
#include "support.h"

using namespace dfopt;
using dfopt::testing::parseValid;

TEST_CASE("paths resolve against a directory", "[model]") {
  CHECK(model::resolvePath("/app", ".") == "/app");
  CHECK(model::resolvePath("/app", "./src/") == "/app/src");
  CHECK(model::resolvePath("/app", "/srv") == "/srv");
  CHECK(model::resolvePath("/app", "../x") == "/x");
  CHECK(model::resolvePath("/", "..") == "/");
  CHECK(model::resolvePath("/x/y", "../../../a//b/./c/..") == "/a/b");
  CHECK(model::resolvePath("/x/y/", "") == "/x/y");
  CHECK(model::resolvePath("", "a") == "/a");
  CHECK(model::resolvePath("rel/dir", "x") == "/rel/dir/x");
  CHECK(model::resolvePath("/a/./b/../c", ".") == "/a/c");
}

TEST_CASE("the working directory follows WORKDIR and stage inheritance", "[model]") {
  model::Dockerfile file = parseValid(
      "FROM python:3.11 AS base\nWORKDIR /app\nWORKDIR src\nRUN x\nFROM base\nRUN y\nFROM alpine\nRUN z\n");
  CHECK(model::workdirBefore(file, 3) == "/app/src");
  CHECK(model::workdirBefore(file, 5) == "/app/src");
  CHECK(model::workdirBefore(file, 7) == "/");
}

TEST_CASE("a chain of relative WORKDIRs resolves as resolvePath does, step by step", "[model]") {
  std::vector<std::string> targets = {"a", "b/c", "..", "./d", "e//f/", "../../..",   "..",
                                      ".", "..",  "g",  "/h/", "i/..",  "j/./k/../l", "../../../../m"};
  std::string text = "FROM alpine\n";
  for (const std::string& target : targets) text += "WORKDIR " + target + "\n";
  model::Dockerfile file = parseValid(text + "RUN x\n");
  std::string expected = "/";
  for (size_t i = 0; i < targets.size(); ++i) {
    expected = model::resolvePath(expected, targets[i]);
    INFO(targets[i]);
    CHECK(model::workdirBefore(file, i + 2) == expected);
  }
  CHECK(expected == "/m");
}

TEST_CASE("stages are found by name, case-insensitively, the first of a name, or by number", "[model]") {
  model::Dockerfile file =
      parseValid("FROM a AS Build\nRUN x\nFROM b AS build\nRUN y\nFROM c\nFROM build\nRUN z\n");
  REQUIRE(file.stages.size() == 4);
  CHECK(model::findStageByName(file, "BUILD") == &file.stages[0]);
  CHECK(model::findStage(file, "build") == &file.stages[0]);
  CHECK(model::findStageByName(file, "1") == nullptr);
  CHECK(model::findStage(file, "1") == &file.stages[1]);
  CHECK(model::findStage(file, "4") == nullptr);
  CHECK(model::findStage(file, "99999999999999999999999") == nullptr);  // past size_t
  CHECK(model::findStage(file, "alpine") == nullptr);
  model::Dockerfile copy = file;
  copy.stages[0].name = "first";
  CHECK(model::findStageByName(copy, "build") == &copy.stages[1]);
  CHECK(model::workdirBefore(file, 6) == "/");
}

TEST_CASE("WORKDIR with a known ARG resolves and an unknown one does not", "[model]") {
  model::Dockerfile file =
      parseValid("FROM a\nARG DIR=/srv\nWORKDIR $DIR\nRUN x\nARG OTHER\nWORKDIR $OTHER\nRUN y\n");
  CHECK(model::workdirBefore(file, 3) == "/srv");
  CHECK_FALSE(model::workdirBefore(file, 6));
}

TEST_CASE("variables expand from ARG and ENV values, with defaults", "[model]") {
  model::Dockerfile file =
      parseValid("ARG V=3.11\nFROM python:$V\nARG V\nENV APP=/app NAME=\"my app\"\nRUN x\n");
  model::Variables variables = model::variablesBefore(file, 4);
  CHECK(model::expandVariables("${APP}/bin", variables) == "/app/bin");
  CHECK(model::expandVariables("$NAME", variables) == "my app");
  CHECK(model::expandVariables("$V", variables) == "3.11");
  CHECK(model::expandVariables("${MISSING:-x}", variables) == "x");
  CHECK_FALSE(model::expandVariables("$MISSING", variables));
}

TEST_CASE("a walk gives each instruction the variables in scope before it", "[model]") {
  model::Dockerfile file = parseValid(
      "ARG V=1\nARG W\nFROM a:$V AS one\nARG V\nENV A=x\nRUN x\nENV B=$A\nRUN y\n"
      "FROM b\nENV A=other\nRUN z\nARG W=2\nRUN w\n");
  model::VariablesWalk walk(file);
  std::vector<model::Variables> walked;
  for (size_t i = 0; i < file.instructions.size(); ++i) walked.push_back(walk.before(i));
  for (size_t i = 0; i < file.instructions.size(); ++i) {
    INFO("instruction " << i);
    CHECK(walked[i] == model::variablesBefore(file, i));
  }
  CHECK(walked[2] == model::Variables{{"V", "1"}, {"W", std::nullopt}});
  CHECK(walked[5] == model::Variables{{"V", "1"}, {"A", "x"}});
  CHECK(walked[7] == model::Variables{{"V", "1"}, {"A", "x"}, {"B", "$A"}});
  CHECK(walked[10] == model::Variables{{"A", "other"}});
  CHECK(walked[12] == model::Variables{{"A", "other"}, {"W", "2"}});
  // asked again for an earlier instruction, it starts the stage again
  CHECK(walk.before(5) == walked[5]);
  CHECK(walk.before(7) == walked[7]);
}

TEST_CASE("the last USER of a stage, inherited from its parent stage", "[model]") {
  model::Dockerfile file = parseValid("FROM a AS base\nUSER app\nFROM base\nRUN x\n");
  CHECK(model::userAtEnd(file, file.stages[1]) == "app");
  CHECK(model::userAtEnd(file, file.stages[0]) == "app");
  model::Dockerfile root = parseValid("FROM a\nRUN x\n");
  CHECK(model::userAtEnd(root, root.stages[0]).empty());
}
