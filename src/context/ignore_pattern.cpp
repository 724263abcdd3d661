#include "context/ignore_pattern.h"

#include <string_view>

#include "context/go_filepath.h"

namespace dfopt::context {

namespace {

// Regexp metacharacters that mean nothing to filepath.Match.
bool needsRegexpEscape(char c) { return std::string_view(".+()|{}$").find(c) != std::string_view::npos; }

}  // namespace

// Pattern.compile, byte for byte: the same expression and the same kind.
std::optional<IgnorePattern> IgnorePattern::compile(std::string pattern) {
  if (!isWellFormedGlob(pattern)) return std::nullopt;
  std::string expression = "^";
  Kind kind = Kind::Exact;
  for (size_t i = 0; i < pattern.size();) {
    const bool first = i == 0;
    const char c = pattern[i++];
    if (c == '*' && i < pattern.size() && pattern[i] == '*') {
      ++i;
      if (i < pattern.size() && pattern[i] == '/') ++i;
      if (i == pattern.size()) {
        // A trailing "**" accepts everything, like .gitignore.
        if (kind != Kind::Exact) expression += ".*";
        kind = kind == Kind::Exact ? Kind::Prefix : Kind::Regexp;
      } else {
        expression += "(.*/)?";
        kind = Kind::Regexp;
      }
      if (first) kind = Kind::Suffix;
    } else if (c == '*') {
      expression += "[^/]*";
      kind = Kind::Regexp;
    } else if (c == '?') {
      expression += "[^/]";
      kind = Kind::Regexp;
    } else if (needsRegexpEscape(c)) {
      expression += '\\';
      expression += c;
    } else if (c == '\\') {
      expression += '\\';
      if (i < pattern.size()) {
        expression += pattern[i++];
        kind = Kind::Regexp;
      }
    } else if (c == '[' || c == ']') {
      expression += c;
      kind = Kind::Regexp;
    } else {
      expression += c;
    }
  }
  if (kind != Kind::Regexp) return IgnorePattern(kind, std::move(pattern), std::nullopt);
  auto regexp = GoRegexp::compile(expression + "$");
  if (!regexp) return std::nullopt;
  return IgnorePattern(kind, std::move(pattern), std::move(regexp));
}

bool IgnorePattern::matches(std::string_view path) const {
  switch (kind_) {
    case Kind::Exact:
      return path == pattern_;
    case Kind::Prefix:
      return path.starts_with(std::string_view(pattern_).substr(0, pattern_.size() - 2));
    case Kind::Suffix: {
      const std::string_view suffix = std::string_view(pattern_).substr(2);
      // "**/foo" also matches "foo" itself.
      return path.ends_with(suffix) || (suffix.starts_with('/') && path == suffix.substr(1));
    }
    case Kind::Regexp:
      return regexp_->matches(path);
  }
  return false;
}

}  // namespace dfopt::context
