// Port of the subset of BuildKit's shell lexer (frontend/dockerfile/shell/
// lex.go) that parser.go uses for heredoc words; see shell_lex.h.
//
// The lexer as parser.go configures it: escape '\\', SkipUnsetEnv, an empty
// environment (so every $VAR / ${VAR...} is kept literally), quotes processed.
// Input runes are read like Go's text/scanner (invalid UTF-8 -> U+FFFD, a
// leading U+FEFF is skipped).
#include "buildkit/shell_lex.h"

#include <cstdint>

#include "util/go_text.h"

namespace dfopt::buildkit {
namespace {

using Rune = std::int32_t;
constexpr Rune kEOF = -1;
constexpr Rune kEscape = '\\';

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

}  // namespace

std::variant<std::vector<std::string>, LexError> processWords(std::string_view src, bool rawQuotes,
                                                              bool rawEscapes) {
  return ShellLexer(src, rawQuotes, rawEscapes).processWords();
}

}  // namespace dfopt::buildkit
