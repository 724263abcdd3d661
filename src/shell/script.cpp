#include "shell/script.h"

#include <algorithm>
#include <array>

#include "util/text_memo.h"

namespace dfopt::shell {
namespace {

constexpr size_t npos = std::string_view::npos;

bool isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool isNameStart(char c) { return isAsciiLetter(c) || c == '_'; }
bool isNameChar(char c) { return isNameStart(c) || isAsciiDigit(c); }
bool isSpecialParameter(char c) { return std::string_view("@*#?$!-").find(c) != npos; }

// '\r' counts as a blank so that CRLF scripts split like LF ones.
bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// What a byte is to the word reader, by a table: the tokenizer asks for
// every byte of every script.
enum class ByteKind : uint8_t { Plain, Metacharacter, Special };
constexpr std::array<ByteKind, 256> kByteKinds = [] {
  std::array<ByteKind, 256> kinds{};
  for (unsigned char c : std::string_view(" \t\r\n;&|<>()")) kinds[c] = ByteKind::Metacharacter;
  for (unsigned char c : std::string_view("\\'\"$`")) kinds[c] = ByteKind::Special;
  return kinds;
}();
ByteKind kindOf(char c) { return kByteKinds[static_cast<unsigned char>(c)]; }

bool isMetacharacter(char c) { return kindOf(c) == ByteKind::Metacharacter; }

bool isSafeForShell(char c) {
  return isAsciiLetter(c) || isAsciiDigit(c) || std::string_view("_@%+=:,./-").find(c) != npos;
}

// The scanners below take the offset of an opening character and return the
// offset just past its closing one, or npos when the script ends first.

size_t endOfExpansion(std::string_view text, size_t dollarOrBackquote);
size_t endOfDoubleQuotes(std::string_view text, size_t open);

size_t endOfSingleQuotes(std::string_view text, size_t open) {
  size_t close = text.find('\'', open + 1);
  return close == npos ? npos : close + 1;
}

size_t endOfBackquotes(std::string_view text, size_t open) {
  for (size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '\\')
      ++i;
    else if (text[i] == '`')
      return i + 1;
  }
  return npos;
}

// Skips one quoted string or expansion starting at `i`, or a backslash and
// the character it escapes; returns `i` when there is none there.
size_t skipQuotedPart(std::string_view text, size_t i) {
  switch (text[i]) {
    case '\\':
      return std::min(i + 2, text.size());
    case '\'':
      return endOfSingleQuotes(text, i);
    case '"':
      return endOfDoubleQuotes(text, i);
    case '`':
    case '$':
      return endOfExpansion(text, i);
    default:
      return i;
  }
}

// `open` is the '(' of "$(": the matching ')' is found by counting the
// parentheses that are not quoted, so operators and spaces inside are skipped.
size_t endOfCommandSubstitution(std::string_view text, size_t open) {
  int depth = 0;
  size_t i = open;
  while (i < text.size()) {
    size_t skipped = skipQuotedPart(text, i);
    if (skipped == npos) return npos;
    if (skipped != i) {
      i = skipped;
      continue;
    }
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && --depth == 0) return i + 1;
    ++i;
  }
  return npos;
}

size_t endOfParameterExpansion(std::string_view text, size_t open) {
  size_t i = open + 1;
  while (i < text.size()) {
    size_t skipped = skipQuotedPart(text, i);
    if (skipped == npos) return npos;
    if (skipped != i) {
      i = skipped;
      continue;
    }
    if (text[i] == '}') return i + 1;
    ++i;
  }
  return npos;
}

// Returns dollar + 1 for a '$' that starts no expansion (it is then literal).
size_t endOfExpansion(std::string_view text, size_t dollarOrBackquote) {
  if (text[dollarOrBackquote] == '`') return endOfBackquotes(text, dollarOrBackquote);
  size_t next = dollarOrBackquote + 1;
  if (next >= text.size()) return next;
  char c = text[next];
  if (c == '(') return endOfCommandSubstitution(text, next);
  if (c == '{') return endOfParameterExpansion(text, next);
  // $'...' is ANSI-C quoting in bash and ash; kept as written like an expansion.
  if (c == '\'') return endOfSingleQuotes(text, next);
  if (isAsciiDigit(c) || isSpecialParameter(c)) return next + 1;
  size_t end = next;
  while (end < text.size() && isNameChar(text[end])) ++end;
  return end;
}

size_t endOfDoubleQuotes(std::string_view text, size_t open) {
  size_t i = open + 1;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"') return i + 1;
    if (c == '\\') {
      i += 2;
    } else if (c == '$' || c == '`') {
      i = endOfExpansion(text, i);
      if (i == npos) return npos;
    } else {
      ++i;
    }
  }
  return npos;
}

std::string unterminatedReason(std::string_view text, size_t open) {
  switch (text[open]) {
    case '\'':
      return "unterminated single quote";
    case '"':
      return "unterminated double quote";
    case '`':
      return "unterminated backquote";
    default:
      break;
  }
  std::string_view opener = text.substr(open, 2);
  if (opener == "$(") return "unterminated $(";
  if (opener == "${") return "unterminated ${";
  return "unterminated $'";
}

// Inside double quotes a backslash only escapes these; elsewhere it stays.
bool escapableInDoubleQuotes(char c) { return c == '$' || c == '`' || c == '"' || c == '\\' || c == '\n'; }

bool isAssignment(std::string_view raw) {
  if (raw.empty() || !isNameStart(raw[0])) return false;
  size_t i = 1;
  while (i < raw.size() && isNameChar(raw[i])) ++i;
  return i < raw.size() && raw[i] == '=';
}

// Every word of every command is asked: the reserved words by length, so
// that a word is compared with at most six of them.
bool isReservedWord(std::string_view raw) {
  static constexpr std::array<std::string_view, 20> kReserved = {
      "{",    "}",    "!",    "if",   "fi",   "do",    "in",    "[[",     "for",    "then",
      "else", "elif", "done", "case", "esac", "while", "until", "select", "coproc", "function"};
  // kReserved's words of length n are [kFirstOfLength[n], kFirstOfLength[n + 1]).
  static constexpr std::array<size_t, 10> kFirstOfLength = {0, 0, 3, 8, 9, 15, 17, 19, 19, 20};
  if (raw.empty() || raw.size() > 8) return false;
  for (size_t i = kFirstOfLength[raw.size()]; i < kFirstOfLength[raw.size() + 1]; ++i) {
    if (raw[0] == kReserved[i][0] && raw == kReserved[i]) return true;
  }
  return false;
}

bool isEmpty(const Command& command) {
  return command.assignments.empty() && command.words.empty() && command.redirections.empty();
}

// A newline or nothing may follow these only if another command comes after.
bool needsFollowingCommand(std::string_view separator) {
  return separator == "&&" || separator == "||" || separator == "|";
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Script parse() {
    while (!script_.complex) {
      skipBlanks();
      if (pos_ >= text_.size()) {
        finishScript();
        break;
      }
      readToken();
    }
    // A long script is kept (parseScriptShared): without the slack that
    // doubling left, up to half its commands' size.
    if (script_.commands.capacity() > 1024) script_.commands.shrink_to_fit();
    return std::move(script_);
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  Script script_;
  Command current_;

  char at(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  void markComplex(std::string reason) {
    script_.complex = true;
    script_.complexReason = std::move(reason);
  }

  void skipBlanks() {
    while (pos_ < text_.size()) {
      if (isBlank(text_[pos_])) {
        ++pos_;
      } else if (text_[pos_] == '\\' && at(pos_ + 1) == '\n') {
        pos_ += 2;  // a line continuation the Dockerfile parser left in
      } else {
        break;
      }
    }
  }

  void skipComment() {
    size_t newline = text_.find('\n', pos_);
    pos_ = newline == npos ? text_.size() : newline;
  }

  void readToken() {
    char c = text_[pos_];
    if (c == '#') {
      skipComment();
    } else if (std::string_view op = controlOperatorHere(); !op.empty()) {
      pos_ += op.size();
      handleControlOperator(op);
    } else if (c == '(' || c == ')') {
      handleParenthesis(c);
    } else if (size_t length = redirectionOperatorLengthHere(); length > 0) {
      readRedirection(length);
    } else if (Word word; readWord(word)) {
      addWord(std::move(word));
    }
  }

  std::string_view controlOperatorHere() const {
    std::string_view rest = text_.substr(pos_);
    // every operator starts with one of these: most words are let through at once
    if (rest.empty() || std::string_view("&|;\n").find(rest[0]) == std::string_view::npos) return {};
    for (std::string_view op : {"&&", "||", ";;"}) {
      if (rest.starts_with(op)) return op;
    }
    if (rest.starts_with("&>")) return {};  // bash's redirection of both outputs
    for (std::string_view op : {"&", ";", "|", "\n"}) {
      if (rest.starts_with(op)) return op;
    }
    return {};
  }

  void handleControlOperator(std::string_view op) {
    if (!isEmpty(current_)) {
      finishCommand(op);
    } else if (op != "\n") {
      markComplex("unexpected " + std::string(op));
    }
    // An empty line, or a line break after "&&", "||" or "|", separates nothing.
  }

  void handleParenthesis(char c) {
    if (c == ')') {
      markComplex("unexpected )");
    } else if (isEmpty(current_)) {
      markComplex("subshell ( )");
    } else if (current_.words.size() == 1 && current_.assignments.empty()) {
      markComplex("function definition");
    } else {
      markComplex("unexpected (");
    }
  }

  // The length of the redirection operator here, with its file descriptor
  // number; 0 when there is none.
  size_t redirectionOperatorLengthHere() const {
    size_t i = pos_;
    while (isAsciiDigit(at(i))) ++i;
    char c = at(i);
    if (i == pos_ && c == '&' && at(i + 1) == '>') return at(i + 2) == '>' ? 3 : 2;
    if (c != '<' && c != '>') return 0;
    ++i;
    char next = at(i);
    if (c == '>' && (next == '>' || next == '|' || next == '&')) return i + 1 - pos_;
    if (c == '<' && next == '<') {
      char third = at(i + 1);
      return (third == '-' || third == '<') ? i + 2 - pos_ : i + 1 - pos_;
    }
    if (c == '<' && (next == '&' || next == '>')) return i + 1 - pos_;
    return i - pos_;
  }

  void readRedirection(size_t operatorLength) {
    size_t begin = pos_;
    std::string_view op = text_.substr(pos_, operatorLength);
    if (op.find("<<") != npos && op.find("<<<") == npos) {
      markComplex("here-document");
      return;
    }
    pos_ += operatorLength;
    if (at(pos_) == '(') {
      markComplex("process substitution");
      return;
    }
    skipBlanks();
    if (pos_ >= text_.size() || isMetacharacter(text_[pos_]) || text_[pos_] == '#') {
      markComplex("redirection without a target");
      return;
    }
    Word target;
    if (!readWord(target)) return;
    extendCurrent(begin, target.end);
    current_.redirections.emplace_back(text_.substr(begin, target.end - begin));
  }

  // Reads the word here into `word`; false when the script is complex there.
  bool readWord(Word& word) {
    word.begin = pos_;
    while (pos_ < text_.size() && !isMetacharacter(text_[pos_])) {
      char c = text_[pos_];
      bool ok = true;
      if (c == '\\') {
        readBackslash(word);
      } else if (c == '\'') {
        ok = readSingleQuoted(word);
      } else if (c == '"') {
        ok = readDoubleQuoted(word);
      } else if (c == '$' || c == '`') {
        ok = readExpansion(word);
      } else {
        size_t end = pos_ + 1;  // a run of plain bytes goes in whole
        while (end < text_.size() && kindOf(text_[end]) == ByteKind::Plain) ++end;
        word.value.append(text_.substr(pos_, end - pos_));
        pos_ = end;
      }
      if (!ok) return false;
    }
    word.end = pos_;
    word.raw = std::string(text_.substr(word.begin, word.end - word.begin));
    return true;
  }

  void readBackslash(Word& word) {
    char next = at(pos_ + 1);
    if (pos_ + 1 >= text_.size()) {
      word.value += '\\';  // nothing left to escape: the backslash is literal
      pos_ += 1;
      return;
    }
    if (next != '\n') word.value += next;
    word.quoted = true;
    pos_ += 2;
  }

  bool readSingleQuoted(Word& word) {
    size_t end = endOfSingleQuotes(text_, pos_);
    if (end == npos) {
      markComplex(unterminatedReason(text_, pos_));
      return false;
    }
    word.value += text_.substr(pos_ + 1, end - pos_ - 2);
    word.quoted = true;
    pos_ = end;
    return true;
  }

  bool readDoubleQuoted(Word& word) {
    size_t end = endOfDoubleQuotes(text_, pos_);
    if (end == npos) {
      markComplex(unterminatedReason(text_, pos_));
      return false;
    }
    word.quoted = true;
    ++pos_;
    size_t close = end - 1;
    while (pos_ < close) {
      char c = text_[pos_];
      if (c == '\\' && escapableInDoubleQuotes(at(pos_ + 1))) {
        if (at(pos_ + 1) != '\n') word.value += text_[pos_ + 1];
        pos_ += 2;
      } else if (c == '$' || c == '`') {
        readExpansion(word);  // cannot fail: endOfDoubleQuotes scanned it
      } else {
        word.value += c;
        ++pos_;
      }
    }
    pos_ = end;
    return true;
  }

  // Expansions stay in the value as written: their result is not known here.
  bool readExpansion(Word& word) {
    size_t end = endOfExpansion(text_, pos_);
    if (end == npos) {
      markComplex(unterminatedReason(text_, pos_));
      return false;
    }
    bool isLoneDollar = text_[pos_] == '$' && end == pos_ + 1;
    if (!isLoneDollar) word.hasExpansion = true;
    word.value += text_.substr(pos_, end - pos_);
    pos_ = end;
    return true;
  }

  void addWord(Word&& word) {
    if (current_.words.empty()) {
      if (isAssignment(word.raw)) {
        extendCurrent(word.begin, word.end);
        current_.assignments.push_back(std::move(word));
        return;
      }
      if (isReservedWord(word.raw)) {
        markComplex("reserved word '" + word.raw + "'");
        return;
      }
    }
    extendCurrent(word.begin, word.end);
    // a command has a name and, mostly, arguments: room for two at once saves
    // the first growth, and growing on from two gives what doubling gives
    if (current_.words.empty()) current_.words.reserve(2);
    current_.words.push_back(std::move(word));
  }

  void extendCurrent(size_t begin, size_t end) {
    if (isEmpty(current_)) current_.begin = begin;
    current_.end = end;
  }

  void finishCommand(std::string_view separator) {
    current_.separatorAfter = separator;
    script_.commands.push_back(std::move(current_));
    current_ = Command();
  }

  void finishScript() {
    if (!isEmpty(current_)) {
      finishCommand("");
    } else if (!script_.commands.empty() && needsFollowingCommand(script_.commands.back().separatorAfter)) {
      markComplex("script ends after " + std::string(script_.commands.back().separatorAfter));
    }
  }
};

// parseScript parses a short text again rather than copy a kept one.
constexpr size_t kShortText = 512;

// The scripts parseScriptShared remembers, per thread: every transform, in
// every pass of the pipeline, reads the same RUN bodies again (a file's
// RUNs were parsed some fifty times over each).
thread_local text::TextMemo<Script> sharedScripts(16 << 20, 1024);

}  // namespace

std::shared_ptr<const Script> parseScriptShared(std::string_view text) {
  return sharedScripts.get(text, [&] { return Parser(text).parse(); });
}

void forgetSharedScripts(size_t keepUpTo) {
  if (sharedScripts.bytes() > keepUpTo) sharedScripts.clear();
}

Script parseScript(std::string_view text) {
  if (text.size() < kShortText) return Parser(text).parse();
  return *parseScriptShared(text);
}

bool mayHaveWordWith(std::string_view script, std::span<const std::string_view> parts) {
  // A long script is parsed anyway, once for all its readers (parseScriptShared),
  // while a search would run again for each reader and part: on a line of ten
  // million 'a's, find("adduser") stopped at every byte, 600 M instructions.
  if (script.size() > 64) return true;
  // One pass notes the bytes present: it rules out most parts for less than
  // a search for each.
  std::array<bool, 256> present{};
  for (char c : script) present[static_cast<unsigned char>(c)] = true;
  if (present['\\'] || present['\''] || present['"']) return true;
  return std::any_of(parts.begin(), parts.end(), [&](std::string_view part) {
    return !part.empty() && present[static_cast<unsigned char>(part[0])] && script.find(part) != npos;
  });
}

std::string quote(std::string_view value) {
  bool safe = !value.empty();
  for (char c : value) safe = safe && isSafeForShell(c);
  if (safe) return std::string(value);
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'')
      quoted += "'\\''";
    else
      quoted += c;
  }
  quoted += '\'';
  return quoted;
}

}  // namespace dfopt::shell
