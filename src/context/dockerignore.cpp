#include "context/dockerignore.h"

#include <algorithm>
#include "context/build_context.h"
#include "context/go_filepath.h"

#include "util/go_text.h"
#include "util/text.h"

namespace dfopt::context {

namespace {

// bufio.ScanLines: lines end at '\n', a '\r' before it is dropped.
std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    if (newline != std::string_view::npos && line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
  }
  return lines;
}

// ignorefile.ReadAll for one trimmed line: cleaned, "/" at the start
// dropped, the '!' kept in front.
std::string normalizeLine(std::string_view line) {
  const bool exception = line.front() == '!';
  std::string pattern(exception ? golang::trimSpace(line.substr(1)) : line);
  if (!pattern.empty()) {
    pattern = cleanGoPath(pattern);
    if (pattern.size() > 1 && pattern.front() == '/') pattern.erase(0, 1);
  }
  return exception ? "!" + pattern : pattern;
}

// The pattern with a trailing "/**" or "/*" cut off, as fsutil compares
// exceptions with directories.
std::string_view withoutTrailingGlob(std::string_view pattern) {
  if (pattern.ends_with("/**")) pattern.remove_suffix(3);
  if (pattern.ends_with("/*")) pattern.remove_suffix(2);
  return pattern;
}

}  // namespace

Dockerignore Dockerignore::parse(std::string_view text) {
  Dockerignore dockerignore;
  bool firstLine = true;
  for (std::string_view line : splitLines(text)) {
    if (firstLine && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    firstLine = false;
    // Only a '#' in the first column starts a comment: "  # x" is a pattern.
    if (line.starts_with('#')) continue;
    const std::string_view trimmed = golang::trimSpace(line);
    if (trimmed.empty()) continue;
    dockerignore.written_.emplace_back(trimmed);
    dockerignore.addPattern(trimmed, normalizeLine(trimmed));
  }
  return dockerignore;
}

// patternmatcher.New for one pattern, which cleans it once more.
void Dockerignore::addPattern(std::string_view written, std::string_view normalized) {
  const std::string_view trimmed = golang::trimSpace(normalized);
  if (trimmed.empty()) return;  // "x/../ /y/.." cleans to " ", which New skips
  std::string pattern = cleanGoPath(trimmed);
  const bool exception = pattern.front() == '!';
  if (exception) pattern.erase(0, 1);
  auto matcher = pattern.empty() ? std::nullopt : IgnorePattern::compile(pattern);
  if (!matcher) {
    invalid_.emplace_back(written);
    return;
  }
  rules_.push_back({std::move(pattern), exception, std::move(*matcher)});
}

// fsutil's walk over the context, which decides what is sent: each
// directory on the way down is matched with what its parent matched
// (MatchesUsingParentResults), and an excluded directory that no exception
// can reach into is not entered at all.
bool Dockerignore::excludes(std::string_view path) const {
  const std::string file = cleanPath(path);
  if (file == ".") return false;  // Docker never excludes the whole context
  std::vector<bool> parentMatches;
  for (size_t slash = file.find('/');; slash = file.find('/', slash + 1)) {
    const std::string_view prefix = std::string_view(file).substr(0, slash);
    const bool excluded = matchWithParent(prefix, parentMatches);
    if (slash == std::string_view::npos) return excluded;
    if (excluded && skipsExcludedDirectory(prefix)) return true;
  }
}

bool Dockerignore::prunes(std::string_view directory) const {
  if (rules_.empty()) return false;
  const std::string cleaned = cleanPath(directory);
  return cleaned != "." && excludes(cleaned) && skipsExcludedDirectory(cleaned);
}

// MatchesUsingParentResults: a pattern that matched the parent directory
// matches here too; otherwise it is tried on the path itself.
bool Dockerignore::matchWithParent(std::string_view path, std::vector<bool>& parentMatches) const {
  std::vector<bool> matches(rules_.size(), false);
  bool excluded = false;
  for (size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = rules_[i];
    bool match = !parentMatches.empty() && parentMatches[i];
    // An exception only matters once the path is excluded, and a pattern
    // only while it is not.
    if (!match && rule.exception != excluded) continue;
    if (!match) match = rule.matcher.matches(path);
    matches[i] = match;
    if (match) excluded = !rule.exception;
  }
  parentMatches = std::move(matches);
  return excluded;
}

// fsutil does not enter an excluded directory unless an exception may
// re-include something inside it; any exception with a wildcard counts as
// possibly reaching everywhere.
bool Dockerignore::skipsExcludedDirectory(std::string_view directory) const {
  const std::string directorySlash = std::string(directory) + "/";
  for (const Rule& rule : rules_) {
    if (!rule.exception) continue;
    const std::string_view literal = withoutTrailingGlob(rule.pattern);
    if (literal.find_first_of("*[]?^\\") != std::string_view::npos) return false;
    if ((std::string(literal) + "/").starts_with(directorySlash)) return false;
  }
  return true;
}

bool Dockerignore::matchesOrParentMatches(std::string_view path) const {
  const std::string parent = text::dirName(path);
  std::vector<std::string> parents;  // "a", "a/b" for "a/b/c"; "", "/a" for "/a/b"
  if (parent != ".") {
    for (size_t slash = parent.find('/');; slash = parent.find('/', slash + 1)) {
      parents.push_back(parent.substr(0, slash));
      if (slash == std::string::npos) break;
    }
  }
  bool matched = false;
  for (const Rule& rule : rules_) {
    if (rule.exception != matched) continue;
    bool match = rule.matcher.matches(path);
    for (size_t i = 0; !match && i < parents.size(); ++i) match = rule.matcher.matches(parents[i]);
    if (match) matched = !rule.exception;
  }
  return matched;
}

bool Dockerignore::hasExceptions() const {
  return std::any_of(rules_.begin(), rules_.end(), [](const Rule& rule) { return rule.exception; });
}

bool Dockerignore::excludesEveryRootEntry() const {
  return std::any_of(rules_.begin(), rules_.end(), [](const Rule& rule) {
    return !rule.exception && (rule.pattern == "*" || rule.pattern == "**" || rule.pattern == "**/*");
  });
}

bool matchPattern(std::string_view pattern, std::string_view path) {
  // Callers match one pattern against many paths in a row: the last one
  // compiled is kept, as compiling a regexp costs far more than a match.
  thread_local std::optional<std::string> lastPattern;
  thread_local std::optional<IgnorePattern> lastCompiled;
  if (lastPattern != pattern) {
    lastPattern = std::string(pattern);
    lastCompiled = IgnorePattern::compile(*lastPattern);
  }
  return lastCompiled && lastCompiled->matches(path);
}

}  // namespace dfopt::context
