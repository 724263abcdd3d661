// Damaged input never crashes the parser: it parses or reports errors with
// positions inside the file.
#include <random>

#include <catch2/catch.hpp>

#include "model/dump.h"
#include "support.h"

using namespace dfopt;

namespace {

void checkParsesOrReports(const std::string& text) {
  model::ParseOutcome outcome = model::parseDockerfile(text);
  CHECK(outcome.dockerfile.has_value() == outcome.errors.empty());
  for (const model::Problem& problem : outcome.errors) {
    CHECK(problem.offset <= text.size());
    CHECK_FALSE(problem.message.empty());
  }
}

}  // namespace

TEST_CASE("every prefix and random damage of corpus files parses or reports errors", "[robustness]") {
  auto files = dfopt::testing::realWorldDockerfiles();
  std::mt19937 random(1234);
  size_t inputs = 0;
  for (size_t i = 0; i < files.size(); i += 15) {
    std::string text = dfopt::testing::readFile(files[i]);
    for (size_t cut = 0; cut < text.size(); cut += 13, ++inputs) {
      checkParsesOrReports(text.substr(0, cut));
    }
    for (int round = 0; round < 40 && !text.empty(); ++round, ++inputs) {
      std::string damaged = text;
      std::uniform_int_distribution<size_t> at(0, damaged.size() - 1);
      const char pieces[] = {'\\', '`', '\n', '"', '\'', '[', '<', '#', '-', ' ', '\r', '\t'};
      for (int k = 0; k < 5; ++k) damaged[at(random)] = pieces[random() % sizeof pieces];
      checkParsesOrReports(damaged);
    }
  }
  CHECK(inputs > 1000);
}

// Lines made of the pieces the scanner treats specially, in any order: the
// damage of corpus files above rarely puts two of them side by side.
static std::string randomLines(std::mt19937& random) {
  static const std::vector<std::string> pieces = {
      "a",    "echo", "<<",  "<<EOF", "<<-EOF", "<<'E'", "\"x y\"", "'q'",    "\\",  "`",
      "\\\\", " ",    "  ",  "\t",    "\r",     " \r",   "\u00a0",  "\u2003", "[",   "\"a\"",
      ",",    "]",    "--f", "-x",    "#c",     "$V",    "<",       "<<<",    "EOF", "E"};
  static const std::vector<std::string> keywords = {
      "RUN", "COPY", "ADD", "CMD", "FROM", "ONBUILD RUN", "run", "ENV", "HEALTHCHECK CMD", "LABEL"};
  static const std::vector<std::string> ends = {"\n",   "\r\n",     " \\\n",  "\\\n",
                                                " `\n", "  \\  \n", "\\\r\n", "\\\r\\"};
  auto pick = [&](const std::vector<std::string>& from) { return from[random() % from.size()]; };
  std::string text = random() % 3 == 0 ? "# escape=`\n" : "";
  for (int line = 0, lines = 1 + static_cast<int>(random() % 6); line < lines; ++line) {
    text += pick(keywords) + " ";
    for (int k = 0, n = static_cast<int>(random() % 11); k < n; ++k)
      text += pick(pieces) + pick({"", " ", "\t"});
    text += pick(ends);
    if (random() % 3 == 0) text += pick({"EOF\n", "E\n", "  EOF\n", "hi\n", "#x\n", "\n"});
  }
  return text;
}

TEST_CASE("random lines of continuations, carriage returns and heredoc markers parse or report errors",
          "[robustness]") {
  std::mt19937 random(7);
  for (int i = 0; i < 3000; ++i) {
    std::string text = randomLines(random);
    INFO(text);
    checkParsesOrReports(text);
  }
}

TEST_CASE("a carriage return before the last continuation of the file is no crash", "[robustness]") {
  // The escape character is followed by `\r` and another character, so it is
  // no continuation; the final `\` is. BuildKit keeps `a \` (Go's TrimSpace
  // drops the carriage return).
  for (std::string text :
       {"RUN a \\\r\\", "RUN a \\\r\\\n", "RUN a \\ \r\\", "FROM b\nRUN a \\\r\\\n\n# c\n"}) {
    INFO(text);
    model::ParseOutcome outcome = model::parseDockerfile(text);
    REQUIRE(outcome.dockerfile);
    CHECK(model::buildkitDump(*outcome.dockerfile).ends_with("(run \"a \\\\\")\n"));
  }
}
