#pragma once
// .dockerignore files with Docker's rules (moby/patternmatcher and
// buildkit's dockerignore reader): one pattern a line, '#' comments, blank
// lines skipped, patterns cleaned like paths, Go filepath.Match syntax plus
// '**' for any number of directories, '!' exceptions, the last match wins,
// and a pattern that matches a directory excludes everything below it.
#include <string>
#include <string_view>
#include <vector>

#include "context/ignore_pattern.h"

namespace dfopt::context {

class Dockerignore {
 public:
  Dockerignore() = default;
  static Dockerignore parse(std::string_view text);

  // Is this context-relative file or directory path left out of the
  // context BuildKit sends? Decided as fsutil's walk does, directory by
  // directory from the root (see dockerignore.cpp).
  bool excludes(std::string_view path) const;
  // Does fsutil's walk leave this directory out without entering it (it is
  // excluded and no '!' exception can reach inside)? Everything below it is
  // then excluded too.
  bool prunes(std::string_view directory) const;
  // patternmatcher's MatchesOrParentMatches, which BuildKit's CopyIgnoredFile
  // check asks of a COPY source: a pattern matches the path or one of its
  // parent directories, the last match wins; no walk, no leading-'/' cleanup.
  bool matchesOrParentMatches(std::string_view path) const;
  // Is there a '!' exception (patternmatcher's Exclusions)?
  bool hasExceptions() const;
  // Is there a pattern (not an exception) `*`, `**` or `**/*`, which leaves
  // out every entry of the root?
  bool excludesEveryRootEntry() const;
  // The patterns as written (after trimming), exceptions with their '!'.
  const std::vector<std::string>& patterns() const { return written_; }
  bool empty() const { return rules_.empty(); }
  // Patterns Docker rejects (a lone '!', a malformed '[...]', a trailing
  // '\'), as written. Docker fails the whole build on one; here they are
  // left out and the other patterns still apply.
  const std::vector<std::string>& invalidPatterns() const { return invalid_; }

 private:
  struct Rule {
    std::string pattern;  // cleaned, without '!'
    bool exception = false;
    IgnorePattern matcher;
  };
  void addPattern(std::string_view written, std::string_view normalized);
  bool matchWithParent(std::string_view path, std::vector<bool>& parentMatches) const;
  bool skipsExcludedDirectory(std::string_view directory) const;

  std::vector<Rule> rules_;
  std::vector<std::string> written_;
  std::vector<std::string> invalid_;
};

// Go's filepath.Match extended with '**' as moby/patternmatcher does: the
// pattern as a cleaned .dockerignore line (no '!'), the path itself only
// (no parent directories), false for an invalid pattern.
bool matchPattern(std::string_view pattern, std::string_view path);

}  // namespace dfopt::context
