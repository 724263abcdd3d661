// The deps-first transform reading manifests: TOML (pyproject.toml,
// Pipfile, Cargo.toml) and JSON (composer.json) as documents, go.mod by
// lines. An install whose manifests need the rest of the source stays where
// it is, with the reason; one whose manifests are enough moves.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "engine/pipeline.h"
#include "transforms/transforms.h"

using dfopt::context::BuildContext;

namespace {

struct Run {
  bool moved = false;
  std::string messages;  // one a line
};

Run depsFirst(const std::string& dockerfile, std::map<std::string, std::string> files) {
  files["Dockerfile"] = dockerfile;
  BuildContext context = BuildContext::fromFiles(std::move(files));
  dfopt::engine::Selection only;
  only.only = {"deps-first"};
  auto outcome = dfopt::engine::runPipeline(dockerfile, context, {}, dfopt::transforms::all(), only);
  REQUIRE(outcome.ok());
  Run run{outcome.after != dockerfile, ""};
  for (const auto& finding : outcome.findings) run.messages += finding.message + "\n";
  return run;
}

const std::string kUvSync = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\n";
const std::string kPoetryInstall = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install\n";
const std::string kPipenvInstall = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pipenv install --deploy\n";

Run uvSync(const std::string& pyproject) {
  return depsFirst(kUvSync, {{"pyproject.toml", pyproject}, {"uv.lock", ""}});
}

Run poetryInstall(const std::string& pyproject) {
  return depsFirst(kPoetryInstall, {{"pyproject.toml", pyproject}, {"poetry.lock", ""}});
}

Run pipenvInstall(const std::string& pipfile) {
  return depsFirst(kPipenvInstall, {{"Pipfile", pipfile}, {"Pipfile.lock", "{}"}});
}

bool says(const Run& run, const std::string& reason) {
  return run.messages.find("kept after the source copy: " + reason) != std::string::npos;
}

}  // namespace

TEST_CASE("deps-first: a uv workspace stays after the copy", "[deps-first][manifests]") {
  const std::string reason = "pyproject.toml declares a workspace, whose members are part of the source";
  Run table = uvSync("[project]\nname = \"app\"\n\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\n");
  CHECK_FALSE(table.moved);
  CHECK(says(table, reason));
  Run dotted = uvSync("[project]\nname = \"app\"\n\n[tool.uv]\nworkspace = { members = [\"lib\"] }\n");
  CHECK(says(dotted, reason));
  Run member = uvSync("[project]\nname = \"app\"\n\n[tool.uv.sources]\nlib = { workspace = true }\n");
  CHECK_FALSE(member.moved);
  CHECK(says(member, reason));
  Run commented = uvSync("[project]\nname = \"app\"\n# lib = { workspace = true }\n");
  CHECK(commented.moved);
}

TEST_CASE("deps-first: a poetry path dependency stays after the copy", "[deps-first][manifests]") {
  const std::string reason = "pyproject.toml has a path dependency";
  Run inlineTable = poetryInstall(
      "[tool.poetry]\nname = \"app\"\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\n"
      "lib = { path = \"../lib\", develop = true }\n");
  CHECK_FALSE(inlineTable.moved);
  CHECK(says(inlineTable, reason));
  Run table = poetryInstall("[tool.poetry.dependencies.lib]\npath = \"./lib\"\n");
  CHECK(says(table, reason));
  Run group = poetryInstall("[tool.poetry.group.dev.dependencies]\ntools = { path = \"tools\" }\n");
  CHECK(says(group, reason));
  Run alternatives = poetryInstall(
      "[tool.poetry.dependencies]\nlib = [{ path = \"../lib\", markers = \"sys_platform == 'linux'\" },"
      " { version = \"^1.0\" }]\n");
  CHECK(says(alternatives, reason));
  Run uvSource = uvSync("[project]\nname = \"app\"\n\n[tool.uv.sources]\nlib = { path = \"../lib\" }\n");
  CHECK(says(uvSource, reason));
}

TEST_CASE("deps-first: a path key that is no dependency moves", "[deps-first][manifests]") {
  Run run = uvSync(
      "[project]\nname = \"app\"\ndynamic = [\"version\"]\n\n[tool.hatch.version]\npath = "
      "\"app/__about__.py\"\n");
  CHECK(run.moved);
  Run versions = poetryInstall(
      "[tool.poetry]\nname = \"app\"\n\n[tool.poetry.dependencies]\nflask = { version = \"^3.0\" }\n");
  CHECK(versions.moved);
}

TEST_CASE("deps-first: a Pipfile path dependency stays after the copy", "[deps-first][manifests]") {
  Run path = pipenvInstall(
      "[[source]]\nurl = \"https://pypi.org/simple\"\nname = \"pypi\"\n\n[packages]\nflask = \"*\"\n"
      "lib = {path = \"./lib\", editable = true}\n");
  CHECK_FALSE(path.moved);
  CHECK(says(path, "Pipfile has a path dependency"));
  Run dev = pipenvInstall("[dev-packages]\ntools = {path = \"tools\"}\n");
  CHECK(says(dev, "Pipfile has a path dependency"));
  Run none = pipenvInstall("[packages]\nflask = \"*\"\n\n[requires]\npython_version = \"3.12\"\n");
  CHECK(none.moved);
}

TEST_CASE("deps-first: a manifest that is not valid TOML is refused", "[deps-first][manifests]") {
  Run pyproject = poetryInstall("[tool.poetry\nname = \"app\"\n");
  CHECK_FALSE(pyproject.moved);
  CHECK(says(pyproject, "pyproject.toml is not valid TOML"));
  Run twice = uvSync("[project]\nname = \"a\"\nname = \"b\"\n");
  CHECK(says(twice, "pyproject.toml is not valid TOML"));
  Run pipfile = pipenvInstall("[packages\nflask = \"*\"\n");
  CHECK(says(pipfile, "Pipfile is not valid TOML"));
  Run cargo = depsFirst("FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n",
                        {{"Cargo.toml", "[package\nname = \"x\"\n"}, {"Cargo.lock", ""}});
  CHECK(says(cargo, "Cargo.toml is not valid TOML"));
}

TEST_CASE("deps-first: Cargo.toml read as TOML", "[deps-first][manifests]") {
  auto cargoBuild = [](const std::string& manifest) {
    return depsFirst("FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n",
                     {{"Cargo.toml", manifest}, {"Cargo.lock", ""}});
  };
  const std::string package = "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n";
  CHECK(says(cargoBuild(package + "[dependencies]\nlib = { path = \"../lib\" }\n"),
             "Cargo.toml has a path dependency"));
  CHECK(says(cargoBuild(package + "[target.'cfg(unix)'.dev-dependencies]\nlib = { path = \"lib\" }\n"),
             "Cargo.toml has a path dependency"));
  CHECK(says(cargoBuild(package + "[patch.crates-io]\nserde = { path = \"serde\" }\n"),
             "Cargo.toml has a path dependency"));
  CHECK(says(cargoBuild(package + "[[bin]]\nname = \"x\"\npath = \"src/x.rs\"\n"),
             "Cargo.toml declares its own targets"));
  CHECK(says(cargoBuild("[package]\nname = \"x\"\nbuild = \"build.rs\"\n"),
             "Cargo.toml declares its own targets"));
  CHECK(says(cargoBuild(package + "[workspace.dependencies]\nserde = \"1\"\n"), "Cargo.toml is a workspace"));
  CHECK(cargoBuild(package + "[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n").moved);
}

TEST_CASE("deps-first: composer.json read as JSON, go.mod by lines", "[deps-first][manifests]") {
  auto composerInstall = [](const std::string& manifest) {
    return depsFirst("FROM php:8.3\nWORKDIR /app\nCOPY . .\nRUN composer install --no-dev\n",
                     {{"composer.json", manifest}, {"composer.lock", "{}"}});
  };
  CHECK(says(composerInstall(R"({"repositories": [{"type": "path", "url": "../lib"}]})"),
             "composer.json has a path repository"));
  CHECK(says(composerInstall(R"({"repositories": {"lib": {"type": "path", "url": "lib"}}})"),
             "composer.json has a path repository"));
  CHECK(says(composerInstall(R"({"repositories": [)"), "composer.json is not a JSON object"));
  CHECK(composerInstall(R"({"repositories": [{"type": "vcs", "url": "https://example.com/x.git"}]})").moved);

  auto goBuild = [](const std::string& goMod) {
    return depsFirst("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n",
                     {{"go.mod", goMod}, {"go.sum", ""}});
  };
  const std::string reason = "go.mod replaces a module with a local directory";
  CHECK(says(goBuild("module x\n\nreplace example.com/lib => ../lib\n"), reason));
  CHECK(says(goBuild("module x\n\nreplace (\n\texample.com/a v1.0.0 => ./a\r\n)\n"), reason));
  CHECK(says(goBuild("module x\nreplace example.com/lib =>  .  \n"), reason));
  CHECK(goBuild("module x\nreplace example.com/lib => example.com/fork v1.2.0\n").moved);
}
