// multi-stage reads the manifests it decides on as documents: pyproject.toml,
// poetry.lock, Cargo.toml and Cargo.lock with toml++, package.json and
// tsconfig.json with nlohmann-json. What they declare counts, not where a
// word appears; a manifest that does not parse leaves the file as it is,
// naming the file.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "support.h"

namespace {

using Run = dfopt::testing::TransformRun;

Run multiStage(const std::string& dockerfile, std::map<std::string, std::string> files) {
  return dfopt::testing::runTransform("multi-stage", dockerfile, std::move(files));
}

bool split(const Run& run) { return run.messages.starts_with("warning: split into a build stage"); }

// A Poetry app that starts `program`.
std::string poetryApp(const std::string& program) {
  return "FROM python:3.12\nRUN pip install poetry\nWORKDIR /app\nCOPY . .\nRUN poetry install\n"
         "CMD [\"poetry\", \"run\", \"" +
         program + "\"]\n";
}

std::map<std::string, std::string> poetryContext(const std::string& pyproject, const std::string& lock = "") {
  return {{"pyproject.toml", pyproject}, {"poetry.lock", lock}, {"app/__init__.py", ""}};
}

const std::string kPoetryHead = "[tool.poetry]\nname = \"app\"\nversion = \"0.1.0\"\n\n";

std::string notDeclared(const std::string& program) {
  return "info: not split: the app runs " + program +
         ", which pyproject.toml does not declare as a dependency or script, so the wheel would not "
         "install it\n";
}

}  // namespace

TEST_CASE("multi-stage: a Poetry script is a program the wheel installs", "[multi-stage][manifests]") {
  std::string pyproject = kPoetryHead + "[tool.poetry.scripts]\nserve = \"app.main:run\"\n";
  Run run = multiStage(poetryApp("serve"), poetryContext(pyproject));
  CHECK(split(run));
  CHECK(run.after.ends_with("CMD [\"serve\"]\n"));

  // the PEP 621 table, inline
  run = multiStage(poetryApp("serve"),
                   poetryContext("[project]\nname = \"app\"\nscripts = { serve = \"app.main:run\" }\n"));
  CHECK(split(run));

  // a script in a comment, or the project's own name, declares nothing
  run = multiStage(poetryApp("serve"),
                   poetryContext(kPoetryHead + "[tool.poetry.scripts]\n# serve = \"app.main:run\"\n"));
  CHECK(run.messages == notDeclared("serve"));
  run = multiStage(poetryApp("app"), poetryContext("[project]\nname = \"app\"\nversion = \"0.1.0\"\n"));
  CHECK(run.messages == notDeclared("app"));
}

TEST_CASE("multi-stage: a dependency given as an inline table is declared", "[multi-stage][manifests]") {
  std::string pyproject = kPoetryHead +
                          "[tool.poetry.dependencies]\npython = \"^3.12\"\n"
                          "gunicorn = { version = \"^21.2\", extras = [\"gevent\"] }\n";
  Run run = multiStage(poetryApp("gunicorn"), poetryContext(pyproject));
  CHECK(split(run));

  // an extra of another dependency is not a dependency
  pyproject = kPoetryHead +
              "[tool.poetry.dependencies]\nuvicorn = { version = \"^0.23\", extras = [\"gunicorn\"] }\n";
  run = multiStage(poetryApp("gunicorn"), poetryContext(pyproject));
  CHECK(run.messages == notDeclared("gunicorn"));

  // PEP 621 dependencies, names as pip reads them
  run = multiStage(poetryApp("gunicorn"),
                   poetryContext("[project]\nname = \"app\"\ndependencies = [\"Gunicorn[gevent]>=21\"]\n"));
  CHECK(split(run));
}

TEST_CASE("multi-stage: package-mode = false makes no wheel", "[multi-stage][manifests]") {
  std::string pyproject =
      "[tool.poetry]\nname = \"app\"\npackage-mode = false\n\n"
      "[tool.poetry.dependencies]\ngunicorn = \"^21.2\"\n";
  Run run = multiStage(poetryApp("gunicorn"), poetryContext(pyproject));
  CHECK(run.messages ==
        "info: not split: pyproject.toml sets package-mode = false: poetry build makes no wheel\n");
  CHECK(run.after == poetryApp("gunicorn"));

  // in a comment, or true, it says nothing against the wheel
  for (std::string mode : {"# package-mode = false\n", "package-mode = true\n"}) {
    pyproject = kPoetryHead + mode + "\n[tool.poetry.dependencies]\ngunicorn = \"^21.2\"\n";
    CHECK(split(multiStage(poetryApp("gunicorn"), poetryContext(pyproject))));
  }
}

TEST_CASE("multi-stage: a pyproject.toml that is not TOML leaves the file as it is",
          "[multi-stage][manifests]") {
  std::string pyproject =
      "[tool.poetry\nname = \"app\"\n\n[tool.poetry.dependencies]\ngunicorn = \"^21.2\"\n";
  Run run = multiStage(poetryApp("gunicorn"), poetryContext(pyproject));
  CHECK(run.messages == "info: not split: pyproject.toml is not valid TOML\n");
  CHECK(run.after == poetryApp("gunicorn"));

  // a key given twice is not TOML either
  pyproject = kPoetryHead + "[tool.poetry.dependencies]\ngunicorn = \"^21.2\"\ngunicorn = \"^22.0\"\n";
  run = multiStage(poetryApp("gunicorn"), poetryContext(pyproject));
  CHECK(run.messages == "info: not split: pyproject.toml is not valid TOML\n");

  // the pip recipe reads every pyproject.toml and poetry.lock for native packages
  std::string pip =
      "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
      "CMD [\"gunicorn\", \"app:app\"]\n";
  run = multiStage(pip, {{"requirements.txt", "gunicorn\n"}, {"tools/poetry.lock", "[[package]\n"}});
  CHECK(run.messages == "info: not split: tools/poetry.lock is not valid TOML\n");
}

TEST_CASE("multi-stage: packages that need system libraries, from what the manifests list",
          "[multi-stage][manifests]") {
  std::string pyproject = kPoetryHead + "[tool.poetry.dependencies]\ngunicorn = \"^21.2\"\n";
  std::string needs = "which builds against system libraries that python:3.12-slim lacks\n";

  // a package of poetry.lock
  Run run = multiStage(poetryApp("gunicorn"),
                       poetryContext(pyproject, "[[package]]\nname = \"psycopg2\"\nversion = \"2.9.9\"\n"));
  CHECK(run.messages == "info: not split: poetry.lock needs psycopg2, " + needs);

  // an extra that is not installed is not a package of the lock
  std::string lock =
      "[[package]]\nname = \"sqlalchemy\"\nversion = \"2.0.0\"\n\n"
      "[package.extras]\npostgresql = [\"psycopg2 (>=2.7)\"]\nmysql = [\"mysqlclient (>=1.4.0)\"]\n";
  CHECK(split(multiStage(poetryApp("gunicorn"), poetryContext(pyproject, lock))));

  // a dependency of pyproject.toml, in a Poetry group too
  run = multiStage(
      poetryApp("gunicorn"),
      poetryContext(pyproject + "\n[tool.poetry.group.db.dependencies]\nmysqlclient = \"^2.2\"\n"));
  CHECK(run.messages == "info: not split: pyproject.toml needs mysqlclient, " + needs);

  // requirements files, by their words: psycopg2-binary is another package
  std::string pip =
      "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
      "CMD [\"gunicorn\", \"app:app\"]\n";
  CHECK(split(multiStage(pip, {{"requirements.txt", "gunicorn\npsycopg2-binary==2.9.9\n"}})));
  run = multiStage(pip, {{"requirements.txt", "gunicorn\nPsycopg2==2.9.9 ; python_version > '3.8'\n"}});
  CHECK(run.messages == "info: not split: requirements.txt needs psycopg2, " + needs);
}

TEST_CASE("multi-stage: Cargo programs and OpenSSL from Cargo.toml and Cargo.lock",
          "[multi-stage][manifests]") {
  std::string rust =
      "FROM rust:1.77\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n"
      "CMD [\"./target/release/ledgerd\"]\n";
  std::string manifest = "[package]\nname = \"ledger\"\nversion = \"0.3.0\"\n\n[[bin]]\nname = \"ledgerd\"\n";
  Run run = multiStage(rust, {{"Cargo.toml", manifest}});
  CHECK(split(run));
  CHECK(run.after.ends_with("CMD [\"ledgerd\"]\n"));

  run = multiStage(
      rust, {{"Cargo.toml", manifest},
             {"Cargo.lock", "version = 3\n\n[[package]]\nname = \"openssl-sys\"\nversion = \"0.9.0\"\n"}});
  CHECK(run.messages ==
        "info: not split: the program links OpenSSL (openssl-sys in Cargo.lock), which debian:bookworm-slim "
        "lacks\n");

  run = multiStage(rust, {{"Cargo.toml", "[package\nname = \"ledger\"\n"}});
  CHECK(run.messages == "info: not split: Cargo.toml is not valid TOML\n");
}

TEST_CASE("multi-stage: tsconfig.json may hold comments", "[multi-stage][manifests]") {
  std::string node =
      "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\nCMD [\"npm\", \"start\"]\n";
  std::map<std::string, std::string> files = {
      {"package.json",
       R"({"scripts": {"build": "tsc", "start": "node server.js"}, "devDependencies": {"typescript": "^5"}})"},
      {"package-lock.json", "{}"},
      {"tsconfig.json", "{\n  // where tsc writes\n  \"compilerOptions\": {\"outDir\": \"out\"}\n}\n"}};
  Run run = multiStage(node, files);
  CHECK(split(run));
  CHECK(run.after.find("COPY --from=build /app/out ./out\n") != std::string::npos);

  files["package.json"] = "{\"scripts\": ";
  run = multiStage(node, files);
  CHECK(run.messages == "info: not split: package.json is not a JSON object\n");
}
