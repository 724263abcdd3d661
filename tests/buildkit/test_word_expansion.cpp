// The port of Lex.ProcessWordWithMatches: values, the names found and
// missed, quotes and the escape token as BuildKit's lexer treats them.
#include <catch2/catch.hpp>

#include "buildkit/word_expansion.h"

using dfopt::buildkit::Environment;
using dfopt::buildkit::processWordWithMatches;
using Names = std::set<std::string, std::less<>>;

namespace {

const Environment kEnvironment = {{"A", "1"}, {"EMPTY", ""}, {"UNKNOWN", std::nullopt}};

}  // namespace

TEST_CASE("word expansion: a set variable is replaced and recorded as matched", "[buildkit]") {
  auto expansion = processWordWithMatches("v$A-${A}", kEnvironment, '\\');
  CHECK(expansion.result == "v1-1");
  CHECK(expansion.matched == Names{"A"});
  CHECK(expansion.unmatched.empty());
}

TEST_CASE("word expansion: an unset variable expands to nothing and is recorded as unmatched", "[buildkit]") {
  auto expansion = processWordWithMatches("/opt/${MISSING}/bin", kEnvironment, '\\');
  CHECK(expansion.result == "/opt//bin");
  CHECK(expansion.unmatched == Names{"MISSING"});
}

TEST_CASE("word expansion: a default still looks the variable up", "[buildkit]") {
  auto unset = processWordWithMatches("${MISSING:-x}", kEnvironment, '\\');
  CHECK(unset.result == "x");
  CHECK(unset.unmatched == Names{"MISSING"});
  CHECK(processWordWithMatches("${EMPTY:-x}", kEnvironment, '\\').result == "x");
  CHECK(processWordWithMatches("${EMPTY-x}", kEnvironment, '\\').result == "");
  CHECK(processWordWithMatches("${A:+set}", kEnvironment, '\\').result == "set");
}

TEST_CASE("word expansion: names inside a default are looked up too", "[buildkit]") {
  auto expansion = processWordWithMatches("${MISSING:-$OTHER}", kEnvironment, '\\');
  CHECK(expansion.unmatched == Names{"MISSING", "OTHER"});
}

TEST_CASE("word expansion: single quotes and escapes keep a dollar literal", "[buildkit]") {
  auto quoted = processWordWithMatches("'$A'", kEnvironment, '\\');
  CHECK(quoted.result == "$A");
  CHECK(quoted.matched.empty());
  CHECK(processWordWithMatches("\\$A", kEnvironment, '\\').result == "$A");
  CHECK(processWordWithMatches("\"x $A\"", kEnvironment, '\\').result == "x 1");
}

TEST_CASE("word expansion: the backtick escape directive changes what escapes", "[buildkit]") {
  CHECK(processWordWithMatches("`$A", kEnvironment, '`').result == "$A");
  CHECK(processWordWithMatches("C:\\$A", kEnvironment, '`').result == "C:\\1");
}

TEST_CASE("word expansion: a plain word comes back as it is, and only a plain one", "[buildkit]") {
  for (std::string_view word : {"", "python:3.11-slim", "/usr/src/app", "a<b", "C:\\tmp", "x y\t"}) {
    auto expansion = processWordWithMatches(word, kEnvironment, '`');
    CHECK(expansion.result == std::string(word));
    CHECK_FALSE(expansion.error);
    CHECK(expansion.matched.empty());
    CHECK(expansion.unmatched.empty());
  }
  // The escape token, quotes and a dollar still change the word.
  CHECK(processWordWithMatches("C:\\tmp", kEnvironment, '\\').result == "C:tmp");
  CHECK(processWordWithMatches("a`b", kEnvironment, '`').result == "ab");
  CHECK(processWordWithMatches("'a'b", kEnvironment, '\\').result == "ab");
  // Non-ASCII text is decoded: valid UTF-8 stays, an invalid byte becomes U+FFFD.
  CHECK(processWordWithMatches("caf\xC3\xA9", kEnvironment, '\\').result == "caf\xC3\xA9");
  CHECK(processWordWithMatches("a\xFF"
                               "b",
                               kEnvironment, '\\')
            .result ==
        "a\xEF\xBF\xBD"
        "b");
}

TEST_CASE("word expansion: positional and special parameters are names", "[buildkit]") {
  CHECK(processWordWithMatches("$1", kEnvironment, '\\').unmatched == Names{"1"});
  CHECK(processWordWithMatches("$", kEnvironment, '\\').result == "$");
}

TEST_CASE("word expansion: an unknown value or a pattern operator leaves the result unknown", "[buildkit]") {
  auto unknown = processWordWithMatches("$UNKNOWN/x", kEnvironment, '\\');
  CHECK_FALSE(unknown.result);
  CHECK(unknown.matched == Names{"UNKNOWN"});
  auto trimmed = processWordWithMatches("${A%.*}", kEnvironment, '\\');
  CHECK_FALSE(trimmed.result);
  CHECK(trimmed.matched == Names{"A"});
  CHECK_FALSE(processWordWithMatches("${A/1/2}", kEnvironment, '\\').result);
}

TEST_CASE("word expansion: BuildKit's syntax errors", "[buildkit]") {
  CHECK(processWordWithMatches("${A", kEnvironment, '\\').error);
  CHECK(processWordWithMatches("${:A}", kEnvironment, '\\').error);
  CHECK(processWordWithMatches("${MISSING?}", kEnvironment, '\\').error);
  CHECK(processWordWithMatches("'open", kEnvironment, '\\').error);
  CHECK_FALSE(processWordWithMatches("${A?}", kEnvironment, '\\').error);
}
