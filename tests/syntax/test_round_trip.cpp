// Lossless parsing: every byte of the input is inside a token or is
// whitespace between tokens, so the text rebuilt from the tree is the input.
#include <catch2/catch.hpp>

#include "support.h"
#include "syntax/syntax_tree.h"

using namespace dfopt;
namespace fs = std::filesystem;

namespace {

void collectLeaves(TSNode node, std::vector<TSNode>& leaves) {
  uint32_t count = ts_node_child_count(node);
  if (count == 0) {
    leaves.push_back(node);
    return;
  }
  for (uint32_t i = 0; i < count; ++i) collectLeaves(ts_node_child(node, i), leaves);
}

bool isWhitespace(std::string_view text) {
  return text.find_first_not_of(" \t\r\n\v\f") == std::string_view::npos;
}

// Rebuilds the text from the tree's tokens and the gaps between them, and
// checks that the gaps hold nothing but whitespace.
std::string rebuild(const syntax::SyntaxTree& tree, std::string& badGap) {
  std::vector<TSNode> leaves;
  collectLeaves(tree.root(), leaves);
  const std::string& bytes = tree.source().bytes();
  std::string out;
  uint32_t at = 0;
  if (bytes.starts_with("\xEF\xBB\xBF")) {  // skipped by tree-sitter's lexer
    out = bytes.substr(0, 3);
    at = 3;
  }
  for (TSNode leaf : leaves) {
    syntax::ByteRange range = tree.range(leaf);
    if (range.begin < at) {
      badGap = "overlapping tokens";
      return out;
    }
    std::string_view gap = std::string_view(bytes).substr(at, range.begin - at);
    if (!isWhitespace(gap)) badGap = std::string(gap);
    out += gap;
    out += tree.text(leaf);
    at = range.end;
  }
  std::string_view tail = std::string_view(bytes).substr(at);
  if (!isWhitespace(tail)) badGap = std::string(tail);
  out += tail;
  return out;
}

void checkRoundTrip(const fs::path& file) {
  std::string text = dfopt::testing::readFile(file);
  syntax::SyntaxTree tree = syntax::SyntaxTree::parse(text);
  INFO("file " << file.string());
  CHECK(tree.ok());
  std::string badGap;
  CHECK(rebuild(tree, badGap) == text);
  CHECK(badGap.empty());
}

}  // namespace

TEST_CASE("the tree covers every byte of every corpus file", "[round-trip]") {
  fs::path corpus = dfopt::testing::sharedDir() / "corpus";
  size_t files = 0;
  for (const fs::path& file : dfopt::testing::realWorldDockerfiles()) {
    checkRoundTrip(file);
    ++files;
  }
  for (const char* group : {"testfiles", "go-test-literals"}) {
    for (const fs::path& dir : dfopt::testing::directoriesIn(corpus / "buildkit" / group)) {
      checkRoundTrip(dir / "Dockerfile");
      ++files;
    }
  }
  checkRoundTrip(corpus / "buildkit" / "testfile-line" / "Dockerfile");
  CHECK(files == 447 + 33 + 3);
}

TEST_CASE("a byte order mark, CRLF and a missing final newline survive the round trip", "[round-trip]") {
  std::string text = "\xEF\xBB\xBF# syntax=docker/dockerfile:1\r\nFROM a\r\n\r\nRUN b \\\r\n  c";
  syntax::SyntaxTree tree = syntax::SyntaxTree::parse(text);
  REQUIRE(tree.ok());
  std::string badGap;
  CHECK(rebuild(tree, badGap) == text);
  CHECK(badGap.empty());
}
