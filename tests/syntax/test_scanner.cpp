// The external scanner's hard cases, one test each. Each checks the tree
// (node types and the text they cover) and what BuildKit would make of it.
#include <catch2/catch.hpp>

#include "buildkit/instruction_parser.h"
#include "model/dump.h"
#include "support.h"
#include "syntax/syntax_tree.h"

using namespace dfopt;
using dfopt::testing::firstError;
using dfopt::testing::parseValid;

namespace {

// "type:text" for every named node below the root, in document order.
void collectTokens(const syntax::SyntaxTree& tree, TSNode node, std::vector<std::string>& out) {
  for (TSNode child : syntax::namedChildren(node)) {
    if (ts_node_named_child_count(child) == 0) {
      out.push_back(std::string(syntax::nodeType(child)) + ":" + std::string(tree.text(child)));
    } else {
      collectTokens(tree, child, out);
    }
  }
}

std::vector<std::string> tokens(const std::string& text) {
  syntax::SyntaxTree tree = syntax::SyntaxTree::parse(text);
  INFO(tree.dump());
  REQUIRE(tree.ok());
  std::vector<std::string> out;
  collectTokens(tree, tree.root(), out);
  return out;
}

using Tokens = std::vector<std::string>;

std::string dump(const std::string& text) { return model::buildkitDump(parseValid(text)); }

}  // namespace

TEST_CASE("scanner: a backslash continuation joins lines without a space", "[scanner]") {
  CHECK(tokens("RUN a \\\n  b\n") == Tokens{"keyword:RUN", "word:a", "line_continuation:\\\n", "word:b"});
  CHECK(dump("RUN a \\\n  b\n") == "(run \"a   b\")\n");
}

TEST_CASE("scanner: the escape directive makes backtick the continuation", "[scanner]") {
  std::string text = "# escape=`\nRUN dir c:\\ `\n  /b\n";
  CHECK(tokens(text) == Tokens{"parser_directive:# escape=`", "keyword:RUN", "word:dir c:\\",
                               "line_continuation:`\n", "word:/b"});
  CHECK(dump(text) == "(run \"dir c:\\\\   /b\")\n");
}

TEST_CASE("scanner: a directive after a comment is only a comment", "[scanner]") {
  std::string text = "# hello\n# escape=`\nRUN a `\n";
  CHECK(tokens(text) == Tokens{"comment:# hello", "comment:# escape=`", "keyword:RUN", "word:a `"});
  CHECK(parseValid(text).escape == '\\');
}

TEST_CASE("scanner: an unknown directive key is a comment and ends directives", "[scanner]") {
  std::string text = "# foo=bar\n# syntax=docker/dockerfile:1\nFROM a\n";
  CHECK(tokens(text) ==
        Tokens{"comment:# foo=bar", "comment:# syntax=docker/dockerfile:1", "keyword:FROM", "word:a"});
}

TEST_CASE("scanner: comment and empty lines inside a continuation are dropped", "[scanner]") {
  std::string text = "RUN a \\\n  # note\n\n  b\n";
  CHECK(tokens(text) == Tokens{"keyword:RUN", "word:a", "line_continuation:\\\n",
                               "continuation_comment:# note\n", "empty_continuation_line:\n", "word:b"});
  model::Dockerfile file = parseValid(text);
  CHECK(dump(text) == "(run \"a   b\")\n");
  REQUIRE(file.instructions[0].innerComments.size() == 1);
  CHECK(file.instructions[0].innerComments[0].text == "note");
  CHECK(file.warnings.size() == 1);
}

TEST_CASE("scanner: a continuation at the end of the file ends the instruction", "[scanner]") {
  CHECK(tokens("FROM a\nRUN b \\") ==
        Tokens{"keyword:FROM", "word:a", "keyword:RUN", "word:b", "final_continuation:\\"});
  CHECK(dump("FROM a\nRUN b \\") == "(from \"a\")\n(run \"b\")\n");
}

TEST_CASE("scanner: an escaped escape character at the end of a line is no continuation", "[scanner]") {
  std::string text = "RUN echo \\\\\nFROM a\n";
  CHECK(tokens(text) == Tokens{"keyword:RUN", "word:echo \\\\", "keyword:FROM", "word:a"});
  CHECK(dump(text) == "(run \"echo \\\\\\\\\")\n(from \"a\")\n");
}

TEST_CASE("scanner: two heredocs on one line are read in order", "[scanner]") {
  std::string text = "COPY <<A <<B /dest/\nfirst\nA\nsecond\nB\nRUN x\n";
  CHECK(tokens(text) == Tokens{"keyword:COPY", "word:<<A <<B /dest/", "heredoc_body:first\n",
                               "heredoc_end:A\n", "heredoc_body:second\n", "heredoc_end:B\n", "keyword:RUN",
                               "word:x"});
  model::Dockerfile file = parseValid(text);
  REQUIRE(file.instructions[0].heredocs.size() == 2);
  CHECK(file.instructions[0].heredocs[1].content == "second\n");
}

TEST_CASE("scanner: <<- strips leading tabs from the terminator line", "[scanner]") {
  std::string text = "RUN <<-EOF\n\techo hi\n\tEOF\n";
  CHECK(tokens(text) ==
        Tokens{"keyword:RUN", "word:<<-EOF", "heredoc_body:\techo hi\n", "heredoc_end:\tEOF\n"});
  CHECK(parseValid(text).instructions[0].heredocs[0].chomp);
}

TEST_CASE("scanner: a quoted heredoc delimiter is matched unquoted", "[scanner]") {
  std::string text = "RUN <<'END' cat\n$HOME\nEND\n";
  CHECK(tokens(text) ==
        Tokens{"keyword:RUN", "word:<<'END' cat", "heredoc_body:$HOME\n", "heredoc_end:END\n"});
  CHECK_FALSE(parseValid(text).instructions[0].heredocs[0].expand);
}

TEST_CASE("scanner: heredoc markers in a JSON-form RUN open nothing", "[scanner]") {
  std::string text = "RUN [\"cat\", \"<<EOF\"]\nEOF\n";
  model::Dockerfile file = parseValid(text);
  REQUIRE(file.instructions.size() == 2);
  CHECK(file.instructions[0].heredocs.empty());
  CHECK(file.instructions[1].keyword == "EOF");
}

TEST_CASE("scanner: heredocs in a shell form that starts with a bracket are read", "[scanner]") {
  std::string text = "RUN [ -f x ] && cat <<EOF\nbody\nEOF\n";
  CHECK(parseValid(text).instructions[0].heredocs.size() == 1);
}

TEST_CASE("scanner: a line whose quote stays open opens no heredoc, as BuildKit's lexer fails on it",
          "[scanner]") {
  // found by the pipeline fuzz target: the USER line was read as the body of `<<-go`
  std::string text = "FROM python\nCOPY . <<-go x\", \"app.py\"]\nUSER appuser\n";
  model::Dockerfile file = parseValid(text);
  REQUIRE(file.instructions.size() == 3);
  CHECK(file.instructions[1].heredocs.empty());
  CHECK(file.instructions[2].keyword == "USER");
  CHECK(buildkit::heredocsFromLine(file.instructions[1].line.text).empty());
  // a closed quote leaves the heredoc open
  CHECK(parseValid("COPY . <<-go \"x\"\nbody\ngo\n").instructions[0].heredocs.size() == 1);
}

TEST_CASE("scanner: heredocs are only opened by RUN, COPY and ADD", "[scanner]") {
  model::Dockerfile file = parseValid("USER <<A\nA\n");
  CHECK(file.instructions.size() == 2);
}

TEST_CASE("scanner: ONBUILD's trigger is an instruction of its own", "[scanner]") {
  std::string text = "ONBUILD RUN <<EOF\necho hi\nEOF\n";
  CHECK(tokens(text) == Tokens{"keyword:ONBUILD", "keyword:RUN", "word:<<EOF", "heredoc_body:echo hi\n",
                               "heredoc_end:EOF\n"});
  model::Dockerfile file = parseValid(text);
  REQUIRE(file.instructions[0].trigger);
  CHECK(file.instructions[0].trigger->command == "run");
  CHECK(dump(text) == "(onbuild (run \"<<EOF\"))\n");
}

TEST_CASE("scanner: an unterminated heredoc is a syntax error", "[scanner]") {
  CHECK_THAT(firstError("FROM a\nRUN <<EOF\necho hi\n"), Catch::Contains("unterminated heredoc"));
}

TEST_CASE("scanner: CRLF line endings stay outside the tokens", "[scanner]") {
  std::string text = "FROM a\r\nRUN b \\\r\n  c\r\n";
  CHECK(tokens(text) ==
        Tokens{"keyword:FROM", "word:a", "keyword:RUN", "word:b", "line_continuation:\\\r\n", "word:c"});
  CHECK(dump(text) == "(from \"a\")\n(run \"b   c\")\n");
  CHECK(parseValid(text).crlf);
}

TEST_CASE("scanner: an argument word is the rest of its physical line, blanks inside kept", "[scanner]") {
  // trailing blanks, before a newline, a CRLF or a continuation, stay outside
  std::string text = "RUN a\t b  \\\n  c \\ d  \r\nRUN e  \n";
  CHECK(tokens(text) == Tokens{"keyword:RUN", "word:a\t b", "line_continuation:\\\n", "word:c \\ d",
                               "keyword:RUN", "word:e"});
  CHECK(dump(text) == "(run \"a\\t b    c \\\\ d\")\n(run \"e\")\n");
  // a heredoc marker after blanks inside the word is still found
  std::string heredoc = "COPY --chmod=644 a  <<EOF   /dest/\nhi\nEOF\n";
  CHECK(tokens(heredoc) == Tokens{"keyword:COPY", "flag:--chmod=644", "word:a  <<EOF   /dest/",
                                  "heredoc_body:hi\n", "heredoc_end:EOF\n"});
}

TEST_CASE("scanner: a UTF-8 byte order mark does not hide the directives", "[scanner]") {
  std::string text = "\xEF\xBB\xBF# escape=`\nFROM a\n";
  CHECK(tokens(text) == Tokens{"parser_directive:# escape=`", "keyword:FROM", "word:a"});
  model::Dockerfile file = parseValid(text);
  CHECK(file.hasByteOrderMark);
  CHECK(file.escape == '`');
}

TEST_CASE("scanner: flags are read up to the first argument, quotes included", "[scanner]") {
  std::string text = "COPY --chown=\"a b\" --from=x -- --not-a-flag /d\n";
  CHECK(tokens(text) ==
        Tokens{"keyword:COPY", "flag:--chown=\"a b\"", "flag:--from=x", "flag:--", "word:--not-a-flag /d"});
  model::Dockerfile file = parseValid(text);
  REQUIRE(file.instructions[0].flags.size() == 2);
  CHECK(file.instructions[0].flags[0].value == "a b");
  CHECK(dump(text) == "(copy [\"--chown=a b\" \"--from=x\"] \"--not-a-flag\" \"/d\")\n");
}

TEST_CASE("scanner: keywords in any case, indented, with tabs and unicode", "[scanner]") {
  std::string text = "  from\talpine\n\trun echo \"h\xC3\xA9llo \xE2\x99\xA5\"\n";
  CHECK(dump(text) == "(from \"alpine\")\n(run \"echo \\\"h\xC3\xA9llo \xE2\x99\xA5\\\"\")\n");
}

TEST_CASE("scanner: blanks after << stay in the heredoc word, as BuildKit lexes it", "[scanner]") {
  model::Dockerfile file = parseValid("RUN <<  EOF\nEOF\n");
  REQUIRE(file.instructions[0].heredocs.size() == 1);
  CHECK(file.instructions[0].heredocs[0].name == "EOF");
}

TEST_CASE("scanner: a JSON array across a continuation is still JSON", "[scanner]") {
  model::Dockerfile file = parseValid("CMD [\"a\", \\\n  \"b\"]\n");
  CHECK(file.instructions[0].jsonForm);
  REQUIRE(file.instructions[0].arguments.size() == 2);
  CHECK(file.instructions[0].arguments[1].text == "\"b\"");
}
