// Port of BuildKit's command splitting (frontend/dockerfile/parser/
// split_command.go): the instruction word, its --flags and the arguments.
#include "buildkit/instruction_parser.h"

#include <string>

#include "buildkit/line_parsers.h"
#include "util/go_text.h"

namespace dfopt::buildkit {

namespace {

bool isReWhitespace(char c) { return c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == ' '; }

struct FlagsResult {
  std::string_view rest;  // of the line given
  std::vector<std::string> flags;
};

// extractBuilderFlags works byte by byte: each byte is written as the rune of
// the same value (so bytes >= 0x80 come out re-encoded as U+0080..U+00FF).
FlagsResult extractBuilderFlags(std::string_view line, char escape) {
  std::vector<std::string> words;
  Phase phase = Phase::InSpaces;
  std::string word;
  char quote = '\0';
  bool blankOK = false;
  char ch = '\0';
  for (std::size_t pos = 0; pos <= line.size(); ++pos) {
    if (pos != line.size()) ch = line[pos];
    if (phase == Phase::InSpaces) {
      if (pos == line.size()) break;
      if (isSpaceByte(ch)) continue;
      if (ch != '-' || pos + 1 == line.size() || line[pos + 1] != '-') {
        return {line.substr(pos), std::move(words)};
      }
      phase = Phase::InWord;
    }
    if (pos == line.size()) {
      if (word != "--" && (blankOK || !word.empty())) words.push_back(word);
      break;
    }
    if (phase == Phase::InWord) {
      if (isSpaceByte(ch)) {
        phase = Phase::InSpaces;
        if (word == "--") return {line.substr(pos), std::move(words)};
        if (blankOK || !word.empty()) words.push_back(word);
        word.clear();
        blankOK = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blankOK = true;
        phase = Phase::InQuote;
        continue;
      }
      if (ch == escape) {
        if (pos + 1 == line.size()) continue;
        ch = line[++pos];
      }
      golang::appendRune(word, static_cast<unsigned char>(ch));
      continue;
    }
    // Phase::InQuote
    if (ch == quote) {
      phase = Phase::InWord;
      continue;
    }
    if (ch == escape) {
      if (pos + 1 == line.size()) {
        phase = Phase::InWord;
        continue;
      }
      ch = line[++pos];
    }
    golang::appendRune(word, static_cast<unsigned char>(ch));
  }
  return {"", std::move(words)};
}

}  // namespace

namespace detail {

// Go regexp.Split semantics for the non-empty-matching reWhitespace: leading
// and trailing separators produce empty strings; n < 0 means no limit.
std::vector<std::string> splitWhitespace(std::string_view s, int n) {
  if (n == 0) return {};
  if (s.empty()) return {""};
  std::vector<std::string> out;
  std::size_t beg = 0;
  std::size_t pos = 0;
  while (pos < s.size()) {
    if (n > 0 && out.size() == static_cast<std::size_t>(n - 1)) break;
    if (!isReWhitespace(s[pos])) {
      ++pos;
      continue;
    }
    std::size_t end = pos;
    while (end < s.size() && isReWhitespace(s[end])) ++end;
    out.emplace_back(s.substr(beg, pos - beg));
    beg = pos = end;
  }
  out.emplace_back(s.substr(beg));
  return out;
}

std::variant<SplitCommand, ParseError> splitCommand(std::string_view line, char escape) {
  // splitWhitespace(trimmed, 2), in views of the line: every instruction
  // comes here, and its arguments are copied once, at the end
  std::string_view trimmed = golang::trimSpace(line);
  size_t space = 0;
  while (space < trimmed.size() && !isReWhitespace(trimmed[space])) ++space;
  SplitCommand result;
  result.cmd = std::string(trimmed.substr(0, space));
  if (space < trimmed.size()) {
    size_t rest = space;
    while (rest < trimmed.size() && isReWhitespace(trimmed[rest])) ++rest;
    FlagsResult flags = extractBuilderFlags(trimmed.substr(rest), escape);
    result.flags = std::move(flags.flags);
    result.args = std::string(golang::trimSpace(flags.rest));
  }
  return result;
}

}  // namespace detail

}  // namespace dfopt::buildkit
