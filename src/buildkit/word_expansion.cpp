// Port of Lex.ProcessWordWithMatches (frontend/dockerfile/shell/lex.go) as
// dispatch uses it: quotes processed, the Dockerfile's escape token, unset
// variables expanded to "" and every name looked up recorded as matched or
// unmatched. The pattern operators (`${X%p}`, `${X#p}`, `${X/p/r}`) are
// parsed, and their names recorded, but their result is left unknown.
#include "buildkit/word_expansion.h"

#include <cstdint>

#include "util/go_text.h"

namespace dfopt::buildkit {
namespace {

using Rune = std::int32_t;
constexpr Rune kEOF = -1;

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

class WordLexer {
 public:
  WordLexer(std::string_view src, const Environment& environment, char escape)
      : src_(src), environment_(environment), escape_(static_cast<unsigned char>(escape)) {}

  WordExpansion run() {
    if (isLiteral()) {
      out_.result = std::string(src_);
      return std::move(out_);
    }
    std::string result;
    out_.error = !processStopOn(kEOF, false, result);
    if (!out_.error && known_) out_.result = std::move(result);
    return std::move(out_);
  }

 private:
  std::string_view src_;
  const Environment& environment_;
  Rune escape_;
  std::size_t pos_ = 0;
  Rune ch_ = -2;  // text/scanner: -2 = nothing read yet
  bool rawEscapes_ = false;
  bool known_ = true;
  WordExpansion out_;

  // Most words are plain ASCII with nothing to expand, unquote or unescape:
  // the lexer would copy them byte for byte.
  bool isLiteral() const {
    for (char c : src_) {
      auto byte = static_cast<unsigned char>(c);
      if (byte >= 0x80 || c == '$' || c == '\'' || c == '"' || byte == static_cast<unsigned char>(escape_))
        return false;
    }
    return true;
  }

  Rune read() {
    if (pos_ >= src_.size()) return kEOF;
    if (auto byte = static_cast<unsigned char>(src_[pos_]); byte < 0x80) {  // ASCII: itself
      ++pos_;
      return byte;
    }
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
  static void put(std::string& out, Rune ch) {
    if (ch >= 0 && ch < 0x80) {
      out += static_cast<char>(ch);
    } else {
      golang::appendRune(out, static_cast<char32_t>(ch));
    }
  }

  // shellWord.getEnv: the value, recording the name as matched or not.
  const std::optional<std::string>* getEnv(const std::string& name) {
    auto found = environment_.find(name);
    if (found == environment_.end()) {
      out_.unmatched.insert(name);
      return nullptr;
    }
    out_.matched.insert(name);
    if (!found->second) known_ = false;
    return &found->second;
  }
  static std::string valueOf(const std::optional<std::string>* value) {
    return value && *value ? **value : std::string();
  }

  bool processStopOn(Rune stop, bool rawEscapes, std::string& result);
  bool processSingleQuote(std::string& out);
  bool processDoubleQuote(std::string& out);
  bool processDollar(std::string& out);
  bool processModifier(const std::string& name, Rune ch, std::string& out);
  bool processReplace(const std::string& name);
  std::string processName();
};

bool WordLexer::processStopOn(Rune stop, bool rawEscapes, std::string& result) {
  const bool saved = rawEscapes_;
  rawEscapes_ = rawEscapes;
  struct Restore {
    bool& target;
    bool value;
    ~Restore() { target = value; }
  } restore{rawEscapes_, saved};

  while (peek() != kEOF) {
    Rune ch = peek();
    if (stop != kEOF && ch == stop) {
      next();
      return true;
    }
    if (ch == '$' || ch == '\'' || ch == '"') {
      std::string tmp;
      bool ok = ch == '$'    ? processDollar(tmp)
                : ch == '\'' ? processSingleQuote(tmp)
                             : processDoubleQuote(tmp);
      if (!ok) return false;
      result += tmp;
      continue;
    }
    // '<' (a possible heredoc) is copied as it is, as processPossibleHeredoc does.
    ch = next();
    if (ch == escape_) {
      if (rawEscapes_) put(result, ch);
      ch = next();
      if (ch == kEOF) break;
    }
    put(result, ch);
  }
  return stop == kEOF;
}

bool WordLexer::processSingleQuote(std::string& out) {
  next();
  for (;;) {
    Rune ch = next();
    if (ch == kEOF) return false;
    if (ch == '\'') return true;
    put(out, ch);
  }
}

bool WordLexer::processDoubleQuote(std::string& out) {
  next();
  for (;;) {
    Rune p = peek();
    if (p == kEOF) return false;
    if (p == '"') {
      next();
      return true;
    }
    if (p == '$') {
      std::string value;
      if (!processDollar(value)) return false;
      out += value;
      continue;
    }
    Rune ch = next();
    if (ch == escape_) {
      if (rawEscapes_) put(out, ch);
      Rune after = peek();
      if (after == kEOF) continue;
      if (after == '"' || after == '$' || after == escape_) ch = next();
    }
    put(out, ch);
  }
}

bool WordLexer::processDollar(std::string& out) {
  next();
  if (peek() != '{') {
    std::string name = processName();
    out = name.empty() ? "$" : valueOf(getEnv(name));
    return true;
  }
  next();
  Rune p = peek();
  if (p == kEOF || p == '{' || p == '}' || p == ':') return false;
  std::string name = processName();
  Rune ch = next();
  if (ch == '}') {
    out = valueOf(getEnv(name));
    return true;
  }
  if (ch == ':' || ch == '+' || ch == '-' || ch == '?' || ch == '#' || ch == '%') {
    return processModifier(name, ch, out);
  }
  if (ch == '/') return processReplace(name);
  return false;
}

bool WordLexer::processModifier(const std::string& name, Rune ch, std::string& out) {
  bool nullIsUnset = false;
  if (ch == ':') {
    nullIsUnset = true;
    ch = next();
  }
  const bool rawEscapes = ch == '#' || ch == '%';
  if (nullIsUnset && rawEscapes) return false;
  std::string word;
  if (!processStopOn('}', rawEscapes, word)) return false;
  const std::optional<std::string>* value = getEnv(name);
  const bool set = value != nullptr;
  const bool empty = valueOf(value).empty();
  switch (ch) {
    case '-':
      out = !set || (nullIsUnset && empty) ? word : valueOf(value);
      return true;
    case '+':
      out = !set || (nullIsUnset && empty) ? std::string() : word;
      return true;
    case '?':
      if (!set || (nullIsUnset && empty && *value)) return false;
      out = valueOf(value);
      return true;
    case '%':
    case '#':
      known_ = false;
      return true;
    default:
      return false;
  }
}

bool WordLexer::processReplace(const std::string& name) {
  if (peek() == '/') next();
  std::string pattern, replacement;
  if (!processStopOn('/', true, pattern) || !processStopOn('}', true, replacement)) return false;
  getEnv(name);
  known_ = false;
  return true;
}

std::string WordLexer::processName() {
  std::string name;
  while (peek() != kEOF) {
    Rune ch = peek();
    if (name.empty() && golang::isDigit(static_cast<char32_t>(ch))) {
      while (peek() != kEOF && golang::isDigit(static_cast<char32_t>(peek()))) put(name, next());
      return name;
    }
    if (name.empty() && isSpecialParam(ch)) {
      put(name, next());
      return name;
    }
    const auto r = static_cast<char32_t>(ch);
    if (!golang::isLetter(r) && !golang::isDigit(r) && ch != '_') break;
    put(name, next());
  }
  return name;
}

}  // namespace

WordExpansion processWordWithMatches(std::string_view word, const Environment& environment, char escape) {
  return WordLexer(word, environment, escape).run();
}

}  // namespace dfopt::buildkit
