// A port of BuildKit's per-instruction argument parsing
// (frontend/dockerfile/parser: split_command.go, line_parsers.go, parts of
// parser.go) and of (*Node).Dump for one instruction. Pure library: it works
// on logical lines that a line joiner has already produced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace dfopt::buildkit {

// Mirrors parser.Node, only what the dump needs.
struct Node {
  std::string value;
  std::vector<std::string> flags;  // only on instruction nodes
  std::vector<Node> next;          // the `Next` chain flattened into a list
  std::vector<Node> children;      // ONBUILD's nested instruction (node.Next.Children)
  bool json = false;               // Attributes["json"]
};

// Message text as BuildKit's error (without location).
struct ParseError {
  std::string message;
};

// newNodeFromLine: `line` is the logical line (continuations joined, comments
// removed); `escape` is '\\' or '`'.
std::variant<Node, ParseError> parseInstructionLine(std::string_view line, char escape);

// Node.Dump() of one instruction child, e.g. `run "echo hi"` (no parentheses).
std::string dumpInstruction(const Node& node);

// parser.Heredoc without Content.
struct HeredocWord {
  std::string name;
  std::uint64_t fileDescriptor = 0;  // Go `uint`; an overflowing fd parses as UINT64_MAX like ParseUint
  bool expand = true;
  bool chomp = false;
};

// parser.go heredocsFromLine (+ ParseHeredoc): the heredoc markers in a
// logical line. Call only when canContainHeredoc(node) holds.
std::variant<std::vector<HeredocWord>, ParseError> heredocsFromLineChecked(std::string_view line);
// Same, returning no heredocs when BuildKit would report an error (such an
// error needs a heredoc word that the shell lexer accepts once but rejects
// when re-lexed, which does not happen in practice).
std::vector<HeredocWord> heredocsFromLine(std::string_view line);

// parser.go ParseHeredoc: the heredoc of a marker word such as `3<<-"EOF"`,
// or nullopt when the word is not one.
std::variant<std::optional<HeredocWord>, ParseError> parseHeredoc(std::string_view word);

// parser.go (*Node).canContainHeredoc.
bool canContainHeredoc(const Node& node);

// Internals exposed for tests (ports of the Go functions of the same name).
namespace detail {
std::vector<std::string> splitWhitespace(std::string_view s, int n);  // reWhitespace.Split(s, n)
struct SplitCommand {
  std::string cmd;
  std::vector<std::string> flags;
  std::string args;
};
std::variant<SplitCommand, ParseError> splitCommand(std::string_view line, char escape);
std::vector<std::string> parseWords(std::string_view rest, char escape);
}  // namespace detail

}  // namespace dfopt::buildkit
