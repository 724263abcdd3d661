// lexicallyNormal answers as std::filesystem's lexically_normal does, the
// paths it takes as normal without asking included.
#include <catch2/catch.hpp>

#include "util/normal_path.h"

TEST_CASE("lexicallyNormal is lexically_normal", "[util][paths]") {
  for (const char* text : {"",
                           ".",
                           "..",
                           "/",
                           "//",
                           "///a",
                           "a",
                           "/a",
                           "a/b",
                           "/a/b/c",
                           "a/",
                           "/a/b/",
                           "./a",
                           "../a",
                           "a/.",
                           "a/..",
                           "a/./b",
                           "a/../b",
                           "a//b",
                           "/a/./b/../c",
                           ".a",
                           "a/.b",
                           "a/..b",
                           "a/b..",
                           "a.../b",
                           "/..",
                           "/.",
                           "./",
                           "../",
                           "a/b/./",
                           "/tmp/own/12/Dockerfile",
                           "/Dockerfile",
                           "...",
                           "a/.../b",
                           "relative/path/Dockerfile.dev"}) {
    CAPTURE(text);
    std::filesystem::path path(text);
    CHECK(dfopt::util::lexicallyNormal(path).native() == path.lexically_normal().native());
    // normal already: lexically_normal leaves it as it is (the test is
    // cautious: "a/" or "../a" are normal too, and said not to be)
    if (dfopt::util::isLexicallyNormal(text)) CHECK(path.lexically_normal().native() == path.native());
  }
}
