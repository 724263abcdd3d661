// The deps-first transform: the corners too small for a golden case each
// (comments inside a split RUN, chains, cleanups, wrappers, workspaces),
// each checked for a second run that changes nothing.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "engine/pipeline.h"
#include "model/parse.h"
#include "transforms/deps_first/install.h"
#include "transforms/transforms.h"

using dfopt::context::BuildContext;

namespace {

struct Run {
  std::string after;
  std::string messages;  // one a line, "info: ..." or "warning: ..."
};

Run depsFirst(const std::string& dockerfile, std::map<std::string, std::string> files) {
  files["Dockerfile"] = dockerfile;
  BuildContext context = BuildContext::fromFiles(std::move(files));
  dfopt::engine::Selection only;
  only.only = {"deps-first"};
  auto outcome = dfopt::engine::runPipeline(dockerfile, context, {}, dfopt::transforms::all(), only);
  REQUIRE(outcome.ok());
  auto again = dfopt::engine::runPipeline(outcome.after, context, {}, dfopt::transforms::all(), only);
  REQUIRE(again.ok());
  CHECK(again.after == outcome.after);
  Run run{outcome.after, ""};
  for (const auto& finding : outcome.findings) {
    run.messages +=
        std::string(dfopt::engine::severityName(finding.severity)) + ": " + finding.message + "\n";
  }
  return run;
}

const std::map<std::string, std::string> kPip = {{"requirements.txt", "flask\n"}, {"app.py", ""}};
const std::map<std::string, std::string> kNpm = {
    {"package.json", R"({"name": "app"})"}, {"package-lock.json", "{}"}, {"index.js", ""}};

// The labels of the installs deps-first finds in one RUN after a FROM.
std::string installLabels(const std::string& run) {
  auto parsed = dfopt::model::parseDockerfile("FROM python:3.12\n" + run + "\n");
  REQUIRE(parsed.dockerfile);
  std::string labels;
  for (const auto& install :
       dfopt::transforms::deps_first::installsOf(parsed.dockerfile->instructions[1], {}))
    labels += install.label + ";";
  return labels;
}

}  // namespace

TEST_CASE("deps-first: a comment inside a split RUN stays with the later RUN", "[deps-first]") {
  Run run = depsFirst(
      "FROM python:3.12\nWORKDIR /app\nCOPY . .\n"
      "RUN pip install -r requirements.txt && \\\n    # then the static files\n    python manage.py "
      "collectstatic\n",
      kPip);
  CHECK(run.after ==
        "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY "
        ". .\n"
        "RUN \\\n    # then the static files\n    python manage.py collectstatic\n");
}

TEST_CASE("deps-first: cd runs in both RUNs, and the rest of the chain stays", "[deps-first]") {
  Run run = depsFirst(
      "FROM python:3.12\nCOPY . /app\nRUN cd /app && pip install -r requirements.txt && python -m compileall "
      ".\n",
      kPip);
  CHECK(run.after ==
        "FROM python:3.12\nCOPY requirements.txt /app/\nRUN cd /app && pip install -r requirements.txt\n"
        "COPY . /app\nRUN cd /app && python -m compileall .\n");
}

TEST_CASE("deps-first: a cleanup right after the install moves with it", "[deps-first]") {
  Run run = depsFirst(
      "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && rm -rf "
      "/root/.cache\n",
      kPip);
  CHECK(run.after ==
        "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt ./\n"
        "RUN pip install -r requirements.txt && rm -rf /root/.cache\nCOPY . .\n");
}

TEST_CASE("deps-first: what cannot be split is left alone, with the reason", "[deps-first]") {
  std::string head = "FROM python:3.12\nWORKDIR /app\nCOPY . .\n";
  auto skipped = [&](const std::string& run, const std::string& reason) {
    Run result = depsFirst(head + run, kPip);
    CHECK(result.after == head + run);
    CHECK(result.messages.find("info: pip install kept after the source copy: " + reason) !=
          std::string::npos);
  };
  skipped("RUN pip install -r requirements.txt && python x.py && rm -rf /root/.cache\n",
          "`rm -rf /root/.cache` cleans up later in the same RUN");
  skipped("RUN pip install -r requirements.txt || true\n", "it is followed by `||`");
  skipped("RUN python setup.py egg_info && pip install -r requirements.txt\n",
          "`python setup.py egg_info` runs before it in the same RUN and may need the source");
  skipped("RUN [\"pip\", \"install\", \"-r\", \"requirements.txt\"]\n", "the RUN is in exec form");
  skipped("RUN pip install -r requirements.txt .\n", "it also installs the local path .");
  skipped("RUN pip install -r $REQUIREMENTS\n", "the requirements file $REQUIREMENTS uses a variable");
  skipped("RUN pip install -r missing.txt\n", "missing.txt is not in the build context");
}

TEST_CASE("deps-first: a here-document RUN is left alone", "[deps-first]") {
  std::string dockerfile =
      "# syntax=docker/dockerfile:1\nFROM python:3.12\nWORKDIR /app\nCOPY . .\n"
      "RUN <<EOF\npip install -r requirements.txt\nEOF\n";
  Run run = depsFirst(dockerfile, kPip);
  CHECK(run.after == dockerfile);
  CHECK(run.messages ==
        "info: pip install kept after the source copy: the RUN is a here-document, which dfopt "
        "does not split\n");
}

TEST_CASE("deps-first: manifests excluded by .dockerignore are not copied", "[deps-first]") {
  auto files = kNpm;
  files[".npmrc"] = "//registry.npmjs.org/:_authToken=secret\n";
  files[".dockerignore"] = ".npmrc\n";
  Run run = depsFirst("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n", files);
  CHECK(run.after ==
        "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n");
}

TEST_CASE("deps-first: keyword case, indentation, variables and JSON form follow the copy", "[deps-first]") {
  Run lower = depsFirst("from node:20\nworkdir /app\n  copy . .\n  run npm ci\n", kNpm);
  CHECK(lower.after ==
        "from node:20\nworkdir /app\n  copy package.json package-lock.json ./\n  run npm ci\n  copy . .\n");
  Run variable = depsFirst("FROM node:20\nENV APP=/srv/app\nWORKDIR $APP\nCOPY . $APP\nRUN npm ci\n", kNpm);
  CHECK(
      variable.after ==
      "FROM node:20\nENV APP=/srv/app\nWORKDIR $APP\nCOPY package.json package-lock.json $APP/\nRUN npm ci\n"
      "COPY . $APP\n");
  Run json = depsFirst("FROM node:20\nWORKDIR /app\nCOPY [\".\", \".\"]\nRUN npm ci\n", kNpm);
  CHECK(json.after ==
        "FROM node:20\nWORKDIR /app\nCOPY [\"package.json\", \"package-lock.json\", \"./\"]\nRUN npm ci\n"
        "COPY [\".\", \".\"]\n");
}

TEST_CASE("deps-first: an install that already leaves the project out moves whole", "[deps-first]") {
  Run run = depsFirst("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install --no-root\n",
                      {{"pyproject.toml", "[tool.poetry]\nname = \"x\"\n"}, {"poetry.lock", ""}});
  CHECK(run.after ==
        "FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install "
        "--no-root\nCOPY . .\n");
}

TEST_CASE("deps-first: a download step after the copy moves, and the build stays", "[deps-first]") {
  Run run =
      depsFirst("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /app .\n",
                {{"go.mod", "module x\n"}, {"go.sum", ""}, {"main.go", ""}});
  CHECK(run.after ==
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n"
        "RUN go build -o /app .\n");
}

TEST_CASE("deps-first: wrappers are copied with the manifests", "[deps-first]") {
  Run maven =
      depsFirst("FROM eclipse-temurin:21\nWORKDIR /app\nCOPY . .\nRUN ./mvnw -q package\n",
                {{"pom.xml", "<project/>"}, {"mvnw", ""}, {".mvn/wrapper/maven-wrapper.properties", ""}});
  CHECK(maven.after ==
        "FROM eclipse-temurin:21\nWORKDIR /app\nCOPY pom.xml mvnw ./\nCOPY .mvn ./.mvn/\n"
        "RUN ./mvnw -B -q dependency:go-offline\nCOPY . .\nRUN ./mvnw -q package\n");
}

TEST_CASE("deps-first: builds whose manifests live across the source are left alone", "[deps-first]") {
  auto reason = [](const std::string& dockerfile, std::map<std::string, std::string> files) {
    Run run = depsFirst(dockerfile, std::move(files));
    CHECK(run.after == dockerfile);
    return run.messages;
  };
  CHECK(reason("FROM maven:3\nWORKDIR /app\nCOPY . .\nRUN mvn package\n",
               {{"pom.xml", "<project><modules><module>core</module></modules></project>"}})
            .find("pom.xml is a multi-module build") != std::string::npos);
  CHECK(
      reason("FROM gradle:8\nWORKDIR /app\nCOPY . .\nRUN gradle build\n",
             {{"build.gradle", ""}, {"settings.gradle", "rootProject.name = 'app'\ninclude 'core', 'web'\n"}})
          .find("settings.gradle includes other projects") != std::string::npos);
  CHECK(reason("FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build\n",
               {{"Cargo.toml", "[package]\nname = \"x\"\n\n[workspace]\nmembers = [\"a\"]\n"},
                {"Cargo.lock", ""}})
            .find("Cargo.toml is a workspace") != std::string::npos);
  CHECK(reason("FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build\n", {{"Cargo.toml", "[package]\n"}})
            .find("there is no Cargo.lock") != std::string::npos);
  CHECK(reason("FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build .\n",
               {{"go.mod", "module x\n"}, {"vendor/modules.txt", ""}})
            .find("vendored") != std::string::npos);
  CHECK(reason("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm install\n",
               {{"package.json", "{}"},
                {"pnpm-lock.yaml", ""},
                {"pnpm-workspace.yaml", "onlyBuiltDependencies:\n  - esbuild\npackages:\n  - 'apps/*'\n"}})
            .find("pnpm-workspace.yaml declares workspace packages") != std::string::npos);
  CHECK(reason("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
               {{"package.json", R"({"workspaces": ["packages/*"]})"}, {"package-lock.json", ""}})
            .find("declares workspaces") != std::string::npos);
  CHECK(reason("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
               {{"package.json", R"({"dependencies": {"lib": "file:../lib"}})"}, {"package-lock.json", ""}})
            .find("depends on the local path file:../lib") != std::string::npos);
}

TEST_CASE("deps-first: each stage is planned on its own", "[deps-first]") {
  auto files = kNpm;
  files["requirements.txt"] = "flask\n";
  Run run = depsFirst(
      "FROM node:20 AS assets\nWORKDIR /web\nCOPY . .\nRUN npm ci && npm run build\n"
      "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
      files);
  CHECK(run.after ==
        "FROM node:20 AS assets\nWORKDIR /web\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n"
        "RUN npm run build\n"
        "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY "
        ". .\n");
}

TEST_CASE("deps-first: Yarn 2+ gets its release and plugins with the manifests", "[deps-first]") {
  Run run = depsFirst("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\n",
                      {{"package.json", R"({"packageManager": "yarn@4.2.2"})"},
                       {"yarn.lock", ""},
                       {".yarnrc.yml", "yarnPath: .yarn/releases/yarn-4.2.2.cjs\n"},
                       {".yarn/releases/yarn-4.2.2.cjs", ""},
                       {".yarn/cache/left-pad.zip", ""}});
  CHECK(run.after ==
        "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\n"
        "COPY .yarn/releases ./.yarn/releases/\nRUN yarn install --immutable\nCOPY . .\n");
}

TEST_CASE("deps-first: added flags go before a redirection", "[deps-first]") {
  Run run = depsFirst("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install >/dev/null\n",
                      {{"pyproject.toml", "[tool.poetry]\n"}});
  CHECK(run.after ==
        "FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml ./\nRUN poetry install --no-root "
        ">/dev/null\nCOPY . .\n"
        "RUN poetry install >/dev/null\n");
}

TEST_CASE("deps-first finds the installs inside compound commands", "[deps-first]") {
  CHECK(installLabels("RUN if [ -f requirements.txt ]; then pip install -r requirements.txt; fi") ==
        "pip install;");
  CHECK(installLabels("RUN if\tthen  ! npm ci || (cd web && yarn install --frozen-lockfile)") ==
        "npm ci;yarn install;");
  CHECK(installLabels("RUN <<EOF\nwhile true; do\n  pip install -r a.txt\ndone & `npm ci`\nEOF") ==
        "pip install;npm ci;");
  // a reserved word must be a word of its own: "done" is not "do"
  CHECK(installLabels("RUN for x in a; done pip install -r a.txt; do pip install -r b.txt; done") ==
        "pip install;");
  CHECK(installLabels("RUN { npm ci; }") == "npm ci;");
}

TEST_CASE("deps-first finds every package tool's install, also spelled with quotes or escapes",
          "[deps-first]") {
  // installsOf parses only the short RUNs whose text may name a package tool
  CHECK(installLabels("RUN pip3.12 install -r a.txt") == "pip install;");
  CHECK(installLabels("RUN python -m pip install -r a.txt") == "pip install;");
  CHECK(installLabels("RUN uv sync") == "uv sync;");
  CHECK(installLabels("RUN uv pip install -r a.txt") == "uv pip install;");
  CHECK(installLabels("RUN pipenv install --deploy") == "pipenv install;");
  CHECK(installLabels("RUN poetry install") == "poetry install;");
  CHECK(installLabels("RUN npm ci") == "npm ci;");
  CHECK(installLabels("RUN yarn install") == "yarn install;");
  CHECK(installLabels("RUN pnpm install") == "pnpm install;");
  CHECK(installLabels("RUN go mod download") == "go mod download;");
  CHECK(installLabels("RUN cargo fetch") == "cargo fetch;");
  CHECK(installLabels("RUN ./mvnw package") == "./mvnw package;");
  CHECK(installLabels("RUN sh gradlew build") == "sh gradlew build;");
  CHECK(installLabels("RUN bundle install") == "bundle install;");
  CHECK(installLabels("RUN composer install") == "composer install;");
  CHECK(installLabels("RUN p'ip' install -r a.txt") == "pip install;");
  CHECK(installLabels("RUN n\\pm ci") == "npm ci;");
  CHECK(installLabels("RUN \"yar\"n install") == "yarn install;");
  CHECK(installLabels("RUN echo install && make install").empty());
}

TEST_CASE("deps-first keeps a RUN's installs by its text and its form", "[deps-first]") {
  auto parsed = dfopt::model::parseDockerfile(
      "FROM python:3.12\nRUN pip install -r a.txt\nRUN [\"pip\", \"install\", \"-r\", \"a.txt\"]\n"
      "RUN <<EOF\npip install -r a.txt\nEOF\nRUN pip install -r a.txt\nRUN npm ci\nRUN [\"npm ci\"]\n");
  REQUIRE(parsed.dockerfile);
  const auto& runs = parsed.dockerfile->instructions;
  auto labels = [](const std::vector<dfopt::transforms::deps_first::Install>& installs) {
    std::string text;
    for (const auto& install : installs) text += install.label + ";";
    return text;
  };
  for (size_t i = 1; i < runs.size(); ++i)
    CHECK(labels(*dfopt::transforms::deps_first::installsOf(runs[i])) ==
          labels(dfopt::transforms::deps_first::installsOf(runs[i], {})));
  using dfopt::transforms::deps_first::installsOf;
  CHECK(installsOf(runs[4]) == installsOf(runs[1]));  // the same text in the same form
  CHECK(installsOf(runs[2]) != installsOf(runs[1]));  // the exec form's words
  CHECK(installsOf(runs[3]) != installsOf(runs[1]));  // a here-document's body
  CHECK(labels(*installsOf(runs[5])) == "npm ci;");
  CHECK(labels(*installsOf(runs[6])).empty());  // one word, "npm ci": no such program
}
