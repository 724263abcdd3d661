// The dockerignore transform: what golden cases cannot hold (a .git folder,
// which git refuses to store) and what the golden runner does not check (a
// second run over the context with the written .dockerignore adds nothing).
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "engine/pipeline.h"
#include "support.h"
#include "transforms/dockerignore/build_use.h"
#include "transforms/transforms.h"

namespace fs = std::filesystem;
using dfopt::context::BuildContext;
using dfopt::engine::PipelineOutcome;

namespace {

PipelineOutcome runDockerignore(const std::string& dockerfile, const BuildContext& context) {
  dfopt::engine::Selection only;
  only.only = {"dockerignore"};
  return dfopt::engine::runPipeline(dockerfile, context, {}, dfopt::transforms::all(), only);
}

// The .dockerignore a run writes, or nothing.
std::optional<std::string> written(const PipelineOutcome& outcome) {
  for (const auto& file : outcome.files) {
    if (file.path == ".dockerignore") return file.after;
  }
  return std::nullopt;
}

std::optional<std::string> writtenFor(const std::string& dockerfile,
                                      std::map<std::string, std::string> files) {
  files["Dockerfile"] = dockerfile;
  return written(runDockerignore(dockerfile, BuildContext::fromFiles(std::move(files))));
}

std::map<std::string, std::string> filesOf(const BuildContext& context) {
  std::map<std::string, std::string> files;
  for (const std::string& path : context.files()) files[path] = context.read(path).value_or("");
  return files;
}

}  // namespace

TEST_CASE("dockerignore: .git is kept out unless the build uses it", "[dockerignore]") {
  std::map<std::string, std::string> files = {{".git/HEAD", "ref: refs/heads/main\n"}, {"app.py", ""}};
  auto plain = writtenFor("FROM python:3.12\nCOPY . /app\n", files);
  REQUIRE(plain);
  CHECK(*plain == "# added by dfopt\n\n# version control\n.git\n");

  CHECK_FALSE(writtenFor(
      "FROM golang:1.22\nCOPY . .\nRUN go build -ldflags \"-X main.v=$(git describe)\" .\n", files));
  CHECK_FALSE(writtenFor("FROM alpine\nCOPY .git /src/.git\n", files));
}

TEST_CASE("dockerignore: entries already there are recognised as Docker cleans them", "[dockerignore]") {
  std::map<std::string, std::string> files = {{"package.json", "{}"}, {"node_modules/x/index.js", ""}};
  const std::string dockerfile = "FROM node:20\nCOPY . .\nRUN npm ci\n";
  for (std::string entry :
       {"node_modules", "/node_modules", "node_modules/", "./node_modules", "**/node_modules"}) {
    INFO(entry);
    files[".dockerignore"] = entry + "\n";
    CHECK_FALSE(writtenFor(dockerfile, files));
  }
}

TEST_CASE("dockerignore: a user's exception is never overridden", "[dockerignore]") {
  std::map<std::string, std::string> files = {
      {".dockerignore", "!audit.log\n"}, {"audit.log", ""}, {"app.py", ""}, {".DS_Store", ""}};
  auto text = writtenFor("FROM python:3.12\nCOPY . /app\n", files);
  REQUIRE(text);
  CHECK(text->find("*.log") == std::string::npos);
  CHECK(text->find(".DS_Store") != std::string::npos);
}

TEST_CASE("dockerignore: build output a RUN step reads stays", "[dockerignore]") {
  std::map<std::string, std::string> files = {
      {"pyproject.toml", ""}, {"poetry.lock", ""}, {"dist/shop-1.0-py3-none-any.whl", ""}, {".DS_Store", ""}};
  auto text = writtenFor("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install dist/*.whl\n", files);
  REQUIRE(text);
  CHECK(text->find("dist") == std::string::npos);

  // What the image builds itself and only runs later is its own copy.
  text = writtenFor("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry build\nCMD [\"ls\", \"dist/\"]\n",
                    files);
  REQUIRE(text);
  CHECK(text->find("\ndist\n") != std::string::npos);
}

TEST_CASE("dockerignore: RUN bind mounts take from the context like COPY", "[dockerignore]") {
  std::map<std::string, std::string> files = {{".env", "A=1\n"}, {"app.py", ""}, {".DS_Store", ""}};
  auto text = writtenFor(
      "# syntax=docker/dockerfile:1\nFROM python:3.12\n"
      "RUN --mount=type=bind,source=.env,target=/run/.env cat /run/.env\n",
      files);
  REQUIRE(text);
  CHECK(text->find(".env") == std::string::npos);
  CHECK(text->find(".DS_Store") != std::string::npos);
}

TEST_CASE("dockerignore: absolute globs in RUN name nothing in the context", "[dockerignore]") {
  std::map<std::string, std::string> files = {{"app.py", ""}, {".DS_Store", ""}};
  auto text = writtenFor("FROM debian\nCOPY . /app\nRUN rm -rf /var/lib/apt/lists/* && chmod +x *\n", files);
  REQUIRE(text);
  CHECK(text->find(".DS_Store") != std::string::npos);
}

TEST_CASE("dockerignore: a second run over the written file adds nothing", "[dockerignore][golden]") {
  const fs::path cases = fs::path(DFOPT_SOURCE_DIR) / "golden" / "dockerignore";
  for (const fs::path& caseDir : dfopt::testing::directoriesIn(cases)) {
    INFO(caseDir.filename().string());
    const std::string dockerfile = dfopt::testing::readFile(caseDir / "input" / "Dockerfile");
    BuildContext context = BuildContext::fromDirectory(caseDir / "input");
    auto first = written(runDockerignore(dockerfile, context));
    if (!first) continue;
    auto files = filesOf(context);
    files[".dockerignore"] = *first;
    CHECK_FALSE(written(runDockerignore(dockerfile, BuildContext::fromFiles(std::move(files)))));
  }
}

TEST_CASE("dockerignore: a RUN word names a context file by its tail, however long the word",
          "[dockerignore]") {
  std::string deep;
  for (int i = 0; i < 3000; ++i) deep += "d/";  // past PATH_MAX: only the last tails can be paths
  // the tail names a file at the root of the context, or inside the copied directory
  for (auto [copy, env] :
       {std::pair{"COPY . /app", "config/.env"}, std::pair{"COPY src/ /app/", "src/config/.env"}}) {
    INFO(copy);
    std::map<std::string, std::string> files = {{env, "A=1\n"}, {"src/app.py", ""}, {".DS_Store", ""}};
    auto unused =
        writtenFor("FROM python:3.12\n" + std::string(copy) + "\nRUN cat /srv/" + deep + "x\n", files);
    REQUIRE(unused);
    CHECK(unused->find(".env") != std::string::npos);
    auto used = writtenFor(
        "FROM python:3.12\n" + std::string(copy) + "\nRUN cat /srv/" + deep + "config/.env\n", files);
    REQUIRE(used);
    CHECK(used->find(".env") == std::string::npos);
    CHECK(used->find(".DS_Store") != std::string::npos);
  }
}

TEST_CASE("dockerignore: the build use keeps the package tools' runs, in order, and no others",
          "[dockerignore]") {
  namespace di = dfopt::transforms::dockerignore;
  std::string dockerfile =
      "FROM python:3.12\n"
      "RUN echo start && python3.12 -m venv /venv && sudo pip3 install -r requirements.txt\n"
      "RUN npm ci && ls -la && cat requirements.txt\n"
      "CMD [\"python\", \"app.py\"]\n";
  auto context = BuildContext::fromFiles({{"requirements.txt", "flask\n"}, {"app.py", ""}});
  auto file = dfopt::testing::parseValid(dockerfile);
  di::BuildUse use = di::buildUse(file, context, context.files());
  REQUIRE(use.runs.size() == 3);
  CHECK(use.runs[0].program == "venv");
  CHECK(use.runs[1].program == "pip");
  CHECK(use.runs[1].arguments == std::vector<std::string>{"install", "-r", "requirements.txt"});
  CHECK(use.runs[2].program == "npm");
  // the paths every command names are still seen, the runs left out included
  REQUIRE(use.namedByRun.size() == 2);
  CHECK(use.namedByRun[0].path == "requirements.txt");
  CHECK(use.namedByRun[1].instruction == 2);
  REQUIRE(use.namedAtRuntime.size() == 1);
  CHECK(use.namedAtRuntime[0].path == "app.py");
}

TEST_CASE("dockerignore: a RUN's words are looked up in each context, through the directories copied from",
          "[dockerignore]") {
  namespace di = dfopt::transforms::dockerignore;
  auto file = dfopt::testing::parseValid(
      "FROM python:3.12\n"
      "COPY src/ /srv/\n"
      "RUN python /srv/app/main.py --config=./config/x.yml && cat not/here /etc/passwd\n");
  auto paths = [](const di::BuildUse& use) {
    std::vector<std::string> named;
    for (const di::Use& one : use.namedByRun) named.push_back(one.path);
    return named;
  };
  auto first = BuildContext::fromFiles({{"src/app/main.py", ""}, {"config/x.yml", ""}});
  CHECK(paths(di::buildUse(file, first, first.files())) ==
        std::vector<std::string>{"src/app/main.py", "config/x.yml"});
  // Another context: its own names, not those of the one before (a tail of a word counts).
  auto second = BuildContext::fromFiles({{"app/main.py", ""}, {"here", ""}});
  CHECK(paths(di::buildUse(file, second, second.files())) == std::vector<std::string>{"app/main.py", "here"});
  auto empty = BuildContext::fromFiles({});
  CHECK(di::buildUse(file, empty, empty.files()).namedByRun.empty());
}

TEST_CASE("dockerignore: a pattern is matched again in another list of paths, never answered from the last",
          "[dockerignore]") {
  using dfopt::transforms::dockerignore::pathsMatching;
  using Paths = std::vector<std::string>;
  auto context = BuildContext::fromFiles({});
  auto first = std::make_shared<const Paths>(Paths{"a.sh", "b.sh", "src", "src/c.sh"});
  CHECK(pathsMatching("*.sh", first, context) == Paths{"a.sh", "b.sh"});
  CHECK(pathsMatching("*.sh", first, context) == Paths{"a.sh", "b.sh"});
  CHECK(pathsMatching("src/*.sh", first, context) == Paths{"src/c.sh"});
  for (int i = 0; i < 8; ++i) {  // lists made and dropped, whatever address they get
    auto other = std::make_shared<const Paths>(Paths{"x" + std::to_string(i) + ".sh"});
    CHECK(pathsMatching("*.sh", other, context) == Paths{"x" + std::to_string(i) + ".sh"});
  }
  auto equal = std::make_shared<const Paths>(*first);
  CHECK(pathsMatching("*.sh", equal, context) == Paths{"a.sh", "b.sh"});
  CHECK(pathsMatching("*.sh", std::make_shared<const Paths>(), context).empty());
}

TEST_CASE("dockerignore: names are matched again in other paths, not answered from the last ones",
          "[dockerignore]") {
  using dfopt::transforms::dockerignore::pathsNamed;
  using Paths = std::vector<std::string>;
  const auto first = std::make_shared<const Paths>(Paths{"a.log", "src", "src/b.log", "src/c.py"});
  const auto second = std::make_shared<const Paths>(Paths{"app.py", "logs", "logs/x.log"});
  CHECK(pathsNamed("*.log", first) == std::vector<std::string>{"a.log", "src/b.log"});
  CHECK(pathsNamed("*.log", first) == std::vector<std::string>{"a.log", "src/b.log"});
  CHECK(pathsNamed("*.log", second) == std::vector<std::string>{"logs/x.log"});
  CHECK(pathsNamed("*.py", second) == std::vector<std::string>{"app.py"});
  CHECK(pathsNamed("*.log", first) == std::vector<std::string>{"a.log", "src/b.log"});
  CHECK(pathsNamed("*.log", std::make_shared<const Paths>()).empty());
}

TEST_CASE(
    "dockerignore: a shared list of paths is answered by its address or its paths, never by a stale answer",
    "[dockerignore]") {
  using dfopt::transforms::dockerignore::pathsNamed;
  using Paths = std::vector<std::string>;
  auto shared = std::make_shared<const Paths>(Paths{"a.log", "src", "src/b.log"});
  CHECK(pathsNamed("*.log", shared) == Paths{"a.log", "src/b.log"});
  CHECK(pathsNamed("*.log", shared) == Paths{"a.log", "src/b.log"});  // the same list
  auto equal = std::make_shared<const Paths>(*shared);                // another list, the same paths
  CHECK(pathsNamed("*.log", equal) == Paths{"a.log", "src/b.log"});
  for (int i = 0; i < 8; ++i) {  // lists made and dropped, whatever address they get
    auto other = std::make_shared<const Paths>(Paths{"x" + std::to_string(i) + ".log"});
    CHECK(pathsNamed("*.log", other) == Paths{"x" + std::to_string(i) + ".log"});
  }
  CHECK(pathsNamed("*.log", shared) == Paths{"a.log", "src/b.log"});
  CHECK(pathsNamed("*.log", std::make_shared<const Paths>()).empty());
}

TEST_CASE("dockerignore: a context's paths are listed once for the Dockerfiles that share it",
          "[dockerignore]") {
  using dfopt::transforms::dockerignore::contextPaths;
  auto first = dfopt::context::BuildContext::fromFiles({{"app/main.py", ""}, {"README.md", ""}});
  auto second = dfopt::context::BuildContext::fromFiles({{"go.mod", ""}});
  auto once = contextPaths(first);
  CHECK(*once == std::vector<std::string>{"README.md", "app", "app/main.py"});
  CHECK(contextPaths(first) == once);  // the same list, not listed again
  CHECK(*contextPaths(second) == std::vector<std::string>{"go.mod"});
  // files written at new paths make a new listing, listed again
  auto written = first.withFiles({{"logs/a.log", "x"}});
  CHECK(*contextPaths(written) ==
        std::vector<std::string>{"README.md", "app", "app/main.py", "logs", "logs/a.log"});
  CHECK(*contextPaths(first) == *once);
}
