#include "context/ignore_pattern.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include <string_view>
#include <vector>

#include "context/go_filepath.h"
#include "util/go_text.h"

namespace dfopt::context {

namespace {

constexpr char32_t kByteOrderMark = 0xFEFF;

// The regexp metacharacters patternmatcher escapes. It means to escape
// ".+()|{}$", but its bitmap (escapeBytes[b%8] & 1<<(b/8), in a byte) has
// no bit for '|', '{' and '}': they reach the regexp as alternation and
// counted repetition, so "a|b*" matches every path ("^a" or "b[^/]*$").
bool needsRegexpEscape(char32_t c) {
  return c < 0x80 && std::string_view(".+()$").find(static_cast<char>(c)) != std::string_view::npos;
}

// Pattern.compile reads the pattern with text/scanner: rune by rune, each
// invalid byte as U+FFFD, and a byte order mark at the very start skipped.
std::vector<char32_t> scanRunes(std::string_view pattern) {
  std::vector<char32_t> runes;
  for (size_t pos = 0; pos < pattern.size();) {
    const golang::DecodedRune decoded = golang::decodeRune(pattern, pos);
    if (pos > 0 || decoded.rune != kByteOrderMark) runes.push_back(decoded.rune);
    pos += decoded.width;
  }
  return runes;
}

// RE2 accepts \C (any byte), which Go's regexp rejects. A \C between \Q and
// \E is a literal in both.
bool hasAnyByteEscape(std::string_view expression) {
  for (size_t i = 0; i + 1 < expression.size(); ++i) {
    if (expression[i] != '\\') continue;
    const char escaped = expression[++i];
    if (escaped == 'C') return true;
    if (escaped != 'Q') continue;
    const size_t quoteEnd = expression.find("\\E", i + 1);
    if (quoteEnd == std::string_view::npos) return false;
    i = quoteEnd + 1;
  }
  return false;
}

// Go's regexp.Compile with its default flags, which are RE2's (Perl
// classes, \b, ^ and $ at the ends of the text, '.' not matching '\n').
std::shared_ptr<const re2::RE2> compileGoRegexp(const std::string& expression) {
  if (hasAnyByteEscape(expression)) return nullptr;
  re2::RE2::Options options;
  options.set_log_errors(false);
  // Go has no memory budget for a compiled expression; RE2's default one is
  // small enough that a long line of \pL could fail where Go compiles it.
  options.set_max_mem(int64_t{256} << 20);
  auto regexp = std::make_shared<const re2::RE2>(expression, options);
  return regexp->ok() ? regexp : nullptr;
}

bool isValidUtf8(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    const golang::DecodedRune decoded = golang::decodeRune(text, pos);
    if (decoded.rune == golang::kRuneError && decoded.width == 1) return false;
    pos += decoded.width;
  }
  return true;
}

// Go matches runes, reading each invalid byte as U+FFFD; RE2 in UTF-8 mode
// matches no character at an invalid byte. Spelling those bytes as U+FFFD
// gives RE2 the runes Go sees.
std::string withInvalidBytesAsRuneError(std::string_view text) {
  std::string runes;
  runes.reserve(text.size() + 8);
  for (size_t pos = 0; pos < text.size();) {
    const golang::DecodedRune decoded = golang::decodeRune(text, pos);
    golang::appendRune(runes, decoded.rune);
    pos += decoded.width;
  }
  return runes;
}

// A byte the regexp matches as itself once escaped: not one of the glob's
// other syntax, nor '|', '{', '}' or '^' (which reach Docker's regexp
// unescaped), nor a byte order mark (which its regexp parser skips).
bool isGlobLiteral(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("._-/@%+=,:~#!()$ ").find(c) != std::string_view::npos;
}

// Is the pattern, byte for byte, literals and single stars?
bool isStarGlob(std::string_view pattern) {
  return pattern.find("**") == std::string_view::npos &&
         std::all_of(pattern.begin(), pattern.end(), [](char c) { return c == '*' || isGlobLiteral(c); });
}

bool isAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// One path element against one element of a pattern of literals and
// stars: a star matches any run of bytes (the element holds no '/').
bool elementMatches(std::string_view pattern, std::string_view name) {
  size_t p = 0;
  size_t n = 0;
  size_t star = std::string_view::npos;  // the last star seen, and where its match ends
  size_t starEnd = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      starEnd = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++starEnd;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// A pattern of literals and single stars against an ASCII path, as the
// regexp "^...[^/]*...$" matches it: a star never matches a '/', so the
// path has the pattern's elements, each matching its own.
bool globMatches(std::string_view pattern, std::string_view path) {
  for (;;) {
    size_t patternSlash = pattern.find('/');
    size_t pathSlash = path.find('/');
    if (!elementMatches(pattern.substr(0, patternSlash), path.substr(0, pathSlash))) return false;
    if (patternSlash == std::string_view::npos || pathSlash == std::string_view::npos)
      return patternSlash == pathSlash;
    pattern.remove_prefix(patternSlash + 1);
    path.remove_prefix(pathSlash + 1);
  }
}

}  // namespace

// Pattern.compile, rune for rune: the same expression and the same kind.
std::optional<IgnorePattern> IgnorePattern::compile(std::string pattern) {
  if (!isWellFormedGlob(pattern)) return std::nullopt;
  const std::vector<char32_t> runes = scanRunes(pattern);
  std::string expression = "^";
  Kind kind = Kind::Exact;
  for (size_t i = 0; i < runes.size();) {
    const bool first = i == 0;
    const char32_t c = runes[i++];
    if (c == '*' && i < runes.size() && runes[i] == '*') {
      ++i;
      if (i < runes.size() && runes[i] == '/') ++i;
      if (i == runes.size()) {
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
      expression += static_cast<char>(c);
    } else if (c == '\\') {
      expression += '\\';
      if (i < runes.size()) {
        golang::appendRune(expression, runes[i++]);
        kind = Kind::Regexp;
      }
    } else if (c == '[' || c == ']') {
      expression += static_cast<char>(c);
      kind = Kind::Regexp;
    } else {
      golang::appendRune(expression, c);
    }
  }
  if (kind != Kind::Regexp) return IgnorePattern(kind, std::move(pattern), nullptr);
  auto regexp = compileGoRegexp(expression + "$");
  if (!regexp) return std::nullopt;
  if (isStarGlob(pattern)) kind = Kind::Glob;
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
    case Kind::Glob:
      if (isAscii(path)) return globMatches(pattern_, path);
      [[fallthrough]];
    case Kind::Regexp:
      if (isValidUtf8(path)) return re2::RE2::PartialMatch(path, *regexp_);
      return re2::RE2::PartialMatch(withInvalidBytesAsRuneError(path), *regexp_);
  }
  return false;
}

}  // namespace dfopt::context
