// The text helpers every room uses.
#include <catch2/catch.hpp>

#include <string>

#include "util/text.h"

TEST_CASE("lower and upper change ASCII letters only", "[util][text]") {
  CHECK(dfopt::text::lower("FROM Python:3.12-Slim AS Build") == "from python:3.12-slim as build");
  CHECK(dfopt::text::upper("run apt-get @[`{~") == "RUN APT-GET @[`{~");
  // every other byte, UTF-8 included, stays as it is
  const std::string other = "\xC3\x89t\xC3\xA9 \xFF\x80 0-9_\t";
  CHECK(dfopt::text::lower(other) == other);
  CHECK(dfopt::text::upper("\xC3\xA9") == "\xC3\xA9");
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  std::string lowered = dfopt::text::lower(all);
  for (int c = 0; c < 256; ++c) {
    CAPTURE(c);
    CHECK(lowered[c] == static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  }
}
