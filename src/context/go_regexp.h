#pragma once
// The part of Go's regexp package (RE2 syntax with Go's default Perl flags)
// that moby/patternmatcher's generated expressions can reach: literals,
// escapes, character classes, '.', '^', '$', \A \z \b \B, groups and the
// '*', '+', '?' repetitions. Docker matches .dockerignore patterns with such
// expressions, and their quirks show through (a '[' in a pattern opens a
// regexp class), so they are reproduced rather than approximated.
// Matching runs on runes like Go's and never backtracks.
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace dfopt::context {

class GoRegexp {
 public:
  // nullopt where Go's regexp.Compile fails, and for the syntax left out
  // (alternation, counted repetition, flags, \p classes, \Q...\E).
  static std::optional<GoRegexp> compile(std::string_view expression);
  // Go's MatchString: does the expression match somewhere in `text`?
  bool matches(std::string_view text) const;

  using RuneRanges = std::vector<std::pair<char32_t, char32_t>>;
  enum class Assertion { BeginText, EndText, WordBoundary, NotWordBoundary };
  struct Instruction {
    enum class Op { Consume, Assert, Split, Jump, Match } op;
    RuneRanges runes;  // Consume
    Assertion assertion = Assertion::BeginText;
    int next = 0;         // Split, Jump
    int alternative = 0;  // Split
  };

 private:
  explicit GoRegexp(std::vector<Instruction> program) : program_(std::move(program)) {}
  std::vector<Instruction> program_;
};

}  // namespace dfopt::context
