// The cache-hygiene transform: the corners too small for a golden case each
// (stages built on a cleaned one, layouts of a RUN, users, Yarn versions).
// runTransform checks that a second run changes nothing.
#include <catch2/catch.hpp>

#include "support.h"
#include "transforms/cache_hygiene/hygiene.h"

using dfopt::testing::runTransform;

namespace {

dfopt::testing::TransformRun hygiene(const std::string& dockerfile,
                                     std::map<std::string, std::string> files = {}) {
  auto run = runTransform("cache-hygiene", dockerfile, files);
  CHECK(runTransform("cache-hygiene", run.after, files).after == run.after);
  return run;
}

}  // namespace

TEST_CASE("cache-hygiene: a stage built on the cleaned one that installs from its lists keeps them",
          "[cache-hygiene]") {
  std::string input =
      "FROM debian:bookworm AS base\nRUN apt-get update && apt-get install -y --no-install-recommends "
      "python3\n"
      "FROM base AS build\nRUN apt-get install -y --no-install-recommends gcc\n"
      "FROM base\nCOPY --from=build /usr/bin/gcc /usr/bin/gcc\n";
  auto run = hygiene(input);
  CHECK(run.after == input);
  CHECK(run.messages ==
        "info: apt's package lists kept in this layer: `RUN apt-get install -y --no-install-recommends gcc` "
        "installs from them without apt-get "
        "update\n");
}

TEST_CASE("cache-hygiene: the cleanup follows the RUN's layout", "[cache-hygiene]") {
  SECTION("&& at the start of each line") {
    auto run = hygiene(
        "FROM debian:bookworm\nRUN apt-get update \\\n  && apt-get install -y --no-install-recommends \\\n"
        "       curl\n");
    CHECK(run.after ==
          "FROM debian:bookworm\nRUN apt-get update \\\n  && apt-get install -y --no-install-recommends \\\n"
          "       curl \\\n  && rm -rf /var/lib/apt/lists/*\n");
  }
  SECTION("a comment after the last command keeps the cleanup on its line") {
    auto run = hygiene(
        "FROM debian:bookworm\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl "
        " # tools\n");
    CHECK(run.after ==
          "FROM debian:bookworm\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends "
          "curl && rm "
          "-rf /var/lib/apt/lists/*  # tools\n");
  }
  SECTION("one command over several lines gets the cleanup on a line of its own") {
    auto run = hygiene("FROM node:20\nRUN npm install -g \\\n      pm2 \\\n      nodemon\n");
    CHECK(run.after ==
          "FROM node:20\nRUN npm install -g \\\n      pm2 \\\n      nodemon \\\n      && npm cache clean "
          "--force\n");
  }
}

TEST_CASE("cache-hygiene: a RUN between the update and the install that configures apt blocks the merge",
          "[cache-hygiene]") {
  std::string input =
      "FROM debian:bookworm\nRUN apt-get update\n"
      "RUN echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/b.list\n"
      "RUN apt-get install -y --no-install-recommends curl\n";
  auto run = hygiene(input);
  CHECK(run.after == input);
  CHECK(run.messages ==
        "info: RUN apt-get update kept as a layer of its own: `RUN echo 'deb http://deb.debian.org/debian "
        "book...` "
        "uses or configures apt before the install, so it cannot move into it\n");
}

TEST_CASE("cache-hygiene: a BuildKit file run as another user gets the flag, not a root-owned cache mount",
          "[cache-hygiene]") {
  auto run = hygiene(
      "# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nUSER nobody\nRUN pip install --user flask\n");
  CHECK(run.after ==
        "# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nUSER nobody\nRUN pip install --no-cache-dir "
        "--user "
        "flask\n");
}

TEST_CASE("cache-hygiene: Yarn 2 or later is left alone", "[cache-hygiene]") {
  std::string input = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install\n";
  auto berry = hygiene(input, {{"package.json", R"({"packageManager": "yarn@4.1.0"})"}, {"yarn.lock", ""}});
  CHECK(berry.after == input);
  CHECK(berry.messages ==
        "info: yarn's cache kept: package.json asks for Yarn 2 or later, and Yarn 2 or later may load the "
        "packages "
        "from its cache (Plug'n'Play)\n");
  auto classic = hygiene(input, {{"package.json", R"({"name": "app"})"}, {"yarn.lock", ""}});
  CHECK(classic.after == "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install && yarn cache clean\n");
}

TEST_CASE("cache-hygiene: apk update stays when a build stage reads its index", "[cache-hygiene]") {
  auto run = hygiene(
      "FROM alpine:3.19 AS base\nRUN apk update && apk add curl\n"
      "FROM base AS build\nRUN apk add gcc\nFROM base\nCOPY --from=build /usr/bin/gcc /usr/bin/\n");
  CHECK(run.after ==
        "FROM alpine:3.19 AS base\nRUN apk update && apk add --no-cache curl\n"
        "FROM base AS build\nRUN apk add gcc\nFROM base\nCOPY --from=build /usr/bin/gcc /usr/bin/\n");
}

TEST_CASE("cache-hygiene: a later script keeps the lists unless the context shows it updates",
          "[cache-hygiene]") {
  std::string input =
      "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
      "COPY setup.sh /setup.sh\nRUN /setup.sh\n";
  auto installs = hygiene(input, {{"setup.sh", "apt-get install -y --no-install-recommends git\n"}});
  CHECK(installs.after == input);
  CHECK(installs.messages ==
        "info: apt's package lists kept in this layer: `RUN /setup.sh` may install from them without apt-get "
        "update\n");
  auto updates =
      hygiene(input, {{"setup.sh", "apt-get update && apt-get install -y --no-install-recommends git\n"}});
  CHECK(
      updates.after ==
      "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf "
      "/var/lib/apt/lists/*\nCOPY setup.sh /setup.sh\nRUN /setup.sh\n");
}

TEST_CASE("cache-hygiene keeps of each RUN's variables those that place a cache", "[cache-hygiene]") {
  using namespace dfopt::transforms::cache_hygiene;
  dfopt::model::Dockerfile file = dfopt::testing::parseValid(
      "FROM python:3.12\nENV PIP_CACHE_DIR=/c HOME=/h OTHER=x\nRUN pip install -r r.txt\nENV HOME=/home/app\n"
      "RUN npm ci\n");
  Input input = makeInput(file, dfopt::context::BuildContext::fromFiles({}));
  REQUIRE(input.runs.size() == 2);
  CHECK(input.runs[0].variables == dfopt::model::Variables{{"HOME", "/h"}, {"PIP_CACHE_DIR", "/c"}});
  CHECK(variable(input.runs[1], "HOME") == "/home/app");
  CHECK(declares(input.runs[1], "PIP_CACHE_DIR"));
  CHECK_FALSE(declares(input.runs[1], "YARN_CACHE_FOLDER"));
  // a name it does not keep is a mistake of the caller, not "undeclared"
  CHECK_THROWS_AS(declares(input.runs[1], "OTHER"), std::logic_error);
}

TEST_CASE("cache-hygiene finds a RUN's package tool commands once", "[cache-hygiene]") {
  using namespace dfopt::transforms::cache_hygiene;
  dfopt::model::Dockerfile file = dfopt::testing::parseValid(
      "FROM debian:bookworm\nRUN sudo -E apt-get -o X=1 install -y curl && echo done && env A=1 pip install "
      "x\n");
  Input input = makeInput(file, dfopt::context::BuildContext::fromFiles({}));
  REQUIRE(input.runs.size() == 1);
  const std::vector<ToolCommand>& tools = toolCommands(input.runs[0]);
  CHECK(&toolCommands(input.runs[0]) == &tools);
  REQUIRE(tools.size() == 2);  // echo is no package tool
  CHECK(tools[0].tool == "apt-get");
  CHECK(tools[0].sub == "install");
  CHECK(tools[1].tool == "pip");
  CHECK(tools[1].command == 2);
  CHECK(tools[1].sub == "install");
}
