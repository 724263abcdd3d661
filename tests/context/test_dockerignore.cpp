// .dockerignore matching with Docker's rules (moby/patternmatcher,
// ignorefile.ReadAll and fsutil's walk), one behaviour each. Expected
// results were checked against the Go originals.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "context/dockerignore.h"

using dfopt::context::Dockerignore;
using dfopt::context::matchPattern;

namespace {

bool excluded(const std::string& dockerignore, const std::string& path) {
  return Dockerignore::parse(dockerignore).excludes(path);
}

using Patterns = std::vector<std::string>;

}  // namespace

TEST_CASE("dockerignore: an empty file excludes nothing", "[context]") {
  const Dockerignore dockerignore = Dockerignore::parse("");
  CHECK(dockerignore.empty());
  CHECK_FALSE(dockerignore.excludes("anything"));
}

TEST_CASE("dockerignore: comment lines are skipped", "[context]") {
  const Dockerignore dockerignore = Dockerignore::parse("# build output\nbuild\n#secret\n");
  CHECK(dockerignore.patterns() == Patterns{"build"});
  CHECK_FALSE(dockerignore.excludes("secret"));
  CHECK_FALSE(dockerignore.excludes("#secret"));
}

TEST_CASE("dockerignore: a hash after leading spaces is a pattern and not a comment", "[context]") {
  const Dockerignore dockerignore = Dockerignore::parse("  # notes\n");
  CHECK(dockerignore.patterns() == Patterns{"# notes"});
  CHECK(dockerignore.excludes("# notes"));
}

TEST_CASE("dockerignore: blank and whitespace-only lines are skipped", "[context]") {
  const Dockerignore dockerignore = Dockerignore::parse("\n   \n\t\nfoo\n\n");
  CHECK(dockerignore.patterns() == Patterns{"foo"});
}

TEST_CASE("dockerignore: whitespace around a pattern is trimmed", "[context]") {
  const Dockerignore dockerignore = Dockerignore::parse("   foo.txt \t\n");
  CHECK(dockerignore.patterns() == Patterns{"foo.txt"});
  CHECK(dockerignore.excludes("foo.txt"));
}

TEST_CASE("dockerignore: CRLF line endings are accepted", "[context]") {
  const Dockerignore dockerignore = Dockerignore::parse("a.txt\r\nb.txt\r\n");
  CHECK(dockerignore.patterns() == Patterns{"a.txt", "b.txt"});
  CHECK(dockerignore.excludes("a.txt"));
}

TEST_CASE("dockerignore: a UTF-8 byte order mark is stripped", "[context]") {
  CHECK(
      excluded("\xEF\xBB\xBF"
               "foo",
               "foo"));
}

TEST_CASE("dockerignore: a star matches within one path segment", "[context]") {
  CHECK(excluded("*.log", "app.log"));
  CHECK(excluded("*.log", ".log"));
  CHECK_FALSE(excluded("*.log", "logs/app.log"));
  CHECK_FALSE(excluded("*.log", "app.log.txt"));
}

TEST_CASE("dockerignore: a star pattern that matches a directory excludes its files", "[context]") {
  CHECK(excluded("*.d", "conf.d/site.conf"));
}

TEST_CASE("dockerignore: a double star slash prefix matches at any depth", "[context]") {
  CHECK(excluded("**/*.pyc", "a.pyc"));
  CHECK(excluded("**/*.pyc", "pkg/a.pyc"));
  CHECK(excluded("**/*.pyc", "pkg/sub/a.pyc"));
  CHECK_FALSE(excluded("**/*.pyc", "pkg/a.py"));
}

TEST_CASE("dockerignore: a double star prefix before a plain name matches it at any depth", "[context]") {
  CHECK(excluded("**/foo", "foo"));
  CHECK(excluded("**/foo", "a/b/foo"));
  CHECK(excluded("**/foo", "a/foo/file"));
  CHECK_FALSE(excluded("**/foo", "a/xfoo"));
}

TEST_CASE("dockerignore: a leading double star without a slash matches any suffix", "[context]") {
  // patternmatcher compares "**foo" as a plain suffix, so "xfoo" matches.
  CHECK(excluded("**foo", "xfoo"));
  CHECK(excluded("**foo", "a/xfoo"));
}

TEST_CASE("dockerignore: a double star in the middle matches zero or more directories", "[context]") {
  CHECK(excluded("a/**/b", "a/b"));
  CHECK(excluded("a/**/b", "a/x/b"));
  CHECK(excluded("a/**/b", "a/x/y/b"));
  CHECK_FALSE(excluded("a/**/b", "a/xb"));
  CHECK_FALSE(excluded("a/**/b", "x/a/b"));
}

TEST_CASE("dockerignore: a trailing double star matches everything below but not the directory",
          "[context]") {
  CHECK(excluded("dir/**", "dir/a"));
  CHECK(excluded("dir/**", "dir/a/b"));
  CHECK_FALSE(excluded("dir/**", "dir"));
  CHECK_FALSE(excluded("dir/**", "directory/a"));
}

TEST_CASE("dockerignore: a lone double star matches everything", "[context]") {
  CHECK(excluded("**", "a"));
  CHECK(excluded("**", "a/b/c"));
}

TEST_CASE("dockerignore: a plain name only matches at the context root", "[context]") {
  CHECK(excluded("node_modules", "node_modules"));
  CHECK(excluded("node_modules", "node_modules/left-pad/index.js"));
  CHECK_FALSE(excluded("node_modules", "web/node_modules"));
}

TEST_CASE("dockerignore: a leading slash is ignored", "[context]") {
  CHECK(excluded("/abs", "abs"));
  CHECK(excluded("/abs", "abs/file"));
  CHECK_FALSE(excluded("/abs", "dir/abs"));
}

TEST_CASE("dockerignore: a leading dot slash is cleaned away", "[context]") {
  const Dockerignore dockerignore = Dockerignore::parse("./rel\n");
  CHECK(dockerignore.patterns() == Patterns{"./rel"});
  CHECK(dockerignore.excludes("rel"));
}

TEST_CASE("dockerignore: a trailing slash is cleaned away", "[context]") {
  CHECK(excluded("dir/", "dir"));
  CHECK(excluded("dir/", "dir/file"));
  // Docker does not tell directories from files here.
  CHECK(excluded("build/", "build"));
}

TEST_CASE("dockerignore: dot-dot in a pattern is cleaned", "[context]") {
  CHECK(excluded("a/../b", "b"));
  CHECK_FALSE(excluded("a/../b", "a/b"));
}

TEST_CASE("dockerignore: a directory pattern excludes everything below it", "[context]") {
  CHECK(excluded("build", "build/a/b/c.o"));
  CHECK(excluded("src/gen", "src/gen/x.c"));
  CHECK_FALSE(excluded("src/gen", "src/generated/x.c"));
}

TEST_CASE("dockerignore: the .git directory and only it", "[context]") {
  CHECK(excluded(".git", ".git"));
  CHECK(excluded(".git", ".git/objects/ab/cdef"));
  CHECK_FALSE(excluded(".git", ".gitignore"));
  CHECK_FALSE(excluded(".git", ".github/workflows/ci.yml"));
}

TEST_CASE("dockerignore: an exception re-includes a path", "[context]") {
  CHECK_FALSE(excluded("*.log\n!important.log", "important.log"));
  CHECK(excluded("*.log\n!important.log", "other.log"));
}

TEST_CASE("dockerignore: the last matching pattern wins", "[context]") {
  CHECK(excluded("!important.log\n*.log", "important.log"));
  CHECK(excluded("*.md\n!README*.md\nREADME-secret.md", "README-secret.md"));
  CHECK_FALSE(excluded("*.md\n!README*.md\nREADME-secret.md", "README.md"));
}

TEST_CASE("dockerignore: an exception re-includes a file inside an excluded directory", "[context]") {
  const std::string text = "docs\n!docs/README.md\n";
  CHECK(excluded(text, "docs"));
  CHECK(excluded(text, "docs/guide.md"));
  CHECK_FALSE(excluded(text, "docs/README.md"));
}

TEST_CASE("dockerignore: an exception for a directory re-includes its files", "[context]") {
  CHECK_FALSE(excluded("*\n!src", "src/main.c"));
  CHECK(excluded("*\n!src", "README.md"));
  CHECK_FALSE(excluded("**\n!util/docker/web", "util/docker/web/foo"));
}

TEST_CASE("dockerignore: an exception for a directory does not undo a later match inside it", "[context]") {
  // BuildKit's walk carries an exception down only from a directory it was
  // applied to; "docs" was never excluded, so "!docs" did not apply there.
  // (patternmatcher's MatchesOrParentMatches alone would keep the file.)
  const std::string text = "**/*.md\n!docs\n";
  CHECK(excluded(text, "docs/guide.md"));
  CHECK_FALSE(excluded(text, "docs"));
  CHECK_FALSE(excluded(text, "docs/a.txt"));
}

TEST_CASE("dockerignore: whitespace after the exclamation mark is trimmed", "[context]") {
  CHECK_FALSE(excluded("*.log\n!  keep.log", "keep.log"));
}

TEST_CASE("dockerignore: patterns keep their exclamation marks as written", "[context]") {
  const Dockerignore dockerignore = Dockerignore::parse("*.log\n!important.log\n");
  CHECK(dockerignore.patterns() == Patterns{"*.log", "!important.log"});
}

TEST_CASE("dockerignore: a question mark matches one character", "[context]") {
  CHECK(excluded("file?.txt", "file1.txt"));
  CHECK_FALSE(excluded("file?.txt", "file12.txt"));
  CHECK_FALSE(excluded("file?.txt", "file.txt"));
}

TEST_CASE("dockerignore: a question mark does not match a slash", "[context]") {
  CHECK_FALSE(excluded("a?b", "a/b"));
}

TEST_CASE("dockerignore: a question mark matches one multibyte character", "[context]") {
  CHECK(excluded("caf?", "caf\xC3\xA9"));
}

TEST_CASE("dockerignore: a character class with a range", "[context]") {
  CHECK(excluded("file[0-9].txt", "file7.txt"));
  CHECK_FALSE(excluded("file[0-9].txt", "filex.txt"));
  CHECK(excluded("[abc].md", "b.md"));
}

TEST_CASE("dockerignore: a caret negates a character class", "[context]") {
  CHECK(excluded("[^a]bc", "xbc"));
  CHECK_FALSE(excluded("[^a]bc", "abc"));
}

TEST_CASE("dockerignore: an exclamation mark does not negate a character class", "[context]") {
  // Go's filepath.Match syntax has no "[!...]".
  CHECK(excluded("[!a]bc", "!bc"));
  CHECK(excluded("[!a]bc", "abc"));
  CHECK_FALSE(excluded("[!a]bc", "xbc"));
}

TEST_CASE("dockerignore: a backslash escapes a wildcard", "[context]") {
  CHECK(excluded("a\\*b", "a*b"));
  CHECK_FALSE(excluded("a\\*b", "axb"));
}

TEST_CASE("dockerignore: regexp metacharacters are literal", "[context]") {
  CHECK(excluded("a.b", "a.b"));
  CHECK_FALSE(excluded("a.b", "axb"));
  CHECK(excluded("dist/*+g08(x)$.whl", "dist/proxy+g08(x)$.whl"));
}

TEST_CASE("dockerignore: patterns may contain spaces", "[context]") {
  CHECK(excluded("my file.txt", "my file.txt"));
  CHECK(excluded("dir with space/*", "dir with space/a"));
  CHECK_FALSE(excluded("my file.txt", "my"));
}

TEST_CASE("dockerignore: invalid patterns are reported and the others still apply", "[context]") {
  const Dockerignore dockerignore = Dockerignore::parse("[\nfoo\n!\na\\\n[]x]\n");
  CHECK(dockerignore.invalidPatterns() == Patterns{"[", "!", "a\\", "[]x]"});
  CHECK(dockerignore.excludes("foo"));
  CHECK_FALSE(dockerignore.excludes("["));
}

TEST_CASE("dockerignore: the context root is never excluded", "[context]") {
  CHECK_FALSE(excluded("*", "."));
  CHECK_FALSE(excluded("**", ""));
  CHECK(excluded("*", "x"));
}

TEST_CASE("dockerignore: paths are cleaned before matching", "[context]") {
  CHECK(excluded("foo/bar", "./foo//bar/"));
  CHECK(excluded("foo/bar", "/foo/bar"));
}

TEST_CASE("matchPattern: does not look at parent directories", "[context]") {
  CHECK(matchPattern("a", "a"));
  CHECK_FALSE(matchPattern("a", "a/b"));
}

TEST_CASE("matchPattern: an invalid pattern matches nothing", "[context]") {
  CHECK_FALSE(matchPattern("[", "["));
  CHECK_FALSE(matchPattern("a\\", "a\\"));
}

TEST_CASE("matchPattern: a star inside a class follows Docker's regexp translation", "[context]") {
  // Docker turns "[*]" into the regexp "^[[^/]*]$": a class of '[', '^' and
  // '/', repeated, then ']'. filepath.Match would match "*" instead.
  CHECK(matchPattern("[*]", "]"));
  CHECK(matchPattern("[*]", "[^]"));
  CHECK_FALSE(matchPattern("[*]", "*"));
}

TEST_CASE("matchPattern: invalid UTF-8 in a path is read as U+FFFD, one rune a byte", "[context]") {
  // Go's regexp reads each invalid byte as U+FFFD; RE2 alone would match
  // no character there.
  CHECK(matchPattern("?", "\xFF"));
  CHECK(matchPattern("a?b",
                     "a\xC3"
                     "b"));
  CHECK_FALSE(matchPattern("a?b",
                           "a\xED\xA0\x80"
                           "b"));  // a surrogate: three bytes, three runes
  CHECK(matchPattern("a???b",
                     "a\xED\xA0\x80"
                     "b"));
  CHECK(matchPattern("*.txt", "\xFF\xFE.txt"));
}

TEST_CASE("matchPattern: an invalid byte in a pattern is U+FFFD in its regexp", "[context]") {
  CHECK(matchPattern("*\xFF", "x\xFE"));
  CHECK(matchPattern("*\xFF", "x\xEF\xBF\xBD"));
  // Without a wildcard the pattern compares byte for byte.
  CHECK(matchPattern("a\xFF", "a\xFF"));
  CHECK_FALSE(matchPattern("a\xFF", "a\xFE"));
}

TEST_CASE("matchPattern: a byte order mark opening a regexp pattern is skipped", "[context]") {
  // patternmatcher reads the pattern with text/scanner, which skips it.
  CHECK(matchPattern("\xEF\xBB\xBF*.log", "a.log"));
  CHECK(
      matchPattern("\xEF\xBB\xBF"
                   "a",
                   "\xEF\xBB\xBF"
                   "a"));
}

TEST_CASE("matchPattern: '|', '{' and '}' reach Docker's regexp unescaped", "[context]") {
  // patternmatcher's escape bitmap has no bit for them.
  // "^[^/]*\.log|x$": "^[^/]*\.log" or "x$".
  CHECK(matchPattern("*.log|x", "a.log.bak"));
  CHECK(matchPattern("*.log|x", "any/dir/x"));
  CHECK_FALSE(matchPattern("*.log|x", "any/dir/y"));
  CHECK(matchPattern("a|b", "a|b"));  // no wildcard: compared as text
  CHECK(matchPattern("?{2}", "ab"));
  CHECK_FALSE(matchPattern("?{2}", "a"));
  CHECK(matchPattern("?{x}", "a{x}"));  // not a repetition: literal braces
}

TEST_CASE("matchPattern: Go regexp escapes after a backslash", "[context]") {
  CHECK(matchPattern("\\pL*", "\xC3\xA9t\xC3\xA9"));
  CHECK_FALSE(matchPattern("\\pL*", "1"));
  CHECK(matchPattern("\\d?", "7x"));
  CHECK(matchPattern("a\\b*", "a"));
  CHECK_FALSE(matchPattern("a\\bb*", "ab"));
  // \Q quotes the rest of the regexp "^\Q[^/]*\C$", \C included.
  CHECK(matchPattern("\\Q*\\C", "[^/]*\\C$"));
  CHECK_FALSE(matchPattern("\\Q*\\C", "*\\C"));
}

TEST_CASE("matchPattern: escapes Go's regexp rejects make the pattern invalid", "[context]") {
  CHECK_FALSE(matchPattern("\\C*", "x"));  // RE2's any byte; Go has none
  CHECK_FALSE(matchPattern("\\q*", "q"));
  CHECK_FALSE(matchPattern("\\1*", "1"));
}

TEST_CASE("matchPattern: '.' in Docker's regexp does not match a newline", "[context]") {
  CHECK(matchPattern("a/**", "a/x\ny"));  // prefix match, no regexp
  CHECK_FALSE(matchPattern("*/**", "a/x\ny"));
  CHECK(matchPattern("*/**", "a/xy"));
}

TEST_CASE("dockerignore: MatchesOrParentMatches tries the path and each parent directory", "[context]") {
  const Dockerignore dockerignore = Dockerignore::parse("conf\n*.log\n");
  CHECK(dockerignore.matchesOrParentMatches("conf/app/settings.ini"));
  CHECK(dockerignore.matchesOrParentMatches("debug.log"));
  CHECK_FALSE(dockerignore.matchesOrParentMatches("src/debug.log"));
  // Unlike the walk, a leading '/' is not cleaned away: "/conf" is not "conf".
  CHECK_FALSE(dockerignore.matchesOrParentMatches("/conf/app.ini"));
  CHECK_FALSE(dockerignore.hasExceptions());
  CHECK(Dockerignore::parse("conf\n!conf/keep\n").hasExceptions());
  CHECK(Dockerignore::parse("/*\n").excludesEveryRootEntry());
  CHECK_FALSE(Dockerignore::parse("*.md\n").excludesEveryRootEntry());
}

TEST_CASE("matchPattern: a pattern of literals and single stars matches without its regexp as with it",
          "[context]") {
  // Matched element by element on an ASCII path; a star never takes a '/'.
  CHECK(matchPattern("*.pyc", "a.pyc"));
  CHECK(matchPattern("*.pyc", ".pyc"));
  CHECK_FALSE(matchPattern("*.pyc", "dir/a.pyc"));
  CHECK_FALSE(matchPattern("*.pyc", "a.pyc.bak"));
  CHECK(matchPattern("a*/b*.py", "ax/by.py"));
  CHECK(matchPattern("a*/b*.py", "a/b.py"));
  CHECK_FALSE(matchPattern("a*/b*.py", "a/x/b.py"));
  CHECK_FALSE(matchPattern("a*/b*.py", "ax"));
  CHECK(matchPattern("*a*b*", "xxaxxbxx"));
  CHECK_FALSE(matchPattern("*a*b*", "xxbxxaxx"));
  CHECK(matchPattern("*aab", "aaaab"));  // the star gives bytes back
  CHECK(matchPattern("*", ""));
  CHECK_FALSE(matchPattern("*", "a/b"));
  CHECK(matchPattern("*/*", "a/b"));
  CHECK(matchPattern("$(x)*+", "$(x)yy+"));  // escaped for the regexp: literal
  CHECK_FALSE(matchPattern("$(x)*+", "x)yy+"));
  // A path that is not ASCII goes to the regexp, which reads runes.
  CHECK(matchPattern("*.log", "\xC3\xA9.log"));
  CHECK_FALSE(matchPattern("*.log", "\xC3\xA9/a.log"));
}
