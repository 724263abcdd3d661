// Port of BuildKit's instruction dispatch, Node.Dump and heredoc markers
// (frontend/dockerfile/parser/parser.go); see instruction_parser.h. The
// argument parsers are in line_parsers.cpp, command splitting in
// split_command.cpp and the shell lexer for heredoc words in shell_lex.cpp.
#include "buildkit/instruction_parser.h"

#include <limits>

#include "buildkit/line_parsers.h"
#include "buildkit/shell_lex.h"
#include "util/go_text.h"

namespace dfopt::buildkit {

namespace {

ParseResult dispatch(const std::string& cmd, std::string_view args, char escape) {
  if (cmd == "add" || cmd == "copy" || cmd == "volume") return parseMaybeJSONToList(args);
  if (cmd == "run" || cmd == "cmd" || cmd == "entrypoint" || cmd == "shell") return parseMaybeJSON(args);
  if (cmd == "from" || cmd == "expose") return parseStringsWhitespaceDelimited(args);
  if (cmd == "maintainer" || cmd == "user" || cmd == "workdir" || cmd == "stopsignal")
    return parseString(args);
  if (cmd == "arg") return parseNameOrNameVal(args, escape);
  if (cmd == "env") return parseNameVal(args, "ENV", escape);
  if (cmd == "label") return parseNameVal(args, "LABEL", escape);
  if (cmd == "healthcheck") return parseHealthConfig(args);
  if (cmd == "onbuild") return parseSubCommand(args, escape);
  return parseIgnore(args);
}

std::size_t countQuotes(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (c == '\'' || c == '"') ? 1 : 0;
  return n;
}

bool isRegexSpace(char c) { return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '; }

// strconv.ParseUint(digits, 10, 0) with the error ignored.
std::uint64_t parseFd(std::string_view digits) {
  std::uint64_t v = 0;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  for (char c : digits) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (kMax - d) / 10) return kMax;
    v = v * 10 + d;
  }
  return v;
}

}  // namespace

std::variant<Node, ParseError> parseInstructionLine(std::string_view line, char escape) {
  auto split = detail::splitCommand(line, escape);
  if (auto* err = std::get_if<ParseError>(&split)) return *err;
  auto& cmd = std::get<detail::SplitCommand>(split);
  ParseResult parsed = dispatch(golang::toLower(cmd.cmd), cmd.args, escape);
  if (auto* err = std::get_if<ParseError>(&parsed)) return *err;
  auto& p = std::get<Parsed>(parsed);
  return Node{std::move(cmd.cmd), std::move(cmd.flags), std::move(p.next), std::move(p.children), p.json};
}

std::string dumpInstruction(const Node& node) {
  std::string out = golang::toLower(node.value);
  if (!node.flags.empty()) out += " " + golang::quoteList(node.flags);
  // Go keeps ONBUILD's instruction in Next.Children; that Next node dumps as "(child)".
  for (const Node& child : node.children) out += " (" + dumpInstruction(child) + ")";
  for (const Node& n : node.next) out += " " + golang::quote(n.value);
  return std::string(golang::trimSpace(out));
}

bool canContainHeredoc(const Node& node) {
  const Node* n = &node;
  if (golang::toLower(n->value) == "onbuild" && !n->children.empty()) n = &n->children[0];
  const std::string cmd = golang::toLower(n->value);
  if (cmd != "add" && cmd != "copy" && cmd != "run") return false;
  return !n->json;
}

// reHeredoc = `^(\d*)<<(-?)\s*([^<]*)$`, then heredocFromMatch.
std::variant<std::optional<HeredocWord>, ParseError> parseHeredoc(std::string_view src) {
  std::size_t i = 0;
  while (i < src.size() && src[i] >= '0' && src[i] <= '9') ++i;
  const std::string_view digits = src.substr(0, i);
  if (src.substr(i, 2) != "<<") return std::nullopt;
  i += 2;
  const bool chomp = i < src.size() && src[i] == '-';
  if (chomp) ++i;
  while (i < src.size() && isRegexSpace(src[i])) ++i;
  const std::string_view rest = src.substr(i);
  if (rest.find('<') != std::string_view::npos || rest.empty()) return std::nullopt;

  auto words = processWords(rest, false, false);
  if (auto* err = std::get_if<LexError>(&words)) {
    return ParseError{"failed to process " + golang::quote(rest) + ": " + err->message};
  }
  const auto& w = std::get<std::vector<std::string>>(words);
  if (w.size() != 1) return std::nullopt;
  auto raw = processWords(rest, true, false);
  if (auto* err = std::get_if<LexError>(&raw)) {
    return ParseError{"failed to process " + golang::quote(rest) + ": " + err->message};
  }
  const auto& wr = std::get<std::vector<std::string>>(raw);
  if (wr.size() != w.size()) {
    return ParseError{"internal lexing of heredoc produced inconsistent results: " + std::string(rest)};
  }
  return HeredocWord{w[0], parseFd(digits), countQuotes(w[0]) == countQuotes(wr[0]), chomp};
}

std::variant<std::vector<HeredocWord>, ParseError> heredocsFromLineChecked(std::string_view line) {
  auto lexed = processWords(line, true, true);
  std::vector<HeredocWord> docs;
  if (std::holds_alternative<LexError>(lexed)) return docs;  // Go ignores this error: no words
  for (const auto& word : std::get<std::vector<std::string>>(lexed)) {
    auto heredoc = parseHeredoc(word);
    if (auto* err = std::get_if<ParseError>(&heredoc)) return *err;
    if (auto& h = std::get<std::optional<HeredocWord>>(heredoc)) docs.push_back(*h);
  }
  return docs;
}

std::vector<HeredocWord> heredocsFromLine(std::string_view line) {
  auto result = heredocsFromLineChecked(line);
  if (auto* docs = std::get_if<std::vector<HeredocWord>>(&result)) return std::move(*docs);
  return {};
}

}  // namespace dfopt::buildkit
