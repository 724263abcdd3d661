// Parsing a changed text again where it changed (tree-sitter's incremental
// parse or the scanner's outline read again from the change, and the model
// taking the earlier model's unchanged instructions)
// gives the tree and the model a whole parse gives.
#include <random>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "engine/source_commands.h"
#include "model/dump.h"
#include "model/parse.h"
#include "support.h"
#include "syntax/outline.h"
#include "syntax/syntax_tree.h"

using namespace dfopt;
using syntax::ByteRange;
using syntax::SyntaxTree;
using syntax::TextChange;

namespace {

struct Replacement {
  ByteRange range;
  std::string text;
};

// The text after the replacements (not overlapping, in any order), and
// the changes they make.
std::string applied(const std::string& text, std::vector<Replacement> replacements,
                    std::vector<TextChange>& changes) {
  std::sort(replacements.begin(), replacements.end(),
            [](const Replacement& a, const Replacement& b) { return a.range.begin < b.range.begin; });
  std::string out;
  uint32_t at = 0;
  for (const Replacement& replacement : replacements) {
    out.append(text, at, replacement.range.begin - at);
    out += replacement.text;
    at = replacement.range.end;
    changes.push_back({replacement.range, static_cast<uint32_t>(replacement.text.size())});
  }
  out.append(text, at);
  return out;
}

// What the JSON dump leaves out of an instruction: the joined line and where
// its bytes come from, the line range, the positions (model/reuse.h moves
// an earlier model's instruction; a field it missed would differ here).
void checkSameBeyondDump(const model::Instruction& a, const model::Instruction& b) {
  CHECK(a.lineRange == b.lineRange);
  CHECK(a.line.text == b.line.text);
  REQUIRE(a.line.segments.size() == b.line.segments.size());
  for (size_t i = 0; i < a.line.segments.size(); ++i) {
    CHECK(a.line.segments[i].logical == b.line.segments[i].logical);
    CHECK(a.line.segments[i].source == b.line.segments[i].source);
  }
  CHECK(a.start.line == b.start.line);
  CHECK(a.start.column == b.start.column);
  CHECK(a.end.line == b.end.line);
  CHECK(a.end.column == b.end.column);
  CHECK(a.argumentsBegin == b.argumentsBegin);
  CHECK(a.argumentsEnd == b.argumentsEnd);
  for (size_t i = 0; i < a.heredocs.size() && i < b.heredocs.size(); ++i)
    CHECK(a.heredocs[i].content == b.heredocs[i].content);
  REQUIRE((a.trigger == nullptr) == (b.trigger == nullptr));
  if (a.trigger) checkSameBeyondDump(*a.trigger, *b.trigger);
}

// The model built from the earlier one (its unchanged instructions taken
// and moved) is the model built from nothing.
void checkSameModel(const model::Dockerfile& built, const model::Dockerfile& reference) {
  CHECK(model::jsonDump(built) == model::jsonDump(reference));
  REQUIRE(built.instructions.size() == reference.instructions.size());
  for (size_t i = 0; i < built.instructions.size(); ++i)
    checkSameBeyondDump(built.instructions[i], reference.instructions[i]);
}

std::string describeCommands(const model::Instruction& instruction) {
  return engine::describe(engine::commandLineOf(instruction));
}

// Reparses `before` changed by `replacements` and checks that the tree,
// its errors and the model equal those of a whole parse.
void checkReparse(const std::string& before, std::vector<Replacement> replacements) {
  std::vector<TextChange> changes;
  std::string after = applied(before, replacements, changes);
  INFO("before:\n" << before << "\nafter:\n" << after);
  std::string listed;
  for (const TextChange& change : changes)
    listed += fmt::format("{}..{} -> {} bytes; ", change.range.begin, change.range.end, change.size);
  INFO("changes: " << listed);
  SyntaxTree previous = SyntaxTree::parse(before);
  std::reverse(changes.begin(), changes.end());  // any order will do
  SyntaxTree incremental = SyntaxTree::reparse(after, previous, changes);
  SyntaxTree whole = SyntaxTree::parse(after);
  CHECK(syntax::firstDifference(incremental, whole) == std::nullopt);
  CHECK(incremental.errors().size() == whole.errors().size());
  CHECK(previous.source().bytes() == before);
  CHECK_FALSE(syntax::firstDifference(previous, SyntaxTree::parse(before)));

  // a tree is kept only where tree-sitter parsed the text (the grammar's
  // scanner alone could not); else the outline the scanner read, which is
  // read again where the text changed
  model::ParseOutcome kept = model::parseDockerfileKeepingTree(before);
  std::optional<syntax::Outline> read = syntax::readOutline(before);
  CHECK(bool(kept.tree) == !read);
  CHECK(bool(kept.outline) == (read && kept.dockerfile));
  if (read) {
    std::optional<syntax::Outline> again = syntax::readOutlineAgain(after, *read, changes);
    std::optional<syntax::Outline> whole = syntax::readOutline(after);
    REQUIRE(again.has_value() == whole.has_value());
    if (whole) CHECK(syntax::firstDifference(*again, *whole).value_or("") == "");
  }
  model::ParseOutcome changed =
      model::parseDockerfileKeepingTree(after, {kept.tree.get(), kept.outline.get(), changes});
  model::ParseOutcome reference = model::parseDockerfile(after);
  CHECK(changed.errors.size() == reference.errors.size());
  REQUIRE(changed.dockerfile.has_value() == reference.dockerfile.has_value());
  if (reference.dockerfile) checkSameModel(*changed.dockerfile, *reference.dockerfile);
  if (!kept.dockerfile) return;
  // The earlier model's commands are read first: an instruction taken over
  // keeps them only where they are still true (its bytes at the same offsets).
  for (const model::Instruction& instruction : kept.dockerfile->instructions) describeCommands(instruction);
  model::ParseOutcome reused = model::parseDockerfileKeepingTree(
      after, {kept.tree.get(), kept.outline.get(), changes, &*kept.dockerfile});
  CHECK(reused.errors.size() == reference.errors.size());
  REQUIRE(reused.dockerfile.has_value() == reference.dockerfile.has_value());
  if (!reference.dockerfile) return;
  checkSameModel(*reused.dockerfile, *reference.dockerfile);
  for (size_t i = 0; i < reference.dockerfile->instructions.size(); ++i)
    CHECK(describeCommands(reused.dockerfile->instructions[i]) ==
          describeCommands(reference.dockerfile->instructions[i]));
}

std::vector<uint32_t> lineStarts(const std::string& text) {
  std::vector<uint32_t> starts{0};
  for (uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts.push_back(i + 1);
  }
  return starts;
}

const std::vector<std::string> kSnippets = {
    "RUN echo hi\n",
    "# a comment\n",
    "\\\n",
    "USER app\n",
    "COPY <<EOF /x\nhello\nEOF\n",
    "ENV A=b \\\n  C=d\n",
    "",  // a deletion
    "FROM alpine AS build\n",
    "  ",
    "<<EOF\n",
    "\"",
    "ONBUILD RUN make\n",
};

}  // namespace

TEST_CASE("a reparse equals a whole parse: small changes", "[reparse]") {
  std::string file = "FROM alpine\nRUN apk add \\\n    curl\nCOPY . /app\nCMD [\"app\"]\n";
  checkReparse(file, {{{12, 12}, "USER app\n"}});                      // an instruction inserted
  checkReparse(file, {{{12, 35}, ""}});                                // one removed
  checkReparse(file, {{{24, 26}, "  "}});                              // a continuation undone
  checkReparse(file, {{{0, 0}, "# escape=`\n"}});                      // the escape changes every line
  checkReparse("# escape=`\n" + file, {{{0, 11}, ""}});                // and back
  checkReparse(file, {{{12, 12}, "RUN a\n"}, {{12, 12}, "RUN b\n"}});  // two at one offset
  checkReparse(file, {{{12, 15}, "USER"}, {{15, 15}, " x\nRUN"}});     // touching
  uint32_t end = static_cast<uint32_t>(file.size());
  checkReparse(file, {{{0, 0}, "# syntax=x\n"}, {{end, end}, "USER app\n"}});
  checkReparse("FROM a\nRUN <<EOF\necho\nEOF\n", {{{22, 26}, ""}});  // a heredoc left open
  checkReparse("FROM a\nRUN <<EOF\necho\n", {{{22, 22}, "EOF\n"}});  // and closed
  checkReparse("FROM a\r\nRUN b\r\n", {{{8, 8}, "USER c\r\n"}});     // CRLF
  checkReparse("FROM a\nRUN b", {{{12, 12}, " \\"}});                // a final continuation
  std::string bom =
      "\xEF\xBB\xBF"
      "FROM a\nRUN b\n";
  checkReparse(bom, {{{3, 3}, "# syntax=x\n"}});  // after a byte order mark
  checkReparse(bom, {{{0, 0}, "# c\n"}});         // before it
  checkReparse(bom, {{{0, 3}, ""}});              // the mark removed
  checkReparse(bom, {{{10, 10}, "USER a\n"}});
  // read again from the line before a change: the escape character the
  // directives set carries over, and a line that a change makes part of an
  // instruction (a continuation, a heredoc's body) is not taken as it was
  std::string escaped = "# escape=`\nFROM a\nRUN b `\n  c\nRUN d\nRUN e\n";
  checkReparse(escaped, {{{30, 30}, "USER x `\n  y\n"}});
  checkReparse(escaped, {{{11, 11}, "# c\n"}});
  std::string three = "FROM a\nRUN b\nRUN c\nEOF\nRUN d\n";
  checkReparse(three, {{{12, 12}, " \\"}});        // RUN c continues RUN b
  checkReparse(three, {{{12, 12}, " <<EOF"}});     // RUN c is a heredoc's body
  checkReparse(three, {{{7, 7}, "RUN <<EOF\n"}});  // an unterminated heredoc
  // instructions written alike: the earlier model gives each up once, and
  // the second of a pair is read from the tree
  std::string twice = "FROM a\nRUN b\nRUN b\nONBUILD RUN c\nONBUILD RUN c\n";
  checkReparse(twice, {{{0, 0}, "ARG x\n"}});
  checkReparse(twice, {{{13, 13}, "RUN b\n"}});  // a third one
  checkReparse(twice, {{{7, 13}, ""}});          // one fewer
}

TEST_CASE("a reparse equals a whole parse on every corpus file", "[reparse]") {
  std::mt19937 random(20261206);
  size_t checked = 0;
  for (const std::filesystem::path& path : dfopt::testing::realWorldDockerfiles()) {
    std::string text = dfopt::testing::readFile(path);
    if (text.empty()) continue;
    INFO("file " << path.string());
    std::vector<uint32_t> starts = lineStarts(text);
    auto pick = [&](size_t n) {
      return static_cast<uint32_t>(std::uniform_int_distribution<size_t>(0, n - 1)(random));
    };
    for (int round = 0; round < 3; ++round) {
      // up to three changes, each a snippet at a line start, or a line or
      // a few bytes replaced by one; kept apart so that they do not overlap
      std::vector<Replacement> replacements;
      uint32_t floor = 0;
      std::vector<uint32_t> points;
      for (int k = 0; k < 3; ++k) points.push_back(pick(starts.size()));
      std::sort(points.begin(), points.end());
      for (uint32_t line : points) {
        uint32_t begin = std::max(starts[line], floor);
        uint32_t end = begin;
        switch (pick(3)) {
          case 0:
            break;
          case 1:
            end = line + 1 < starts.size() ? starts[line + 1] : static_cast<uint32_t>(text.size());
            break;
          default:
            end = std::min<uint32_t>(begin + pick(8), static_cast<uint32_t>(text.size()));
        }
        if (end < begin) end = begin;
        replacements.push_back({{begin, end}, kSnippets[pick(kSnippets.size())]});
        floor = end;
      }
      checkReparse(text, replacements);
    }
    ++checked;
  }
  CHECK(checked > 400);
}

// Changes anywhere, not only at line starts: inside a keyword, a comment,
// a directive, a heredoc's body or its closing line.
TEST_CASE("an outline read again equals one read whole: changes at any byte", "[reparse]") {
  const std::vector<std::string> snippets = {
      "",
      "R",
      "x",
      " ",
      "\n",
      "#",
      "=",
      "`",
      "\\",
      "\\\n",
      "<<EOF\n",
      "EOF\n",
      "\"",
      "'",
      "escape=`\n",
      "# escape=`\n",
      "FROM a\n",
      "ONBUILD ",
      "RUN <<A <<B\nx\nA\nB\n",
      "\r\n",
      "é",
  };
  std::mt19937 random(20261207);
  auto pick = [&](size_t n) {
    return static_cast<uint32_t>(std::uniform_int_distribution<size_t>(0, n - 1)(random));
  };
  size_t compared = 0;
  for (const std::filesystem::path& path : dfopt::testing::realWorldDockerfiles()) {
    std::string text = dfopt::testing::readFile(path);
    std::optional<syntax::Outline> read = syntax::readOutline(text);
    if (text.empty() || !read) continue;
    INFO("file " << path.string());
    // a byte that starts a character (the text stays valid UTF-8)
    auto boundary = [&](uint32_t at) {
      while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
      return at;
    };
    for (int round = 0; round < 12; ++round) {
      std::vector<uint32_t> points;
      for (uint32_t k = 0, n = 1 + pick(3); k < n; ++k) points.push_back(pick(text.size() + 1));
      std::sort(points.begin(), points.end());
      std::vector<Replacement> replacements;
      uint32_t floor = 0;
      for (uint32_t point : points) {
        uint32_t begin = boundary(std::max(point, floor));
        uint32_t end = boundary(std::min<uint32_t>(begin + pick(6), static_cast<uint32_t>(text.size())));
        replacements.push_back({{begin, end}, snippets[pick(snippets.size())]});
        floor = end;
      }
      std::vector<TextChange> changes;
      std::string after = applied(text, replacements, changes);
      INFO("after:\n" << after);
      std::optional<syntax::Outline> whole = syntax::readOutline(after);
      std::optional<syntax::Outline> again = syntax::readOutlineAgain(after, *read, changes);
      REQUIRE(again.has_value() == whole.has_value());
      if (whole) CHECK(syntax::firstDifference(*again, *whole).value_or("") == "");
      if (whole) CHECK(*again == *whole);
      compared += whole.has_value();
    }
  }
  CHECK(compared > 3000);
}
