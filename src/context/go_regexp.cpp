#include "context/go_regexp.h"

#include <algorithm>
#include <map>
#include <string>

#include "context/go_utf8.h"

namespace dfopt::context {

namespace {

using RuneRanges = GoRegexp::RuneRanges;
using Assertion = GoRegexp::Assertion;
using Instruction = GoRegexp::Instruction;
using Op = Instruction::Op;

constexpr char32_t kMaxRune = 0x10FFFF;

struct SyntaxError {};

struct Node {
  enum class Kind { Runes, Assert, Group } kind = Kind::Runes;
  enum class Repeat { Once, ZeroOrMore, OneOrMore, ZeroOrOne } repeat = Repeat::Once;
  RuneRanges runes;
  Assertion assertion = Assertion::BeginText;
  std::vector<Node> children;
};

RuneRanges complement(RuneRanges ranges) {
  std::sort(ranges.begin(), ranges.end());
  RuneRanges gaps;
  char32_t next = 0;
  for (const auto& [lo, hi] : ranges) {
    if (lo > next) gaps.emplace_back(next, lo - 1);
    if (hi >= next) next = hi + 1;
  }
  if (next <= kMaxRune) gaps.emplace_back(next, kMaxRune);
  return gaps;
}

void append(RuneRanges& to, const RuneRanges& ranges) { to.insert(to.end(), ranges.begin(), ranges.end()); }

const RuneRanges kDigit{{'0', '9'}};
const RuneRanges kWord{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
const RuneRanges kPerlSpace{{'\t', '\n'}, {'\f', '\r'}, {' ', ' '}};

bool isWordRune(char32_t rune) {
  return (rune >= '0' && rune <= '9') || (rune >= 'A' && rune <= 'Z') || (rune >= 'a' && rune <= 'z') ||
         rune == '_';
}

bool isAsciiAlnum(char32_t rune) { return rune < 0x80 && (isWordRune(rune) && rune != '_'); }

std::optional<RuneRanges> perlClass(char32_t letter) {
  switch (letter) {
    case 'd':
      return kDigit;
    case 'D':
      return complement(kDigit);
    case 's':
      return kPerlSpace;
    case 'S':
      return complement(kPerlSpace);
    case 'w':
      return kWord;
    case 'W':
      return complement(kWord);
    default:
      return std::nullopt;
  }
}

const std::map<std::u32string, RuneRanges>& posixClasses() {
  static const std::map<std::u32string, RuneRanges> classes{
      {U"alnum", {{'0', '9'}, {'A', 'Z'}, {'a', 'z'}}},
      {U"alpha", {{'A', 'Z'}, {'a', 'z'}}},
      {U"ascii", {{0, 0x7F}}},
      {U"blank", {{'\t', '\t'}, {' ', ' '}}},
      {U"cntrl", {{0, 0x1F}, {0x7F, 0x7F}}},
      {U"digit", kDigit},
      {U"graph", {{'!', '~'}}},
      {U"lower", {{'a', 'z'}}},
      {U"print", {{' ', '~'}}},
      {U"punct", {{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}}},
      {U"space", {{'\t', '\r'}, {' ', ' '}}},
      {U"upper", {{'A', 'Z'}}},
      {U"word", kWord},
      {U"xdigit", {{'0', '9'}, {'A', 'F'}, {'a', 'f'}}},
  };
  return classes;
}

int hexValue(char32_t rune) {
  if (rune >= '0' && rune <= '9') return static_cast<int>(rune - '0');
  if (rune >= 'a' && rune <= 'f') return static_cast<int>(rune - 'a' + 10);
  if (rune >= 'A' && rune <= 'F') return static_cast<int>(rune - 'A' + 10);
  return -1;
}

bool isOctal(char32_t rune) { return rune >= '0' && rune <= '7'; }

// Go's regexp/syntax parser, for the subset described in the header.
class Parser {
 public:
  explicit Parser(std::string_view expression) {
    for (size_t offset = 0; offset < expression.size();) runes_.push_back(decodeRune(expression, offset));
  }

  std::vector<Node> parse() {
    auto nodes = parseSequence();
    if (!atEnd()) throw SyntaxError{};  // an unopened ')'
    return nodes;
  }

 private:
  bool atEnd() const { return pos_ >= runes_.size(); }
  char32_t peek(size_t ahead = 0) const { return pos_ + ahead < runes_.size() ? runes_[pos_ + ahead] : 0; }
  char32_t next() {
    if (atEnd()) throw SyntaxError{};
    return runes_[pos_++];
  }

  std::vector<Node> parseSequence() {
    std::vector<Node> nodes;
    bool afterRepeat = false;
    while (!atEnd() && peek() != ')') {
      const char32_t rune = peek();
      if (rune == '*' || rune == '+' || rune == '?') {
        applyRepeat(nodes, afterRepeat);
        afterRepeat = true;
        continue;
      }
      afterRepeat = false;
      nodes.push_back(parseAtom());
    }
    return nodes;
  }

  void applyRepeat(std::vector<Node>& nodes, bool afterRepeat) {
    const char32_t op = next();
    if (peek() == '?') ++pos_;  // non-greedy: the same language
    // Go rejects a repetition of nothing and a stacked one ("a**").
    if (nodes.empty() || afterRepeat) throw SyntaxError{};
    nodes.back().repeat = op == '*'   ? Node::Repeat::ZeroOrMore
                          : op == '+' ? Node::Repeat::OneOrMore
                                      : Node::Repeat::ZeroOrOne;
  }

  Node parseAtom() {
    const char32_t rune = next();
    switch (rune) {
      case '(':
        return parseGroup();
      case '[':
        return runesNode(parseClass());
      case '.':
        return runesNode(complement({{'\n', '\n'}}));
      case '^':
        return assertNode(Assertion::BeginText);
      case '$':
        return assertNode(Assertion::EndText);
      case '\\':
        return parseEscapeAtom();
      case '|':
      case '{':
        throw SyntaxError{};  // never produced unescaped by patternmatcher
      default:
        return runesNode({{rune, rune}});
    }
  }

  Node parseGroup() {
    if (peek() == '?') throw SyntaxError{};
    Node group;
    group.kind = Node::Kind::Group;
    group.children = parseSequence();
    if (next() != ')') throw SyntaxError{};
    return group;
  }

  Node parseEscapeAtom() {
    if (atEnd()) throw SyntaxError{};
    switch (peek()) {
      case 'A':
        ++pos_;
        return assertNode(Assertion::BeginText);
      case 'z':
        ++pos_;
        return assertNode(Assertion::EndText);
      case 'b':
        ++pos_;
        return assertNode(Assertion::WordBoundary);
      case 'B':
        ++pos_;
        return assertNode(Assertion::NotWordBoundary);
      default:
        break;
    }
    if (auto perl = perlClass(peek())) {
      ++pos_;
      return runesNode(*perl);
    }
    const char32_t rune = parseEscapedRune();
    return runesNode({{rune, rune}});
  }

  // After a '\': Go's parseEscape for single runes.
  char32_t parseEscapedRune() {
    const char32_t rune = next();
    if (rune < 0x80 && !isAsciiAlnum(rune)) return rune;
    switch (rune) {
      case 'a':
        return 7;
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return '\v';
      case 'x':
        return parseHexEscape();
      case '0':
        return parseOctalEscape(0);
      default:
        // \1 to \7 are octal only before another octal digit: Go has no
        // backreferences.
        if (rune >= '1' && rune <= '7' && isOctal(peek()) && !atEnd()) return parseOctalEscape(rune - '0');
        throw SyntaxError{};
    }
  }

  char32_t parseOctalEscape(char32_t value) {
    for (int digits = 1; digits < 3 && !atEnd() && isOctal(peek()); ++digits)
      value = value * 8 + (next() - '0');
    return value;
  }

  char32_t parseHexEscape() {
    if (peek() != '{' || atEnd()) {
      const int high = hexValue(next());
      const int low = hexValue(next());
      if (high < 0 || low < 0) throw SyntaxError{};
      return static_cast<char32_t>(high * 16 + low);
    }
    ++pos_;
    char32_t value = 0;
    int digits = 0;
    for (char32_t rune = next(); rune != '}'; rune = next(), ++digits) {
      const int digit = hexValue(rune);
      if (digit < 0) throw SyntaxError{};
      value = value * 16 + digit;
      if (value > kMaxRune) throw SyntaxError{};
    }
    if (digits == 0) throw SyntaxError{};
    return value;
  }

  // After a '[': Go's parseClass. A ']' right after "[" or "[^" is literal.
  RuneRanges parseClass() {
    const bool negated = peek() == '^';
    if (negated) ++pos_;
    RuneRanges ranges;
    for (bool first = true; first || peek() != ']' || atEnd(); first = false) {
      if (atEnd()) throw SyntaxError{};
      if (parseNamedClass(ranges) || parsePerlClassInClass(ranges)) continue;
      const char32_t lo = parseClassRune();
      char32_t hi = lo;
      if (peek() == '-' && pos_ + 1 < runes_.size() && peek(1) != ']') {
        ++pos_;
        hi = parseClassRune();
        if (hi < lo) throw SyntaxError{};
      }
      ranges.emplace_back(lo, hi);
    }
    ++pos_;  // the closing ']'
    return negated ? complement(std::move(ranges)) : ranges;
  }

  // "[:alpha:]" and "[:^alpha:]"; an unknown name is an error, as in Go.
  bool parseNamedClass(RuneRanges& ranges) {
    if (peek() != '[' || peek(1) != ':' || pos_ + 2 > runes_.size()) return false;
    size_t close = pos_ + 2;
    while (close + 1 < runes_.size() && !(runes_[close] == ':' && runes_[close + 1] == ']')) ++close;
    if (close + 1 >= runes_.size()) return false;
    std::u32string name(runes_.begin() + static_cast<long>(pos_ + 2),
                        runes_.begin() + static_cast<long>(close));
    const bool negated = !name.empty() && name.front() == '^';
    if (negated) name.erase(0, 1);
    const auto found = posixClasses().find(name);
    if (found == posixClasses().end()) throw SyntaxError{};
    append(ranges, negated ? complement(found->second) : found->second);
    pos_ = close + 2;
    return true;
  }

  bool parsePerlClassInClass(RuneRanges& ranges) {
    if (peek() != '\\' || pos_ + 1 >= runes_.size()) return false;
    const char32_t letter = peek(1);
    if (letter == 'p' || letter == 'P') throw SyntaxError{};  // Unicode classes: left out
    auto perl = perlClass(letter);
    if (!perl) return false;
    append(ranges, *perl);
    pos_ += 2;
    return true;
  }

  char32_t parseClassRune() {
    const char32_t rune = next();
    return rune == '\\' ? parseEscapedRune() : rune;
  }

  static Node runesNode(RuneRanges ranges) {
    Node node;
    node.runes = std::move(ranges);
    return node;
  }

  static Node assertNode(Assertion assertion) {
    Node node;
    node.kind = Node::Kind::Assert;
    node.assertion = assertion;
    return node;
  }

  std::vector<char32_t> runes_;
  size_t pos_ = 0;
};

// Thompson construction: each node becomes instructions, repetitions become
// Split and Jump.
class Compiler {
 public:
  std::vector<Instruction> compile(const std::vector<Node>& nodes) {
    emitSequence(nodes);
    program_.push_back({Op::Match, {}});
    return std::move(program_);
  }

 private:
  int here() const { return static_cast<int>(program_.size()); }

  void emitSequence(const std::vector<Node>& nodes) {
    for (const Node& node : nodes) emitRepeated(node);
  }

  void emitRepeated(const Node& node) {
    switch (node.repeat) {
      case Node::Repeat::Once:
        emitOnce(node);
        break;
      case Node::Repeat::ZeroOrMore: {
        const int split = emitSplit();
        emitOnce(node);
        program_.push_back({Op::Jump, {}, {}, split});
        patchSplit(split);
        break;
      }
      case Node::Repeat::OneOrMore: {
        const int start = here();
        emitOnce(node);
        program_.push_back({Op::Split, {}, {}, start, here() + 1});
        break;
      }
      case Node::Repeat::ZeroOrOne: {
        const int split = emitSplit();
        emitOnce(node);
        patchSplit(split);
        break;
      }
    }
  }

  // A Split whose first branch is the next instruction; patchSplit sets
  // the second to wherever the code stands then.
  int emitSplit() {
    program_.push_back({Op::Split, {}, {}, here() + 1});
    return here() - 1;
  }
  void patchSplit(int split) { program_[static_cast<size_t>(split)].alternative = here(); }

  void emitOnce(const Node& node) {
    switch (node.kind) {
      case Node::Kind::Runes:
        program_.push_back({Op::Consume, node.runes});
        break;
      case Node::Kind::Assert:
        program_.push_back({Op::Assert, {}, node.assertion});
        break;
      case Node::Kind::Group:
        emitSequence(node.children);
        break;
    }
  }

  std::vector<Instruction> program_;
};

bool contains(const RuneRanges& ranges, char32_t rune) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [rune](const auto& range) { return range.first <= rune && rune <= range.second; });
}

// One step of the simulation: the threads alive before input position `pos`.
class ThreadList {
 public:
  ThreadList(const std::vector<Instruction>& program, const std::vector<char32_t>& input)
      : program_(program), input_(input), queued_(program.size(), false) {}

  void clear() {
    for (int pc : threads_) queued_[static_cast<size_t>(pc)] = false;
    threads_.clear();
  }
  const std::vector<int>& threads() const { return threads_; }

  // Adds `pc` and everything reachable from it without consuming input.
  // Returns whether Match is reachable.
  bool add(int pc, size_t pos) {
    if (queued_[static_cast<size_t>(pc)]) return false;
    queued_[static_cast<size_t>(pc)] = true;
    threads_.push_back(pc);
    const Instruction& instruction = program_[static_cast<size_t>(pc)];
    switch (instruction.op) {
      case Op::Match:
        return true;
      case Op::Consume:
        return false;
      case Op::Jump:
        return add(instruction.next, pos);
      case Op::Split: {
        const bool matched = add(instruction.next, pos);
        return add(instruction.alternative, pos) || matched;
      }
      case Op::Assert:
        return holds(instruction.assertion, pos) && add(pc + 1, pos);
    }
    return false;
  }

 private:
  bool holds(Assertion assertion, size_t pos) const {
    switch (assertion) {
      case Assertion::BeginText:
        return pos == 0;
      case Assertion::EndText:
        return pos == input_.size();
      case Assertion::WordBoundary:
        return atWordBoundary(pos);
      case Assertion::NotWordBoundary:
        return !atWordBoundary(pos);
    }
    return false;
  }
  bool atWordBoundary(size_t pos) const {
    const bool wordBefore = pos > 0 && isWordRune(input_[pos - 1]);
    const bool wordAfter = pos < input_.size() && isWordRune(input_[pos]);
    return wordBefore != wordAfter;
  }

  const std::vector<Instruction>& program_;
  const std::vector<char32_t>& input_;
  std::vector<bool> queued_;
  std::vector<int> threads_;
};

}  // namespace

std::optional<GoRegexp> GoRegexp::compile(std::string_view expression) {
  try {
    return GoRegexp(Compiler().compile(Parser(expression).parse()));
  } catch (const SyntaxError&) {
    return std::nullopt;
  }
}

bool GoRegexp::matches(std::string_view text) const {
  std::vector<char32_t> input;
  for (size_t offset = 0; offset < text.size();) input.push_back(decodeRune(text, offset));
  ThreadList first(program_, input);
  ThreadList second(program_, input);
  ThreadList* current = &first;
  ThreadList* following = &second;
  for (size_t pos = 0;; ++pos) {
    if (current->add(0, pos)) return true;  // a match may start anywhere
    if (pos == input.size()) return false;
    following->clear();
    for (int pc : current->threads()) {
      const Instruction& instruction = program_[static_cast<size_t>(pc)];
      if (instruction.op == Op::Consume && contains(instruction.runes, input[pos]) &&
          following->add(pc + 1, pos + 1))
        return true;
    }
    std::swap(current, following);
  }
}

}  // namespace dfopt::context
