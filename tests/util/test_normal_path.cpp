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
                           "relative/path/Dockerfile.dev"}) {
    CAPTURE(text);
    std::filesystem::path path(text);
    CHECK(dfopt::util::lexicallyNormal(path).native() == path.lexically_normal().native());
  }
}
