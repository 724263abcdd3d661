// multi-stage decides from what the stage does: on the reader's own base
// image the language is the one of the tool chain the stage runs and the
// runtime image is of the version the project declares (or the user
// chooses it); a development target stays as it is.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "support.h"

namespace {

using Run = dfopt::testing::TransformRun;

Run multiStage(const std::string& dockerfile, std::map<std::string, std::string> files,
               dfopt::engine::Options options = {}) {
  return dfopt::testing::runTransform("multi-stage", dockerfile, std::move(files), options);
}

const std::string kPipOnCustomBase =
    "FROM my-python:devel\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n"
    "CMD [\"python\", \"app.py\"]\n";

const std::string kNpmOnCustomBase =
    "FROM my-node:devel\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n"
    "CMD [\"node\", \"dist/index.js\"]\n";

// The last stage's FROM line (the production stage; a Node split may put a deps stage before it).
std::string productionFrom(const std::string& after) {
  size_t at = after.rfind("\nFROM ");
  if (at == std::string::npos || at < after.find("FROM ")) return "";
  return after.substr(at + 1, after.find('\n', at + 1) - at - 1);
}

}  // namespace

TEST_CASE("multi-stage: a Python project's declared version chooses the runtime of a custom base",
          "[multi-stage][custom-base]") {
  using Files = std::map<std::string, std::string>;
  const std::vector<std::pair<Files, std::string>> cases = {
      {{{"pyproject.toml", "[project]\nname = \"a\"\nrequires-python = \">=3.11,<3.13\"\n"}},
       "python:3.11-slim"},
      {{{"pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.10\"\n"}}, "python:3.10-slim"},
      {{{"pyproject.toml", "[tool.poetry.dependencies]\npython = \"~3.9.2\"\n"}}, "python:3.9-slim"},
      {{{"pyproject.toml", "[project]\nrequires-python = \"< 4, >= 3.12\"\n"}}, "python:3.12-slim"},
      {{{".python-version", "3.12.4\n"}}, "python:3.12-slim"},
  };
  for (const auto& [files, runtime] : cases) {
    Files context = files;
    context["requirements.txt"] = "flask\n";
    context["app.py"] = "";
    Run run = multiStage(kPipOnCustomBase, context);
    INFO(run.messages);
    CHECK(productionFrom(run.after) == "FROM " + runtime + " AS production");
    CHECK_THAT(run.messages, Catch::Contains("my-python:devel is not an official python image"));
  }
}

TEST_CASE("multi-stage: the stage's ENV and a tag named after the language tell the version",
          "[multi-stage][custom-base]") {
  std::map<std::string, std::string> files = {{"requirements.txt", "flask\n"}, {"app.py", ""}};
  std::string withEnv = kPipOnCustomBase;
  withEnv.insert(withEnv.find("WORKDIR"), "ENV PYTHON_VERSION=3.11.9\n");
  CHECK(productionFrom(multiStage(withEnv, files).after) == "FROM python:3.11-slim AS production");
  std::string tagged = kPipOnCustomBase;
  tagged.replace(0, tagged.find('\n'), "FROM ghcr.io/acme/python-tools:3.12-2024");
  CHECK(productionFrom(multiStage(tagged, files).after) == "FROM python:3.12-slim AS production");
}

TEST_CASE("multi-stage: a custom base's virtualenv must start on the runtime image, or the build fails",
          "[multi-stage][custom-base]") {
  Run run = multiStage(kPipOnCustomBase, {{"requirements.txt", "flask\n"}, {".python-version", "3.11\n"}});
  CHECK_THAT(run.after, Catch::Contains("RUN /opt/venv/bin/python -m pip --version\n"));
}

TEST_CASE("multi-stage: a custom base with no declared version is refused, naming --runtime-image",
          "[multi-stage][custom-base]") {
  Run python =
      multiStage(kPipOnCustomBase, {{"requirements.txt", "flask\n"}, {".python-version", "pypy3.10\n"}});
  CHECK_THAT(python.messages,
             Catch::Contains("info: not split: my-python:devel is not an official python image"));
  CHECK_THAT(python.messages, Catch::Contains("--runtime-image"));
  Run node = multiStage(kNpmOnCustomBase, {{"package.json", "{\"name\": \"a\"}"}, {".nvmrc", "lts/iron\n"}});
  CHECK_THAT(node.messages, Catch::Contains("--runtime-image"));
  dfopt::engine::Options chosen;
  chosen.runtimeImage = "python:3.12-slim";
  Run run = multiStage(kPipOnCustomBase, {{"requirements.txt", "flask\n"}}, chosen);
  CHECK(productionFrom(run.after) == "FROM python:3.12-slim AS production");
}

TEST_CASE("multi-stage: a Node project's engines.node or .nvmrc chooses the runtime of a custom base",
          "[multi-stage][custom-base]") {
  const std::vector<std::pair<std::map<std::string, std::string>, std::string>> cases = {
      {{{"package.json", R"({"name": "a", "engines": {"node": ">=20.11"}})"}}, "node:20-slim"},
      {{{"package.json", R"({"name": "a", "engines": {"node": "18.x"}})"}}, "node:18-slim"},
      {{{"package.json", R"({"name": "a"})"}, {".nvmrc", "v22.3.0\n"}}, "node:22-slim"},
  };
  for (const auto& [files, runtime] : cases) {
    Run run = multiStage(kNpmOnCustomBase, files);
    INFO(run.messages);
    CHECK(productionFrom(run.after) == "FROM " + runtime + " AS production");
  }
}

TEST_CASE("multi-stage: a base of another language stays refused; an unknown one is judged by its commands",
          "[multi-stage][custom-base]") {
  Run other = multiStage(
      "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
      "CMD [\"python\", \"app.py\"]\n",
      {{"requirements.txt", "flask\n"}});
  CHECK_THAT(other.messages, Catch::Contains("an image of another language"));
  Run system = multiStage(
      "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y python3-pip\n"
      "WORKDIR /app\nCOPY . .\nRUN pip3 install -r requirements.txt\n"
      "CMD [\"python3\", \"app.py\"]\n",
      {{"requirements.txt", "flask\n"}, {".python-version", "3.10\n"}});
  CHECK_THAT(system.messages, Catch::Contains("installs system packages (python3-pip)"));
}

TEST_CASE("multi-stage: development servers and watchers are development targets",
          "[multi-stage][development]") {
  const std::vector<std::string> development = {
      "CMD [\"npm\", \"run\", \"dev\"]",
      "CMD yarn dev",
      "CMD [\"npx\", \"nodemon\", \"server.js\"]",
      "CMD uvicorn app.main:app --host 0.0.0.0 --reload",
      "CMD [\"python\", \"-m\", \"uvicorn\", \"main:app\", \"--reload\"]",
      "CMD [\"poetry\", \"run\", \"flask\", \"run\", \"--debug\"]",
      "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]",
      "CMD ng serve --host 0.0.0.0",
      "CMD [\"vite\", \"--host\"]",
      "ENTRYPOINT [\"node\", \"--watch\", \"index.js\"]",
  };
  for (const std::string& cmd : development) {
    Run run = multiStage(
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n" + cmd + "\n",
        {{"requirements.txt", "flask\n"}});
    INFO(cmd);
    CHECK_THAT(run.messages, Catch::Contains("a development server that reloads on source edits"));
  }
  const std::vector<std::string> production = {
      "CMD [\"gunicorn\", \"app:app\"]",
      "CMD uvicorn app.main:app --host 0.0.0.0",
      "CMD [\"vite\", \"build\"]",
      "CMD [\"npm\", \"start\"]",
  };
  for (const std::string& cmd : production) {
    Run run = multiStage(
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n" + cmd + "\n",
        {{"requirements.txt", "flask\n"}});
    INFO(cmd);
    CHECK_THAT(run.messages, !Catch::Contains("development"));
  }
}

TEST_CASE("multi-stage: a development Dockerfile or stage name leaves the file as it is",
          "[multi-stage][development]") {
  std::string file =
      "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
      "CMD [\"gunicorn\", \"app:app\"]\n";
  std::map<std::string, std::string> files = {{"requirements.txt", "flask\n"}};
  for (std::string name :
       {"Dockerfile.dev", "dev.Dockerfile", "Dockerfile-development", "debug.dockerfile"}) {
    dfopt::engine::Options options;
    options.fileName = name;
    INFO(name);
    CHECK_THAT(multiStage(file, files, options).messages, Catch::Contains("is a development Dockerfile"));
  }
  for (std::string name : {"Dockerfile", "Dockerfile.prod", "devices.Dockerfile"}) {
    dfopt::engine::Options options;
    options.fileName = name;
    INFO(name);
    CHECK_THAT(multiStage(file, files, options).messages, Catch::StartsWith("warning: split"));
  }
  std::string named = file;
  named.replace(0, named.find('\n'), "FROM python:3.12 AS development");
  CHECK_THAT(multiStage(named, files).messages, Catch::Contains("the stage is named development"));
}

TEST_CASE("multi-stage: a tag's number that cannot be the language's version does not count",
          "[multi-stage][custom-base]") {
  std::string file = kNpmOnCustomBase;
  file.replace(0, file.find('\n'), "FROM registry.access.redhat.com/ubi8/nodejs-18:1-71");
  Run run = multiStage(file, {{"package.json", R"({"name": "a", "engines": {"node": "^18.19.0"}})"}});
  CHECK(productionFrom(run.after) == "FROM node:18-slim AS production");
}

TEST_CASE("multi-stage: a custom Windows image gets no Linux runtime image", "[multi-stage][custom-base]") {
  std::string file = kNpmOnCustomBase;
  file.replace(0, file.find('\n'), "FROM stefanscherer/node-windows:10");
  Run run = multiStage(file, {{"package.json", R"({"name": "a"})"}});
  CHECK_THAT(run.messages, Catch::Contains("stefanscherer/node-windows:10 is a Windows image"));
  CHECK(run.after == file);
}

TEST_CASE("multi-stage: a custom base's tool chain without a recipe is named in the refusal",
          "[multi-stage][custom-base]") {
  Run uv = multiStage(
      "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\n"
      "RUN uv sync --frozen\nCMD [\"uv\", \"run\", \"app.py\"]\n",
      {{"pyproject.toml", "[project]\nname = \"a\"\n"}, {"uv.lock", ""}});
  CHECK_THAT(uv.messages, Catch::Contains("no production stage recipe for uv"));
  Run none = multiStage("FROM alpine:3.19\nWORKDIR /app\nCOPY . .\nCMD [\"./run.sh\"]\n", {{"run.sh", ""}});
  CHECK_THAT(none.messages,
             Catch::Contains("alpine:3.19 is not an official image of a language dfopt knows"));
}
