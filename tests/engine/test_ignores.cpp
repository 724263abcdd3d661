// Inline ignores: every form of the pragma, and which instruction each
// one belongs to.
#include <catch2/catch.hpp>

#include "engine/ignores.h"
#include "model/parse.h"

using namespace dfopt;
using engine::IgnoreScope;
using engine::parsePragma;

TEST_CASE("a comment not addressed to dfopt is no pragma", "[ignores]") {
  CHECK_FALSE(parsePragma("install the app"));
  CHECK_FALSE(parsePragma("hadolint ignore=DL3008"));
  CHECK_FALSE(parsePragma("syntax=docker/dockerfile:1"));
  CHECK_FALSE(parsePragma("see dfopt: ignore[non-root]"));  // not at the start
  CHECK_FALSE(parsePragma("dfop"));
  CHECK_FALSE(parsePragma(""));
  CHECK(parsePragma("dfopt:"));  // addressed to dfopt, and wrong: a pragma with its error
  CHECK_FALSE(parsePragma("dfopt:")->error.empty());
}

TEST_CASE("an ignore names transforms, separated by commas, with a reason", "[ignores]") {
  auto pragma = parsePragma("dfopt: ignore[non-root] -- the entrypoint drops privileges itself");
  REQUIRE(pragma);
  CHECK(pragma->error.empty());
  CHECK(pragma->scope == IgnoreScope::Instruction);
  CHECK(pragma->names == std::vector<std::string>{"non-root"});
  CHECK(pragma->reason == "the entrypoint drops privileges itself");

  auto several = parsePragma("dfopt: ignore[exec-form, non-root ,cache-hygiene] -- shell needed");
  REQUIRE(several);
  CHECK(several->names == std::vector<std::string>{"exec-form", "non-root", "cache-hygiene"});
  CHECK(several->covers("non-root"));
  CHECK_FALSE(several->covers("multi-stage"));
}

TEST_CASE("an ignore with no brackets covers every transform", "[ignores]") {
  auto pragma = parsePragma("dfopt: ignore -- generated file");
  REQUIRE(pragma);
  CHECK(pragma->error.empty());
  CHECK(pragma->names.empty());
  CHECK(pragma->covers("multi-stage"));
  CHECK(pragma->covers("base-tag"));
  CHECK(pragma->reason == "generated file");
}

TEST_CASE("ignore-file is the file-wide form", "[ignores]") {
  auto pragma = parsePragma("dfopt: ignore-file[multi-stage] -- the devtools ship on purpose");
  REQUIRE(pragma);
  CHECK(pragma->scope == IgnoreScope::File);
  CHECK(pragma->names == std::vector<std::string>{"multi-stage"});
  auto all = parsePragma("dfopt: ignore-file -- vendored");
  REQUIRE(all);
  CHECK(all->scope == IgnoreScope::File);
  CHECK(all->names.empty());
}

TEST_CASE("an ignore without a reason parses with an empty reason", "[ignores]") {
  for (std::string_view text :
       {"dfopt: ignore[non-root]", "dfopt: ignore[non-root] --", "dfopt: ignore --  ", "dfopt: ignore"}) {
    auto pragma = parsePragma(text);
    REQUIRE(pragma);
    CHECK(pragma->error.empty());
    CHECK(pragma->reason.empty());
  }
}

TEST_CASE("pragmas accept any spacing and case", "[ignores]") {
  for (std::string_view text : {"dfopt:ignore[non-root]--why", "DFOPT: IGNORE[Non-Root] -- why",
                                "dfopt :  ignore [ non-root ]  --  why", "Dfopt: Ignore[NON-ROOT] --why"}) {
    auto pragma = parsePragma(text);
    REQUIRE(pragma);
    CHECK(pragma->error.empty());
    CHECK(pragma->names == std::vector<std::string>{"non-root"});
    CHECK(pragma->reason == "why");
  }
  auto file = parsePragma("DFOPT: Ignore-File -- why");
  REQUIRE(file);
  CHECK(file->scope == IgnoreScope::File);
}

TEST_CASE("a comment addressed to dfopt that is no ignore is an error", "[ignores]") {
  for (std::string_view text :
       {"dfopt: ignroe[non-root] -- x", "dfopt: ignore non-root", "dfopt: ignore[] -- x",
        "dfopt: ignore[a,,b] -- x", "dfopt: ignore[non-root -- x", "dfopt:", "dfopt: ignore[non-root] - x",
        "dfopt: ignore-files[x] -- y"}) {
    auto pragma = parsePragma(text);
    REQUIRE(pragma);
    INFO(text);
    CHECK_FALSE(pragma->error.empty());
    CHECK_FALSE(pragma->covers("non-root"));
  }
}

namespace {

std::vector<engine::Ignore> ignoresOf(std::string text) {
  model::ParseOutcome parsed = model::parseDockerfile(std::move(text));
  REQUIRE(parsed.dockerfile);
  return engine::readIgnores(*parsed.dockerfile);
}

}  // namespace

TEST_CASE("an ignore belongs to the instruction its comment block sits on", "[ignores]") {
  auto ignores = ignoresOf(
      "FROM a\n"
      "# dfopt: ignore[exec-form] -- shell needed\n"
      "# the app\n"
      "CMD run app\n");
  REQUIRE(ignores.size() == 1);
  REQUIRE(ignores[0].instruction);
  CHECK(*ignores[0].instruction == 1);
  CHECK(ignores[0].silences("exec-form", 1));
  CHECK_FALSE(ignores[0].silences("exec-form", 0));
  CHECK_FALSE(ignores[0].silences("non-root", 1));
}

TEST_CASE("an ignore followed by a blank line belongs to no instruction", "[ignores]") {
  auto ignores = ignoresOf(
      "FROM a\n"
      "# dfopt: ignore[exec-form] -- shell needed\n"
      "\n"
      "CMD run app\n"
      "# dfopt: ignore -- at the end\n");
  REQUIRE(ignores.size() == 2);
  CHECK_FALSE(ignores[0].instruction);
  CHECK_FALSE(ignores[1].instruction);
  CHECK_FALSE(ignores[0].silences("exec-form", 1));
}

TEST_CASE("an ignore inside a continuation belongs to the instruction around it", "[ignores]") {
  auto ignores = ignoresOf(
      "FROM a\n"
      "RUN apt-get update \\\n"
      "    # dfopt: ignore[cache-hygiene] -- the lists are needed later\n"
      "    && apt-get install -y curl\n");
  REQUIRE(ignores.size() == 1);
  REQUIRE(ignores[0].instruction);
  CHECK(*ignores[0].instruction == 1);
}

TEST_CASE("ignores in a file whose escape is a backtick", "[ignores]") {
  auto ignores = ignoresOf(
      "# escape=`\n"
      "FROM a\n"
      "# dfopt: ignore[exec-form] -- PowerShell\n"
      "RUN Write-Host a `\n"
      "  # dfopt: ignore[cache-hygiene] -- inside\n"
      "  b\n");
  REQUIRE(ignores.size() == 2);
  CHECK(*ignores[0].instruction == 1);
  CHECK(*ignores[1].instruction == 1);
  CHECK(ignores[1].pragma.reason == "inside");
}

TEST_CASE("ignores in a CRLF file keep no carriage return", "[ignores]") {
  auto ignores = ignoresOf("FROM a\r\n# dfopt: ignore[non-root] -- why\r\nUSER root\r\n");
  REQUIRE(ignores.size() == 1);
  CHECK(ignores[0].pragma.reason == "why");
  CHECK(*ignores[0].instruction == 1);
}

TEST_CASE("ignore-file silences the whole file wherever it is", "[ignores]") {
  auto ignores = ignoresOf(
      "FROM a\n"
      "# dfopt: ignore-file[multi-stage] -- devtools on purpose\n"
      "RUN b\n");
  REQUIRE(ignores.size() == 1);
  CHECK_FALSE(ignores[0].instruction);
  CHECK(ignores[0].silences("multi-stage", 0));
  CHECK(ignores[0].silences("multi-stage", std::nullopt));
  CHECK_FALSE(ignores[0].silences("non-root", 0));
}
