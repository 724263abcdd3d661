// readOutline (the grammar's scanner alone) against outlineOf(tree-sitter's
// tree): the same outline wherever the reader gives one, and no outline
// where tree-sitter finds an error.
#include <catch2/catch.hpp>

#include "support.h"
#include "syntax/outline.h"
#include "syntax/syntax_tree.h"

using namespace dfopt;
namespace fs = std::filesystem;

namespace {

struct Tally {
  size_t read = 0;      // outlines the reader gave
  size_t declined = 0;  // texts tree-sitter parses that it left to tree-sitter
  size_t refused = 0;   // texts with syntax errors, declined as they must be
};

void compare(const std::string& text, const std::string& name, Tally& tally) {
  if (syntax::findEncodingProblem(text)) return;
  INFO("text " << name);
  syntax::SyntaxTree tree = syntax::SyntaxTree::parse(text);
  std::optional<syntax::Outline> read = syntax::readOutline(text);
  if (!tree.ok()) {
    CHECK_FALSE(read);
    ++tally.refused;
    return;
  }
  if (!read) {
    ++tally.declined;
    return;
  }
  ++tally.read;
  std::optional<std::string> difference = syntax::firstDifference(*read, syntax::outlineOf(tree));
  CHECK(difference.value_or("") == "");
}

void compare(const fs::path& file, Tally& tally) { compare(testing::readFile(file), file.string(), tally); }

}  // namespace

TEST_CASE("the scanner alone outlines every corpus file as tree-sitter's tree does", "[outline]") {
  Tally tally;
  for (const fs::path& file : testing::realWorldDockerfiles()) compare(file, tally);
  fs::path buildkit = testing::sharedDir() / "corpus" / "buildkit";
  for (const char* group : {"testfiles", "go-test-literals", "testfiles-negative"}) {
    for (const fs::path& dir : testing::directoriesIn(buildkit / group)) compare(dir / "Dockerfile", tally);
  }
  for (const testing::CorpusCase& golden : testing::goldenInputCases()) compare(golden.dockerfile, tally);
  // Every file tree-sitter parses is read without it.
  CHECK(tally.declined == 0);
  CHECK(tally.read > 447);
}

TEST_CASE("the scanner alone reads the awkward shapes as tree-sitter does", "[outline]") {
  const char* texts[] = {
      "",
      "\n\n",
      "\xEF\xBB\xBF# syntax=docker/dockerfile:1\r\nFROM a\r\n\r\nRUN b \\\r\n  c",
      "# escape=`\nFROM a\nRUN b `\n  c\n",
      "FROM a\nRUN b \\\n# inside\n\n  c\n",
      "FROM a\nRUN b \\\n",
      "FROM a\nRUN b \\\n# only comments to the end\n",
      "FROM a\nONBUILD RUN --mount=type=cache,target=/c make \\\n  all\n",
      "FROM a\nONBUILD --flag RUN x\n",
      "FROM a\nRUN <<EOF cat >/x\nbody\nEOF\n",
      "FROM a\nRUN <<-ONE <<TWO\n\tone\n\tONE\ntwo\nTWO\nCMD x",
      "FROM a\nRUN <<EOF\nEOF\n",
      "FROM a\nCOPY <<EOF /x\nunterminated\n",
      "FROM a\nRUN [\"sh\", \"-c\", \"<<EOF\"]\n",
      "  FROM a  \n\t RUN  b\t\n",
      "FROM a\nRUN caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\xB3\n",
      "FROM a\nRUN x\r\n",
      "FROM\n",
      "# comment only",
      "FROM a\n# comment\\\nRUN b",
      "FROM a\nRUN b \\\n \\\n  c\n",
      // The outline's scanner follows a RUN's shell words only while a '<' is left in the text.
      "FROM a\nRUN cat <<EOF\nx\nEOF\nRUN echo hi\n",
      "FROM a\nRUN cat <\\\n<EOF\nx\nEOF\n",
      "FROM a\nRUN echo \"<<EOF\"\nRUN cat <<EOF \"open\nx\nEOF\n",
      "FROM a\nRUN cat <<EOF\nx\nEOF\n# <\n",
      "FROM a\nONBUILD RUN cat <<EOF\nx\nEOF\n",
      "FROM a\nRUN a < b\nCOPY <<EOF /x\ny\nEOF\n",
  };
  Tally tally;
  int index = 0;
  for (const char* text : texts) compare(text, "awkward " + std::to_string(index++), tally);
  CHECK(tally.declined == 0);
}

TEST_CASE("the scanner alone leaves to tree-sitter a text whose tree ends before the text", "[outline]") {
  // tree-sitter's tree ends at the line the scanner finds no token in: what
  // follows is in no node. The reader does not guess what that should be.
  std::string text = "RUN\n\\\n";
  REQUIRE(syntax::SyntaxTree::parse(text).ok());
  CHECK_FALSE(syntax::readOutline(text));
  CHECK_FALSE(syntax::readOutline("FROM a\nRUN b\n \t\r\n\\\nRUN c\n"));
  CHECK(syntax::readOutline("FROM a\nRUN b\n \t"));
}
