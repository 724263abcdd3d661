// What RUN, CMD and HEALTHCHECK run, command by command, with the words'
// places in the Dockerfile; computed once per instruction.
#include <catch2/catch.hpp>

#include "engine/source_commands.h"
#include "support.h"

using namespace dfopt;
using dfopt::testing::parseValid;

TEST_CASE("a shell-form RUN is split into commands whose words point into the file", "[engine]") {
  std::string text = "FROM a\nRUN apt-get update && \\\n    FOO=1 pip install \"x y\" | tee log\n";
  model::Dockerfile file = parseValid(text);
  const engine::CommandLine& line = engine::commandLineOf(file.instructions[1]);
  CHECK_FALSE(line.json);
  CHECK(line.complexReason.empty());
  REQUIRE(line.commands.size() == 3);
  CHECK(line.commands[0].name() == "apt-get");
  CHECK(line.commands[0].separatorAfter == "&&");
  const engine::SourceCommand& pip = line.commands[1];
  REQUIRE(pip.assignments.size() == 1);
  CHECK(pip.assignments[0].value == "FOO=1");
  REQUIRE(pip.words.size() == 3);
  CHECK(pip.words[2].value == "x y");
  CHECK(text.substr(pip.words[2].range.begin, pip.words[2].range.end - pip.words[2].range.begin) ==
        "\"x y\"");
  CHECK(pip.separatorAfter == "|");
  CHECK(line.commands[2].arg(1) == "log");
}

TEST_CASE("exec form, HEALTHCHECK CMD and heredocs", "[engine]") {
  model::Dockerfile file = parseValid(
      "FROM a\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:80\"]\nHEALTHCHECK CMD curl -f http://localhost/\n"
      "RUN <<EOF\necho hi\nEOF\n");
  const engine::CommandLine& cmd = engine::commandLineOf(file.instructions[1]);
  CHECK(cmd.json);
  REQUIRE(cmd.commands.size() == 1);
  CHECK(engine::valuesOf(cmd.commands[0]) == std::vector<std::string>{"gunicorn", "-b", "0.0.0.0:80"});
  const engine::CommandLine& check = engine::commandLineOf(file.instructions[2]);
  REQUIRE(check.commands.size() == 1);
  CHECK(check.commands[0].name() == "curl");
  CHECK(engine::commandLineOf(file.instructions[3]).complexReason == "a heredoc");
}

TEST_CASE("the command line is computed once per instruction, afresh for a copy and after clearDerived",
          "[engine]") {
  model::Dockerfile file = parseValid("FROM a\nRUN echo one && echo two\n");
  const engine::CommandLine& first = engine::commandLineOf(file.instructions[1]);
  CHECK(&engine::commandLineOf(file.instructions[1]) == &first);

  model::Instruction copy = file.instructions[1];
  copy.arguments[0].text = "echo three";
  const engine::CommandLine& ofCopy = engine::commandLineOf(copy);
  CHECK(&ofCopy != &first);
  REQUIRE(ofCopy.commands.size() == 1);
  CHECK(ofCopy.commands[0].arg(1) == "three");
  CHECK(first.commands.size() == 2);

  file.clearDerived();
  const engine::CommandLine& again = engine::commandLineOf(file.instructions[1]);
  REQUIRE(again.commands.size() == 2);
  CHECK(again.commands[1].arg(1) == "two");
}
