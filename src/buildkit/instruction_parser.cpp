// Port of BuildKit's instruction argument parsing and Node.Dump; see
// instruction_parser.h. Function names follow the Go originals
// (frontend/dockerfile/parser/{split_command,line_parsers,parser}.go).
#include "buildkit/instruction_parser.h"

#include <limits>

#include "buildkit/json_array.h"
#include "util/go_text.h"

namespace dfopt::buildkit {

namespace {

// A parse function's result: the Next chain (as a list), the json attribute,
// and the nested instruction of ONBUILD.
struct Parsed {
  std::vector<Node> next;
  bool json = false;
  std::vector<Node> children;
};
using ParseResult = std::variant<Parsed, ParseError>;

const char* const kNotStringArray = "when using JSON array syntax, arrays must be comprised of strings only";

bool isReWhitespace(char c) { return c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == ' '; }

// unicode.IsSpace(rune(b)) for a single byte: 0x85 and 0xA0 count too.
bool isSpaceByte(char c) { return golang::isSpace(static_cast<unsigned char>(c)); }

std::vector<Node> nodesFromValues(const std::vector<std::string>& values) {
  std::vector<Node> nodes;
  nodes.reserve(values.size());
  for (const auto& v : values) nodes.push_back(Node{v, {}, {}, {}, false});
  return nodes;
}

Parsed single(std::string_view value) {
  return Parsed{{Node{std::string(value), {}, {}, {}, false}}, false, {}};
}

// ---- split_command.go -------------------------------------------------------

enum class Phase { InSpaces, InWord, InQuote };

struct FlagsResult {
  std::string rest;
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
        return {std::string(line.substr(pos)), words};
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
        if (word == "--") return {std::string(line.substr(pos)), words};
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
  return {"", words};
}

// ---- line_parsers.go --------------------------------------------------------

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
  for (const auto& word : words) {
    std::size_t eq = word.find('=');
    if (eq == std::string::npos) {
      return ParseError{"Syntax error - can't find = in " + golang::quote(word) +
                        ". Must be of the form: name=value"};
    }
    for (auto& n : nodesFromValues({word.substr(0, eq), word.substr(eq + 1), "="})) {
      parsed.next.push_back(std::move(n));
    }
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

enum class JsonOutcome { Ok, NotStringArray, Other };

JsonOutcome parseJSON(std::string_view rest, Parsed& out) {
  rest = golang::trimLeftSpace(rest);
  if (rest.empty() || rest[0] != '[') return JsonOutcome::Other;  // errDockerfileNotJSONArray
  JsonArray arr = parseJsonArray(rest);
  if (arr.status == JsonArrayStatus::Invalid) return JsonOutcome::Other;
  if (arr.status == JsonArrayStatus::NotStringArray) return JsonOutcome::NotStringArray;
  out = Parsed{nodesFromValues(arr.values), true, {}};
  return JsonOutcome::Ok;
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

}  // namespace

// ---- exposed internals --------------------------------------------------------

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
  std::vector<std::string> cmdline = splitWhitespace(golang::trimSpace(line), 2);
  SplitCommand result;
  result.cmd = cmdline[0];
  if (cmdline.size() == 2) {
    FlagsResult flags = extractBuilderFlags(cmdline[1], escape);
    result.flags = std::move(flags.flags);
    result.args = std::string(golang::trimSpace(flags.rest));
  }
  return result;
}

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

// ---- parser.go ----------------------------------------------------------------

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

}  // namespace dfopt::buildkit

// ---- shell/lex.go subset for heredoc words --------------------------------------
//
// The lexer as parser.go configures it: escape '\\', SkipUnsetEnv, an empty
// environment (so every $VAR / ${VAR...} is kept literally), quotes processed.
// Input runes are read like Go's text/scanner (invalid UTF-8 -> U+FFFD, a
// leading U+FEFF is skipped).

namespace dfopt::buildkit {
namespace {

using Rune = std::int32_t;
constexpr Rune kEOF = -1;
constexpr Rune kEscape = '\\';

struct LexError {
  std::string message;
};

class ShellLexer {
 public:
  ShellLexer(std::string_view src, bool rawQuotes, bool rawEscapes)
      : src_(src), rawQuotes_(rawQuotes), rawEscapes_(rawEscapes) {}

  // Lex.ProcessWords: the words, or an error (Go then also returns no words).
  std::variant<std::vector<std::string>, LexError> processWords() {
    std::string result;
    std::vector<std::string> words;
    if (!processStopOn(kEOF, rawEscapes_, result, &words)) return LexError{error_};
    return words;
  }

 private:
  // wordsStruct; `buf` is shared by all nesting levels, as in Go.
  struct Words {
    std::string* buf;
    std::vector<std::string> words;
    bool inWord = false;

    void addChar(Rune ch) {
      const bool space = golang::isSpace(static_cast<char32_t>(ch));
      if (space && inWord) {
        if (!buf->empty()) {
          words.push_back(*buf);
          buf->clear();
          inWord = false;
        }
      } else if (!space) {
        addRawChar(ch);
      }
    }
    void addRawChar(Rune ch) {
      golang::appendRune(*buf, static_cast<char32_t>(ch));
      inWord = true;
    }
    void addString(std::string_view s) {
      for (std::size_t pos = 0; pos < s.size();) {
        golang::DecodedRune d = golang::decodeRune(s, pos);
        addChar(static_cast<Rune>(d.rune));
        pos += d.width;
      }
    }
    void addRawString(std::string_view s) {
      *buf += s;
      inWord = true;
    }
    std::vector<std::string> getWords() {
      if (!buf->empty()) {
        words.push_back(*buf);
        buf->clear();
        inWord = false;
      }
      return words;
    }
  };

  std::string_view src_;
  std::size_t pos_ = 0;
  Rune ch_ = -2;  // text/scanner: -2 = nothing read yet
  bool rawQuotes_;
  bool rawEscapes_;
  std::string wordsBuffer_;
  std::string error_;

  Rune read() {
    if (pos_ >= src_.size()) return kEOF;
    golang::DecodedRune d = golang::decodeRune(src_, pos_);
    pos_ += d.width;
    return static_cast<Rune>(d.rune);
  }
  Rune peek() {
    if (ch_ == -2) {
      ch_ = read();
      if (ch_ == 0xFEFF) ch_ = read();
    }
    return ch_;
  }
  Rune next() {
    Rune ch = peek();
    if (ch != kEOF) ch_ = read();
    return ch;
  }
  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }
  static void put(std::string& out, Rune ch) { golang::appendRune(out, static_cast<char32_t>(ch)); }
  static std::string runeString(Rune ch) {  // Go string(rune): EOF (-1) -> U+FFFD
    std::string s;
    golang::appendRune(s, ch < 0 ? golang::kRuneError : static_cast<char32_t>(ch));
    return s;
  }

  bool processStopOn(Rune stop, bool rawEscapes, std::string& result, std::vector<std::string>* wordsOut);
  bool processSpecial(Rune ch, std::string& tmp);
  bool processSingleQuote(std::string& out);
  bool processDoubleQuote(std::string& out);
  bool processDollar(std::string& out);
  bool processDollarModifier(const std::string& name, Rune ch, std::string& out);
  bool processDollarReplace(const std::string& name, std::string& out);
  std::string processName();
  std::string processPossibleHeredoc();
};

bool isSpecialParam(Rune ch) {
  switch (ch) {
    case '@':
    case '*':
    case '#':
    case '?':
    case '-':
    case '$':
    case '!':
    case '0':
      return true;
    default:
      return false;
  }
}

bool isLexWhitespace(Rune ch) { return ch == '\t' || ch == '\r' || ch == ' '; }

bool ShellLexer::processSpecial(Rune ch, std::string& tmp) {
  switch (ch) {
    case '$':
      return processDollar(tmp);
    case '<':
      tmp = processPossibleHeredoc();
      return true;
    case '\'':
      return processSingleQuote(tmp);
    default:
      return processDoubleQuote(tmp);
  }
}

bool ShellLexer::processStopOn(Rune stop, bool rawEscapes, std::string& result,
                               std::vector<std::string>* wordsOut) {
  wordsBuffer_.clear();
  Words words{&wordsBuffer_, {}, false};
  const bool savedRawEscapes = rawEscapes_;
  rawEscapes_ = rawEscapes;
  struct Restore {
    bool& target;
    bool value;
    ~Restore() { target = value; }
  } restore{rawEscapes_, savedRawEscapes};

  while (peek() != kEOF) {
    Rune ch = peek();
    if (stop != kEOF && ch == stop) {
      next();
      std::vector<std::string> got = words.getWords();  // also empties the shared buffer
      if (wordsOut) *wordsOut = std::move(got);
      return true;
    }
    if (ch == '$' || ch == '<' || ch == '\'' || ch == '"') {
      std::string tmp;
      if (!processSpecial(ch, tmp)) return false;
      result += tmp;
      if (ch == '$') {
        words.addString(tmp);
      } else {
        words.addRawString(tmp);
      }
      continue;
    }
    ch = next();
    if (ch == kEscape) {
      if (rawEscapes_) {
        words.addRawChar(ch);
        put(result, ch);
      }
      ch = next();
      if (ch == kEOF) break;
      words.addRawChar(ch);
    } else {
      words.addChar(ch);
    }
    put(result, ch);
  }
  if (stop != kEOF) return fail("unexpected end of statement while looking for matching " + runeString(stop));
  std::vector<std::string> got = words.getWords();
  if (wordsOut) *wordsOut = std::move(got);
  return true;
}

bool ShellLexer::processSingleQuote(std::string& out) {
  Rune ch = next();
  if (rawQuotes_) put(out, ch);
  for (;;) {
    ch = next();
    if (ch == kEOF) return fail("unexpected end of statement while looking for matching single-quote");
    if (ch == '\'') {
      if (rawQuotes_) put(out, ch);
      return true;
    }
    put(out, ch);
  }
}

bool ShellLexer::processDoubleQuote(std::string& out) {
  Rune ch = next();
  if (rawQuotes_) put(out, ch);
  for (;;) {
    Rune p = peek();
    if (p == kEOF) return fail("unexpected end of statement while looking for matching double-quote");
    if (p == '"') {
      ch = next();
      if (rawQuotes_) put(out, ch);
      return true;
    }
    if (p == '$') {
      std::string value;
      if (!processDollar(value)) return false;
      out += value;
      continue;
    }
    ch = next();
    if (ch == kEscape) {
      if (rawEscapes_) put(out, ch);
      Rune after = peek();
      if (after == kEOF) continue;
      if (after == '"' || after == '$' || after == kEscape) ch = next();
    }
    put(out, ch);
  }
}

bool ShellLexer::processDollar(std::string& out) {
  next();
  if (peek() != '{') {
    std::string name = processName();
    out = name.empty() ? "$" : "$" + name;  // unset with SkipUnsetEnv: kept as is
    return true;
  }
  next();
  Rune p = peek();
  if (p == kEOF) return fail("syntax error: missing '}'");
  if (p == '{' || p == '}' || p == ':') return fail("syntax error: bad substitution");
  std::string name = processName();
  Rune ch = next();
  if (ch == '}') {
    out = "${" + name + "}";
    return true;
  }
  if (ch == ':' || ch == '+' || ch == '-' || ch == '?' || ch == '#' || ch == '%') {
    return processDollarModifier(name, ch, out);
  }
  if (ch == '/') return processDollarReplace(name, out);
  return fail("unsupported modifier (" + runeString(ch) + ") in substitution");
}

bool ShellLexer::processDollarModifier(const std::string& name, Rune ch, std::string& out) {
  std::string chs = runeString(ch);
  bool nullIsUnset = false;
  if (ch == ':') {
    nullIsUnset = true;
    ch = next();
    chs += runeString(ch);
  }
  const bool rawEscapes = ch == '#' || ch == '%';
  if (nullIsUnset && rawEscapes) return fail("unsupported modifier (" + chs + ") in substitution");
  std::string word;
  if (!processStopOn('}', rawEscapes, word, nullptr)) {
    if (peek() == kEOF) return fail("syntax error: missing '}'");
    return false;
  }
  out = "${" + name + chs + word + "}";  // the variable is never set
  return true;
}

bool ShellLexer::processDollarReplace(const std::string& name, std::string& out) {
  if (peek() == '/') next();  // replaceAll; the extra '/' is not kept in the output
  std::string pattern;
  if (!processStopOn('/', true, pattern, nullptr)) {
    if (peek() == kEOF) return fail("syntax error: missing '/' in ${}");
    return false;
  }
  std::string replacement;
  if (!processStopOn('}', true, replacement, nullptr)) {
    if (peek() == kEOF) return fail("syntax error: missing '}'");
    return false;
  }
  out = "${" + name + "/" + pattern + "/" + replacement + "}";
  return true;
}

std::string ShellLexer::processName() {
  std::string name;
  while (peek() != kEOF) {
    Rune ch = peek();
    if (name.empty() && golang::isDigit(static_cast<char32_t>(ch))) {
      while (peek() != kEOF && golang::isDigit(static_cast<char32_t>(peek()))) put(name, next());
      return name;
    }
    if (name.empty() && isSpecialParam(ch)) return runeString(next());
    const auto r = static_cast<char32_t>(ch);
    if (!golang::isLetter(r) && !golang::isDigit(r) && ch != '_') break;
    put(name, next());
  }
  return name;
}

std::string ShellLexer::processPossibleHeredoc() {
  next();
  if (peek() != '<') return "<";
  next();
  std::string result = "<<";
  while (isLexWhitespace(peek())) put(result, next());
  return result;
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

  auto words = ShellLexer(rest, false, false).processWords();
  if (auto* err = std::get_if<LexError>(&words)) {
    return ParseError{"failed to process " + golang::quote(rest) + ": " + err->message};
  }
  const auto& w = std::get<std::vector<std::string>>(words);
  if (w.size() != 1) return std::nullopt;
  auto raw = ShellLexer(rest, true, false).processWords();
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
  auto lexed = ShellLexer(line, true, true).processWords();
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
