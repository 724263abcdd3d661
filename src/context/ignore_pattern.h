#pragma once
// One .dockerignore pattern, compiled and matched the way
// moby/patternmatcher's Pattern does: plain patterns compare exactly,
// "dir/**" by prefix, "**/name" by suffix, anything else through a Go
// regexp where '*' and '?' stop at '/' and "**/" spans directories.
#include <optional>
#include <string>
#include <string_view>

#include "context/go_regexp.h"

namespace dfopt::context {

class IgnorePattern {
 public:
  // `pattern` as patternmatcher.New leaves it: cleaned, without its '!'.
  // nullopt for a pattern Docker rejects (filepath.Match syntax, or a
  // regexp Go cannot compile).
  static std::optional<IgnorePattern> compile(std::string pattern);
  // Does the pattern match this path itself (parents are the caller's)?
  bool matches(std::string_view path) const;

 private:
  enum class Kind { Exact, Prefix, Suffix, Regexp };
  IgnorePattern(Kind kind, std::string pattern, std::optional<GoRegexp> regexp)
      : kind_(kind), pattern_(std::move(pattern)), regexp_(std::move(regexp)) {}

  Kind kind_;
  std::string pattern_;
  std::optional<GoRegexp> regexp_;
};

}  // namespace dfopt::context
