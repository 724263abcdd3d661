// BuildKit's checks about variables, platforms, working directories and
// ignored files (transforms/buildkit), each decided as BuildKit decides it,
// and left alone where dfopt cannot know what BuildKit knows (the base
// image's environment and working directory).
#include <catch2/catch.hpp>

#include "support.h"
#include "transforms/buildkit/platform.h"
#include "transforms/buildkit/scope.h"
#include "util/text.h"

using namespace dfopt;
using dfopt::testing::runTransform;

namespace {

std::string messages(const std::string& dockerfile, std::map<std::string, std::string> files = {}) {
  return runTransform("buildkit", dockerfile, std::move(files)).messages;
}

}  // namespace

TEST_CASE("UndefinedVar: a global ARG a scratch stage does not redeclare is undefined there",
          "[buildkit-checks]") {
  std::string found = messages("ARG BIN=app\nFROM scratch\nCOPY ${BIN} /bin/\n");
  CHECK(text::contains(found, "UndefinedVar: Usage of undefined variable '$BIN'"));
  CHECK(messages("ARG BIN=app\nFROM scratch\nARG BIN\nCOPY ${BIN} /bin/\n").empty());
}

TEST_CASE("UndefinedVar: an ARG without a value is declared, not undefined", "[buildkit-checks]") {
  CHECK(messages("FROM scratch\nARG VERSION\nLABEL version=$VERSION\n").empty());
}

TEST_CASE("UndefinedVar: a stage on an image is not judged, the image may set the variable",
          "[buildkit-checks]") {
  CHECK(messages("FROM eclipse-temurin:21\nENV PATH=$JAVA_HOME/bin:$PATH\nWORKDIR $HOME\n").empty());
  CHECK(messages("FROM eclipse-temurin:21 AS base\nFROM base\nCOPY a $JAVA_HOME/lib/\n").empty());
}

TEST_CASE("UndefinedVar: PATH is always set, and a typo gets BuildKit's suggestion", "[buildkit-checks]") {
  std::string found = messages("FROM scratch\nENV APP_HOME=/app PATH=$PATH:/app\nCOPY a $APP_HOM/\n");
  CHECK(found == "warning: UndefinedVar: Usage of undefined variable '$APP_HOM' (did you mean $APP_HOME?)\n");
}

TEST_CASE("UndefinedVar: a stage built on a scratch stage inherits its variables", "[buildkit-checks]") {
  CHECK(messages("FROM scratch AS base\nENV DIR=/x\nFROM base\nWORKDIR $DIR\n").empty());
  CHECK(text::contains(messages("FROM scratch AS base\nFROM base\nWORKDIR /$DIR\n"), "'$DIR'"));
}

TEST_CASE("UndefinedVar: RUN bodies are the shell's, only --mount is expanded", "[buildkit-checks]") {
  CHECK(messages("FROM scratch\nRUN echo $HOME\n").empty());
  CHECK(text::contains(messages("FROM scratch\nRUN --mount=type=cache,target=$CACHE true\n"), "'$CACHE'"));
}

TEST_CASE("UndefinedArgInFrom: predefined platform ARGs need no declaration", "[buildkit-checks]") {
  CHECK(messages("FROM --platform=$BUILDPLATFORM alpine:3.19\n").empty());
  CHECK(messages("FROM alpine:${TAG:-3.19}\n") ==
        "warning: UndefinedArgInFrom: FROM argument 'TAG' is not declared\n");
  CHECK(text::contains(messages("ARG VERSION=1\nFROM app:${VERSON}\n"), "(did you mean VERSION?)"));
}

TEST_CASE("RedundantTargetPlatform: the flag and its blank go, the rest stays", "[buildkit-checks]") {
  auto run = runTransform("buildkit", "FROM  --platform=$TARGETPLATFORM  alpine:3.19 AS base\n", {});
  CHECK(run.after == "FROM  alpine:3.19 AS base\n");
  auto both = runTransform("buildkit", "FROM --platform=$TARGETPLATFORM/x alpine\n", {});
  CHECK(both.messages.find("RedundantTargetPlatform") == std::string::npos);
}

TEST_CASE("FromPlatformFlagConstDisallowed: a stage named after the platform is exempt",
          "[buildkit-checks]") {
  CHECK(messages("FROM --platform=linux/arm64 alpine AS build-arm64\n").empty());
  CHECK(messages("FROM --platform=linux/aarch64 alpine AS build-arm64\n").empty());
  CHECK(messages("FROM --platform=linux/amd64 alpine AS build\n") ==
        "warning: FromPlatformFlagConstDisallowed: FROM --platform flag should not use constant value "
        "\"linux/amd64\"\n");
  CHECK(messages("ARG P=linux/amd64\nFROM --platform=$P alpine\n").empty());
}

TEST_CASE("InvalidDefaultArgInFrom: only a default that makes a bad reference", "[buildkit-checks]") {
  CHECK(
      text::contains(messages("ARG IMAGE\nFROM $IMAGE\n"), "Default value for ARG $IMAGE results in empty"));
  CHECK(text::contains(messages("ARG IMAGE=Alpine\nFROM $IMAGE\n"), "InvalidDefaultArgInFrom"));
  CHECK(messages("ARG IMAGE=alpine:3.19\nFROM $IMAGE\n").empty());
  CHECK(text::contains(messages("FROM REPLACE-ME\n"), "(it uses no ARG: invalid as written)"));
  CHECK(messages("ARG REGISTRY=Registry.Example.com:5000\nFROM $REGISTRY/team/app:V1\n").empty());
}

TEST_CASE("InvalidDefaultArgInFrom: digests, long paths and long tags", "[buildkit-checks]") {
  auto finds = [](const std::string& image) {
    return text::contains(messages("ARG IMAGE=" + image + "\nFROM $IMAGE\n"), "InvalidDefaultArgInFrom");
  };
  CHECK_FALSE(finds("alpine@sha256:" + std::string(64, 'a')));
  CHECK(finds("alpine@sha256:" + std::string(40, 'a')));  // the pattern takes it, the digest's length not
  CHECK_FALSE(finds("team/" + std::string(200, 'a') + ":1"));
  CHECK(finds("team/" + std::string(260, 'a')));    // a path over 255 bytes
  CHECK(finds("alpine:" + std::string(129, 'x')));  // a tag over 128 bytes
  CHECK_FALSE(finds("alpine:" + std::string(128, 'x')));
}

TEST_CASE("WorkdirRelativePath: only the first WORKDIR of a stage's chain", "[buildkit-checks]") {
  CHECK(messages("FROM alpine\nWORKDIR /app\nWORKDIR src\n").empty());
  CHECK(messages("FROM alpine AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n").empty());
  auto run = runTransform("buildkit", "FROM scratch\nWORKDIR app/\nWORKDIR src\n", {});
  CHECK(run.after == "FROM scratch\nWORKDIR /app/\nWORKDIR src\n");
  CHECK(
      messages("FROM alpine\nWORKDIR app\n") ==
      "warning: WorkdirRelativePath: Relative workdir \"app\" can have unexpected results if the base image "
      "changes; not fixed: the base image's WORKDIR decides where it lands\n");
}

TEST_CASE("WorkdirRelativePath: a later stage's first WORKDIR sees the scope of the stages before",
          "[buildkit-checks]") {
  // The walk of the scopes stops at the last first WORKDIR, here in the third stage.
  auto run = runTransform("buildkit",
                          "FROM scratch AS base\nENV DIR=srv\nWORKDIR /$DIR\n"
                          "FROM alpine\nWORKDIR /opt\n"
                          "FROM base\nWORKDIR a\nFROM scratch\nWORKDIR b\nRUN true\n",
                          {});
  CHECK(run.after ==
        "FROM scratch AS base\nENV DIR=srv\nWORKDIR /$DIR\nFROM alpine\nWORKDIR /opt\n"
        "FROM base\nWORKDIR a\nFROM scratch\nWORKDIR /b\nRUN true\n");
}

TEST_CASE("forEachScope stops after the instruction it is asked to reach", "[buildkit-checks]") {
  auto file = testing::parseValid("FROM scratch\nENV A=1\nRUN a\nFROM alpine\nRUN b\nRUN c\n");
  auto global = transforms::buildkit::globalScope(file);
  std::vector<size_t> visited;
  transforms::buildkit::forEachScope(
      file, global, [&](size_t i, const transforms::buildkit::StageScope&) { visited.push_back(i); }, 4);
  CHECK(visited == std::vector<size_t>{1, 2, 4});
  visited.clear();
  transforms::buildkit::forEachScope(
      file, global, [&](size_t i, const transforms::buildkit::StageScope&) { visited.push_back(i); });
  CHECK(visited == std::vector<size_t>{1, 2, 4, 5});
}

TEST_CASE("CopyIgnoredFile: decided as BuildKit decides, silent where it gives up", "[buildkit-checks]") {
  std::string dockerfile = "FROM alpine\nCOPY conf/app.ini /etc/\nCOPY . /src\n";
  CHECK(messages(dockerfile, {{".dockerignore", "conf\n"}}) ==
        "warning: CopyIgnoredFile: Attempting to Copy file \"conf/app.ini\" that is excluded by "
        ".dockerignore\n");
  CHECK(messages(dockerfile, {{".dockerignore", "conf\n!conf/app.ini\n"}}).empty());
  CHECK(text::contains(messages(dockerfile, {{".dockerignore", "*\n"}}), "\".\""));
  CHECK(
      messages("FROM alpine\nCOPY --from=build conf/app.ini /etc/\n", {{".dockerignore", "conf\n"}}).empty());
}

TEST_CASE("platforms: containerd's normalisation", "[buildkit-checks]") {
  using transforms::buildkit::parsePlatform;
  CHECK(parsePlatform("linux/x86_64")->architecture == "amd64");
  CHECK(parsePlatform("arm64")->os == "linux");
  CHECK(parsePlatform("windows")->architecture == "amd64");
  CHECK(parsePlatform("linux/arm/v7")->variant == "v7");
  CHECK_FALSE(parsePlatform("nonsense"));
  CHECK_FALSE(parsePlatform("linux/*"));
}

TEST_CASE("suggestions: within two edits, none for an exact name", "[buildkit-checks]") {
  using transforms::buildkit::suggestName;
  CHECK(suggestName("NODE_VERION", {"PATH", "NODE_VERSION"}) == "NODE_VERSION");
  CHECK(suggestName("FOO", {"BARBAZ"}).empty());
  CHECK(suggestName("PATH", {"PATH", "PAT"}).empty());
}
