#pragma once
// One .dockerignore pattern, compiled and matched the way
// moby/patternmatcher's Pattern does: plain patterns compare exactly,
// "dir/**" by prefix, "**/name" by suffix, anything else through a Go
// regexp where '*' and '?' stop at '/' and "**/" spans directories. The Go
// regexp runs on RE2, which implements Go's syntax; where the two differ
// (see ignore_pattern.cpp) Go's behaviour is kept.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

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
  // Glob: literal runes and single stars only, matched without the
  // regexp (kept for paths that are not ASCII).
  enum class Kind { Exact, Prefix, Suffix, Glob, Regexp };
  IgnorePattern(Kind kind, std::string pattern, std::shared_ptr<const re2::RE2> regexp)
      : kind_(kind), pattern_(std::move(pattern)), regexp_(std::move(regexp)) {}

  Kind kind_;
  std::string pattern_;
  // Compiled once and shared by copies: RE2 is immutable and not copyable.
  std::shared_ptr<const re2::RE2> regexp_;
};

}  // namespace dfopt::context
