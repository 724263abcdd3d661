// non-root on a base image it does not know: the tools that create the user
// come from the package manager the stage's RUNs call, by name or by path
// (found by the pipeline fuzz target under AddressSanitizer: the command's
// base name pointed into a destroyed temporary).
#include <catch2/catch.hpp>

#include "support.h"

using dfopt::testing::runTransform;

TEST_CASE("non-root: an unknown base's package manager, named by path, picks the user tools",
          "[transforms][non-root]") {
  auto apk = runTransform("non-root",
                          "FROM registry.example.com/team/base:1.0\nRUN /sbin/apk add --no-cache curl\n"
                          "CMD [\"./run\"]\n",
                          {});
  CHECK_THAT(apk.messages, Catch::Contains("Alpine (apk) image's BusyBox addgroup/adduser"));
  CHECK_THAT(apk.after, Catch::Contains("adduser -S -D -u 10000 -G appuser appuser"));
  auto apt =
      runTransform("non-root",
                   "FROM registry.example.com/team/base:1.0\n"
                   "RUN /usr/bin/apt-get update && /usr/bin/apt-get install -y curl\nCMD [\"./run\"]\n",
                   {});
  CHECK_THAT(apt.messages, Catch::Contains("Debian (apt-get)"));
  CHECK_THAT(apt.after, Catch::Contains("useradd"));
}

// Found by the pipeline fuzz target on BuildKit's testfile whose last line
// is a continuation: the USER appended after it joined the ENV, and the
// whole run failed as the output did not parse.
TEST_CASE("non-root: a file that ends in a line continuation takes no line after it",
          "[transforms][non-root]") {
  auto run = runTransform("non-root", "FROM debian:12\nENV a=b \\\n", {});
  CHECK(run.after == "FROM debian:12\nENV a=b \\\n");
  CHECK_THAT(run.messages, Catch::Contains("ends in a line continuation"));
}
