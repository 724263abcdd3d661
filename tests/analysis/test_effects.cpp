// What each instruction reads and writes.
#include <catch2/catch.hpp>

#include "analysis/effects.h"
#include "analysis/run_effects.h"
#include "support.h"

using namespace dfopt;
using analysis::Access;
using analysis::Effects;
using analysis::Reason;
using analysis::Resource;
using dfopt::testing::parseValid;

namespace {

bool hasAccess(const Effects& effects, Resource::Kind kind, std::string_view name, bool write) {
  for (const Access& access : effects.accesses) {
    if (access.resource.kind == kind && access.resource.name == name && access.write == write) return true;
  }
  return false;
}

bool writes(const Effects& effects, std::string_view path) {
  return hasAccess(effects, Resource::Kind::Path, path, true);
}
bool reads(const Effects& effects, std::string_view path) {
  return hasAccess(effects, Resource::Kind::Path, path, false);
}

std::vector<Effects> effectsOf(const std::string& text) { return analysis::analyzeEffects(parseValid(text)); }

}  // namespace

TEST_CASE("COPY and ADD read context sources and write their destination", "[analysis][effects]") {
  auto effects = effectsOf(
      "FROM python:3.12 AS build\nWORKDIR /app\nCOPY requirements.txt ./\nCOPY . .\nADD https://x/y.tgz "
      "/opt/\n"
      "COPY --from=build /app/dist /srv\nCOPY ./src/*.py lib/\n");
  CHECK(effects[2].contextSources == std::vector<std::string>{"requirements.txt"});
  CHECK(writes(effects[2], "/app"));
  CHECK(effects[3].contextSources == std::vector<std::string>{"."});
  CHECK(effects[3].layer);
  CHECK(effects[4].contextSources.empty());  // a URL is not the context
  CHECK(writes(effects[4], "/opt"));
  CHECK(effects[5].contextSources.empty());
  CHECK(effects[5].stagesUsed == std::vector<size_t>{0});
  CHECK(effects[6].contextSources == std::vector<std::string>{"src/*.py"});
  CHECK(writes(effects[6], "/app/lib"));
}

TEST_CASE("WORKDIR, USER, ENV, ARG and SHELL change build state", "[analysis][effects]") {
  auto effects = effectsOf(
      "ARG BASE=alpine\nFROM $BASE\nARG DIR=/srv\nWORKDIR $DIR\nENV A=1 B=2\nUSER app\n"
      "SHELL [\"/bin/bash\", \"-c\"]\nEXPOSE 80\nCMD [\"run\"]\n");
  CHECK_FALSE(effects[0].stage);
  CHECK(hasAccess(effects[1], Resource::Kind::Variable, "BASE", false));
  CHECK_FALSE(effects[1].step);
  CHECK(hasAccess(effects[2], Resource::Kind::Variable, "DIR", true));
  CHECK(effects[3].workdir == "/srv");
  CHECK(hasAccess(effects[3], Resource::Kind::Workdir, "", true));
  CHECK(hasAccess(effects[3], Resource::Kind::Variable, "DIR", false));
  CHECK(hasAccess(effects[4], Resource::Kind::Variable, "A", true));
  CHECK(hasAccess(effects[4], Resource::Kind::Variable, "B", true));
  CHECK(hasAccess(effects[5], Resource::Kind::User, "", true));
  CHECK(hasAccess(effects[6], Resource::Kind::Shell, "", true));
  CHECK(effects[7].step);
  CHECK_FALSE(effects[7].layer);
  CHECK(effects[7].accesses.empty());
}

TEST_CASE("a stage built FROM another inherits its working directory", "[analysis][effects]") {
  auto effects = effectsOf("FROM node:20 AS base\nWORKDIR /app\nFROM base\nRUN npm ci\n");
  CHECK(effects[2].stagesUsed == std::vector<size_t>{0});
  CHECK(effects[3].workdir == "/app");
  CHECK(writes(effects[3], "/app/node_modules"));
}

TEST_CASE("package installs read their manifests and write where they install", "[analysis][effects]") {
  auto effects = effectsOf(
      "FROM python:3.12\nWORKDIR /app\nRUN pip install --no-cache-dir -r requirements.txt\n"
      "RUN pip install poetry==1.8.3\nRUN poetry config virtualenvs.create false\nRUN poetry install "
      "--no-root\n"
      "RUN npm ci\nRUN go mod download\nRUN go mod tidy\nRUN go build -o /bin/app .\n");
  CHECK(reads(effects[2], "/app/requirements.txt"));
  CHECK(writes(effects[2], "/usr/local"));
  CHECK(effects[2].installsDependencies);
  CHECK_FALSE(effects[3].installsDependencies);
  CHECK(writes(effects[3], "/usr/local"));
  CHECK_FALSE(reads(effects[3], "/app"));
  CHECK(writes(effects[4], "/root/.config/pypoetry"));
  CHECK(reads(effects[5], "/app/poetry.lock"));
  CHECK(reads(effects[5], "/root/.config/pypoetry"));
  CHECK_FALSE(reads(effects[5], "/app"));  // --no-root: not the project itself
  CHECK(effects[5].installsDependencies);
  CHECK(reads(effects[6], "/app/package-lock.json"));
  CHECK(writes(effects[6], "/app/node_modules"));
  CHECK(reads(effects[7], "/app/go.mod"));
  CHECK(writes(effects[7], "/go/pkg/mod"));
  CHECK(reads(effects[8], "/app"));
  CHECK(writes(effects[8], "/app/go.mod"));
  CHECK_FALSE(writes(effects[8], "/app"));
  CHECK(writes(effects[9], "/app"));
}

TEST_CASE("file commands touch what they name; unknown commands anything", "[analysis][effects]") {
  auto effects = effectsOf(
      "FROM debian\nWORKDIR /app\nRUN mkdir -p /data && chown app /data\nRUN cd sub && ./build.sh > out.log\n"
      "RUN apt-get update && apt-get install -y curl\nRUN if true; then echo; fi\n"
      "RUN --mount=type=bind,source=vendor,target=/v --mount=type=cache,target=/root/.cache true\n");
  CHECK(writes(effects[2], "/data"));
  CHECK_FALSE(effects[2].unknownCommand);
  CHECK(effects[3].unknownCommand);
  CHECK(writes(effects[3], "/app/sub"));
  CHECK(writes(effects[3], "/app/sub/out.log"));
  CHECK(reads(effects[3], "/"));
  CHECK(writes(effects[4], "/usr"));
  CHECK_FALSE(effects[4].unknownCommand);
  CHECK(effects[5].unknownCommand);  // a compound command
  CHECK(effects[6].contextSources == std::vector<std::string>{"vendor"});
}

TEST_CASE("accesses conflict when they share state and one writes", "[analysis][effects]") {
  Access writeApp{Resource::path("/app"), true, {}, ""};
  Access readLock{Resource::path("/app/poetry.lock"), false, {}, ""};
  Access readImage{Resource::path("/"), false, {"/app"}, ""};
  Access writeLocal{Resource::path("/usr/local"), true, {}, ""};
  CHECK(analysis::conflicts(writeApp, readLock));
  CHECK_FALSE(analysis::conflicts(writeApp, readImage));  // the working directory is left out
  CHECK(analysis::conflicts(writeLocal, readImage));
  CHECK_FALSE(analysis::conflicts(readLock, readImage));
  Access env{Resource::variable("PATH"), true, {}, ""};
  Access all{Resource::state(Resource::Kind::AllVariables), false, {}, ""};
  Access other{Resource::variable("HOME"), false, {}, ""};
  CHECK(analysis::conflicts(env, all));
  CHECK_FALSE(analysis::conflicts(env, other));
}

TEST_CASE("pip and Poetry install into the virtualenv VIRTUAL_ENV names", "[analysis][effects]") {
  auto effects = effectsOf(
      "FROM python:3.12\nWORKDIR /app\n"
      "RUN python -m venv /opt/venv && VIRTUAL_ENV=/opt/venv poetry install --only main --no-root\n"
      "RUN poetry install\nENV VIRTUAL_ENV=/venv\nRUN pip install -r requirements.txt\n"
      "RUN VIRTUAL_ENV=$HOME/env pip install flask\n");
  CHECK(writes(effects[2], "/opt/venv"));
  CHECK_FALSE(writes(effects[2], "/usr/local"));
  CHECK(writes(effects[3], "/usr/local"));  // the assignment held for its own command only
  CHECK_FALSE(writes(effects[3], "/opt/venv"));
  CHECK(writes(effects[5], "/venv"));
  CHECK_FALSE(writes(effects[5], "/usr/local"));
  CHECK(writes(effects[6], "/"));  // $HOME has no known value here: anywhere
}

TEST_CASE("Poetry with POETRY_VIRTUALENVS_IN_PROJECT writes only the project's .venv",
          "[analysis][effects]") {
  auto effects = effectsOf(
      "FROM my-poetry:devel\nENV POETRY_VIRTUALENVS_IN_PROJECT=true\nWORKDIR /app\nRUN poetry install "
      "--no-root\n"
      "ENV POETRY_VIRTUALENVS_CREATE=false\nRUN poetry install --no-root\n");
  CHECK(writes(effects[3], "/app/.venv"));
  CHECK_FALSE(writes(effects[3], "/usr/local"));
  CHECK(writes(effects[5], "/usr/local"));  // virtualenvs switched off: the system environment
}

TEST_CASE("the effects are computed once per model, and afresh for a copy", "[analysis]") {
  model::Dockerfile file =
      parseValid("FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n");
  const std::vector<Effects>& first = analysis::analyzeEffects(file);
  CHECK(&analysis::analyzeEffects(file) == &first);
  model::Dockerfile copy = file;
  copy.instructions.pop_back();
  const std::vector<Effects>& ofCopy = analysis::analyzeEffects(copy);
  CHECK(&ofCopy != &first);
  CHECK(ofCopy.size() == copy.instructions.size());
  CHECK(first.size() == file.instructions.size());
}

TEST_CASE("a WORKDIR past PATH_MAX is unknown, not kept", "[analysis][effects]") {
  std::string text = "FROM alpine\nWORKDIR /w\n";
  for (int i = 0; i < 2100; ++i) text += "WORKDIR a\n";  // "/w" and 2,100 times "/a": 4,202 bytes
  text += "RUN touch f\n";
  std::vector<Effects> effects = effectsOf(text);
  REQUIRE(effects.size() == 2103);
  REQUIRE(effects[2048].workdir);  // "/w" and 2,047 times "/a": 4,096 bytes
  CHECK(effects[2048].workdir->size() == 4096);
  CHECK_FALSE(effects[2049].workdir);
  CHECK_FALSE(effects.back().workdir);
  CHECK(hasAccess(effects.back(), Resource::Kind::Path, "/", true));  // the RUN may write anywhere
}

TEST_CASE("an access's reason is a literal or a formatted text that copies share", "[analysis]") {
  Reason literal = "RUN runs in the WORKDIR";
  CHECK(literal.text() == "RUN runs in the WORKDIR");
  std::string formatted = "pip installs what " + std::string(40, 'r') + ".txt lists";
  Reason owned = formatted;
  Reason copy = owned;
  CHECK(copy.text() == formatted);
  CHECK(copy.text().data() == owned.text().data());
  CHECK(Reason().text().empty());
}

TEST_CASE("a RUN's reads of the build state are shared, in their place among its accesses", "[analysis]") {
  analysis::AccessList list;
  list.push_back(Access(Resource::variable("A"), false, {}, "uses $A"));
  list.addRunStateReads();
  list.push_back(Access(Resource::path("/app"), true, {}, "writes /app"));
  REQUIRE(list.size() == 6);
  std::vector<std::string_view> reasons;
  for (const Access& access : list) reasons.push_back(access.why.text());
  CHECK(reasons == std::vector<std::string_view>{"uses $A", "RUN runs in the WORKDIR", "RUN runs as the USER",
                                                 "RUN runs in the SHELL", "RUN sees every variable",
                                                 "writes /app"});
  CHECK(list[2].resource.kind == Resource::Kind::User);
  CHECK_FALSE(list[4].write);
  CHECK(list[5].resource.name == "/app");
  // every RUN shares the same four
  analysis::AccessList other;
  other.addRunStateReads();
  CHECK(&other[0] == &list[1]);
  CHECK(analysis::AccessList().empty());
}

TEST_CASE("a RUN's command accesses are shared, after the build state reads and before later ones",
          "[analysis]") {
  auto commands = std::make_shared<const std::vector<Access>>(std::vector<Access>{
      Access(Resource::path("/app/requirements.txt"), false, {}, "pip reads requirements.txt"),
      Access(Resource::path("/usr/local"), true, {}, "pip installs into the Python environment")});
  analysis::AccessList list;
  list.push_back(Access(Resource::variable("A"), false, {}, "uses $A"));
  list.addRunStateReads();
  list.addShared(commands);
  list.push_back(Access(Resource::path("/"), true, {}, "the WORKDIR is not known"));
  REQUIRE(list.size() == 8);
  std::vector<std::string_view> reasons;
  for (const Access& access : list) reasons.push_back(access.why.text());
  CHECK(reasons == std::vector<std::string_view>{
                       "uses $A", "RUN runs in the WORKDIR", "RUN runs as the USER", "RUN runs in the SHELL",
                       "RUN sees every variable", "pip reads requirements.txt",
                       "pip installs into the Python environment", "the WORKDIR is not known"});
  CHECK(&list[5] == &(*commands)[0]);  // not copied
  analysis::AccessList alone;
  alone.addShared(commands);
  REQUIRE(alone.size() == 2);
  CHECK(&alone[1] == &(*commands)[1]);
}

TEST_CASE("a RUN's effects are shared only with a RUN of the same script, directories and variables",
          "[analysis]") {
  const std::string script = "pip install -r $REQS && cd sub && poetry install";
  model::Variables variables{{"REQS", "requirements.txt"}, {"UNSET", std::nullopt}};
  auto first = analysis::runEffects(script, "/app", "/root", variables);
  CHECK(analysis::runEffects(script, "/app", "/root", variables) == first);
  auto paths = [](const analysis::RunEffects& run) {
    std::vector<std::string> named;
    for (const Access& access : run.accesses)
      named.push_back(access.resource.name + (access.write ? " w" : " r"));
    return named;
  };
  // each input on its own gives effects of its own, equal to what they would be afresh
  model::Variables otherValue = variables;
  otherValue["REQS"] = "dev.txt";
  model::Variables unknownValue = variables;
  unknownValue["REQS"] = std::nullopt;
  model::Variables virtualenv = variables;
  virtualenv["VIRTUAL_ENV"] = "/venv";
  model::Variables inProject = variables;
  inProject["POETRY_VIRTUALENVS_IN_PROJECT"] = "true";
  struct Case {
    std::string script, workdir, home;
    model::Variables variables;
    std::string expectedPath;
  } cases[] = {
      {"pip install -r $REQS && cd other && poetry install", "/app", "/root", variables,
       "/app/other/pyproject.toml r"},
      {script, "/srv", "/root", variables, "/srv/requirements.txt r"},
      {script, "/app", "/home/app", variables, "/home/app/.cache/pypoetry w"},
      {script, "/app", "/root", otherValue, "/app/dev.txt r"},
      {script, "/app", "/root", unknownValue, "/ r"},
      {script, "/app", "/root", virtualenv, "/venv w"},
      {script, "/app", "/root", inProject, "/app/sub/.venv w"},
  };
  for (const Case& c : cases) {
    auto shared = analysis::runEffects(c.script, c.workdir, c.home, c.variables);
    CHECK(shared != first);
    CHECK(paths(*shared) != paths(*first));
    CHECK_THAT(paths(*shared), Catch::VectorContains(c.expectedPath));
    CHECK(analysis::runEffects(c.script, c.workdir, c.home, c.variables) == shared);
  }
}
