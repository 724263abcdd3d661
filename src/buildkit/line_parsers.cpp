// Port of BuildKit's per-instruction argument parsers
// (frontend/dockerfile/parser/line_parsers.go).
#include "buildkit/line_parsers.h"

#include <string>

#include "buildkit/json_array.h"
#include "util/go_text.h"

namespace dfopt::buildkit {

namespace {

const char* const kNotStringArray = "when using JSON array syntax, arrays must be comprised of strings only";

std::vector<Node> nodesFromValues(std::vector<std::string> values) {
  std::vector<Node> nodes;
  nodes.reserve(values.size());
  for (auto& v : values) nodes.push_back(Node{std::move(v), {}, {}, {}, false});
  return nodes;
}

// Not from an initializer list: its elements are copied, and the value may
// be a whole script of many megabytes.
Parsed single(std::string_view value) {
  Parsed parsed{{}, false, {}};
  parsed.next.push_back(Node{std::string(value), {}, {}, {}, false});
  return parsed;
}

enum class JsonOutcome { Ok, NotStringArray, Other };

JsonOutcome parseJSON(std::string_view rest, Parsed& out) {
  rest = golang::trimLeftSpace(rest);
  if (rest.empty() || rest[0] != '[') return JsonOutcome::Other;  // errDockerfileNotJSONArray
  JsonArray arr = parseJsonArray(rest);
  if (arr.status == JsonArrayStatus::Invalid) return JsonOutcome::Other;
  if (arr.status == JsonArrayStatus::NotStringArray) return JsonOutcome::NotStringArray;
  out = Parsed{nodesFromValues(std::move(arr.values)), true, {}};
  return JsonOutcome::Ok;
}

}  // namespace

ParseResult parseIgnore(std::string_view) { return Parsed{{Node{}}, false, {}}; }

ParseResult parseNameVal(std::string_view rest, const char* key, char escape) {
  std::vector<std::string> words = detail::parseWords(rest, escape);
  if (words.empty()) return Parsed{};
  if (words[0].find('=') == std::string::npos) {
    std::vector<std::string> parts = detail::splitWhitespace(rest, 2);
    if (parts.size() < 2) return ParseError{std::string(key) + " must have two arguments"};
    return Parsed{nodesFromValues({parts[0], parts[1], ""}), false, {}};
  }
  Parsed parsed;
  parsed.next.reserve(3 * words.size());
  for (std::string& word : words) {
    std::size_t eq = word.find('=');
    if (eq == std::string::npos) {
      return ParseError{"Syntax error - can't find = in " + golang::quote(word) +
                        ". Must be of the form: name=value"};
    }
    parsed.next.push_back(Node{word.substr(0, eq), {}, {}, {}, false});
    word.erase(0, eq + 1);
    parsed.next.push_back(Node{std::move(word), {}, {}, {}, false});
    parsed.next.push_back(Node{"=", {}, {}, {}, false});
  }
  return parsed;
}

ParseResult parseNameOrNameVal(std::string_view rest, char escape) {
  return Parsed{nodesFromValues(detail::parseWords(rest, escape)), false, {}};
}

ParseResult parseStringsWhitespaceDelimited(std::string_view rest) {
  if (rest.empty()) return Parsed{};
  return Parsed{nodesFromValues(detail::splitWhitespace(rest, -1)), false, {}};
}

ParseResult parseString(std::string_view rest) {
  if (rest.empty()) return Parsed{};
  return single(rest);
}

ParseResult parseMaybeJSON(std::string_view rest) {
  if (rest.empty()) return Parsed{};
  Parsed parsed;
  switch (parseJSON(rest, parsed)) {
    case JsonOutcome::Ok:
      return parsed;
    case JsonOutcome::NotStringArray:
      return ParseError{kNotStringArray};
    case JsonOutcome::Other:
      break;
  }
  return single(rest);
}

ParseResult parseMaybeJSONToList(std::string_view rest) {
  Parsed parsed;
  switch (parseJSON(rest, parsed)) {
    case JsonOutcome::Ok:
      return parsed;
    case JsonOutcome::NotStringArray:
      return ParseError{kNotStringArray};
    case JsonOutcome::Other:
      break;
  }
  return parseStringsWhitespaceDelimited(rest);
}

ParseResult parseHealthConfig(std::string_view rest) {
  std::size_t sep = 0;
  while (sep < rest.size() && !isSpaceByte(rest[sep])) ++sep;
  std::size_t next = sep;
  while (next < rest.size() && isSpaceByte(rest[next])) ++next;
  if (sep == 0) return Parsed{};
  ParseResult cmd = parseMaybeJSON(rest.substr(next));
  if (auto* err = std::get_if<ParseError>(&cmd)) return *err;
  Parsed& parsed = std::get<Parsed>(cmd);
  parsed.next.insert(parsed.next.begin(), Node{std::string(rest.substr(0, sep)), {}, {}, {}, false});
  return parsed;
}

ParseResult parseSubCommand(std::string_view rest, char escape) {
  if (rest.empty()) return Parsed{};
  auto child = parseInstructionLine(rest, escape);
  if (auto* err = std::get_if<ParseError>(&child)) return *err;
  return Parsed{{}, false, {std::get<Node>(std::move(child))}};
}

namespace detail {

// parseWords works rune by rune (invalid UTF-8 bytes become U+FFFD) and keeps
// quotes and escapes in the words.
std::vector<std::string> parseWords(std::string_view rest, char escape) {
  std::vector<std::string> words;
  Phase phase = Phase::InSpaces;
  char32_t quote = 0;
  bool blankOK = false;
  golang::DecodedRune d;
  std::string word;
  const char32_t esc = static_cast<unsigned char>(escape);
  for (std::size_t pos = 0; pos <= rest.size(); pos += d.width) {
    if (pos != rest.size()) d = golang::decodeRune(rest, pos);
    const char32_t ch = d.rune;
    if (phase == Phase::InSpaces) {
      if (pos == rest.size()) break;
      if (golang::isSpace(ch)) continue;
      phase = Phase::InWord;
    }
    if (pos == rest.size()) {
      if (blankOK || !word.empty()) words.push_back(word);
      break;
    }
    if (phase == Phase::InWord) {
      if (golang::isSpace(ch)) {
        phase = Phase::InSpaces;
        if (blankOK || !word.empty()) words.push_back(word);
        word.clear();
        blankOK = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blankOK = true;
        phase = Phase::InQuote;
      }
      if (ch == esc) {
        if (pos + d.width == rest.size()) continue;
        golang::appendRune(word, ch);
        pos += d.width;
        d = golang::decodeRune(rest, pos);
      }
      golang::appendRune(word, d.rune);
      continue;
    }
    // Phase::InQuote
    if (ch == quote) phase = Phase::InWord;
    if (ch == esc && quote != '\'') {
      if (pos + d.width == rest.size()) {
        phase = Phase::InWord;
        continue;
      }
      pos += d.width;
      golang::appendRune(word, ch);
      d = golang::decodeRune(rest, pos);
    }
    golang::appendRune(word, d.rune);
  }
  return words;
}

}  // namespace detail

}  // namespace dfopt::buildkit
