// The source file verify edits before the rebuilds.
#include <catch2/catch.hpp>

#include "engine/ecosystem.h"
#include "verify/touch_file.h"

using namespace dfopt;
using verify::isManifestOrBuildFile;
using verify::pickTouchFile;

namespace {

std::optional<std::string> pick(std::map<std::string, std::string> files,
                                const std::string& rewrittenIgnore = "") {
  auto context = context::BuildContext::fromFiles(std::move(files));
  return pickTouchFile(context, context::Dockerignore::parse(rewrittenIgnore));
}

}  // namespace

TEST_CASE("manifests, lock files and build files are not source", "[verify]") {
  const char* names[] = {"requirements.txt",
                         "requirements-dev.txt",
                         "pyproject.toml",
                         "poetry.lock",
                         "Pipfile",
                         "Pipfile.lock",
                         "setup.py",
                         "setup.cfg",
                         "package.json",
                         "package-lock.json",
                         "npm-shrinkwrap.json",
                         "yarn.lock",
                         "pnpm-lock.yaml",
                         "go.mod",
                         "go.sum",
                         "Gemfile",
                         "Gemfile.lock",
                         "Cargo.toml",
                         "Cargo.lock",
                         "pom.xml",
                         "build.gradle",
                         "build.gradle.kts",
                         "composer.json",
                         "composer.lock",
                         ".dockerignore",
                         "Dockerfile",
                         "Dockerfile.prod",
                         "app.Dockerfile",
                         "Containerfile"};
  for (const char* name : names) {
    INFO(name);
    CHECK(isManifestOrBuildFile(name));
  }
  for (const char* name : {"app.py", "main.go", "server.js", "README.md", "requirements.in", "config.toml"}) {
    INFO(name);
    CHECK_FALSE(isManifestOrBuildFile(name));
  }
}

TEST_CASE("every manifest and marker of the engine's ecosystems is not source", "[verify]") {
  for (const char* name : {"uv.lock", "poetry.toml", "pnpm-workspace.yaml", "settings.gradle",
                           "settings.gradle.kts", "gradle.properties", "gradlew"}) {
    INFO(name);
    CHECK(isManifestOrBuildFile(name));
  }
  for (const engine::EcosystemInfo& ecosystem : engine::allEcosystems()) {
    for (std::string_view name : ecosystem.manifests) {
      INFO(name);
      CHECK(isManifestOrBuildFile(std::string(name)));
    }
    for (std::string_view name : ecosystem.markers) {
      INFO(name);
      CHECK(isManifestOrBuildFile(std::string(name)));
    }
  }
}

TEST_CASE("the touch file: source first, shallow first", "[verify]") {
  CHECK(pick({{"requirements.txt", "flask\n"}, {"app.py", ""}, {"Dockerfile", ""}}) == "app.py");
  CHECK(pick({{"src/pkg/main.py", ""}, {"setup.py", ""}, {"README.md", ""}}) == "src/pkg/main.py");
  CHECK(pick({{"README.md", ""}, {"package.json", "{}"}}) == "README.md");
  CHECK(pick({{"b.py", ""}, {"a.py", ""}, {"lib/c.py", ""}}) == "a.py");
  CHECK(pick({{"pnpm-workspace.yaml", ""}, {"gradle.properties", ""}, {"static/logo.svg", ""}}) ==
        "static/logo.svg");
  CHECK_FALSE(pick({{"package.json", "{}"}, {"Dockerfile", ""}}));
}

TEST_CASE("the touch file reaches the image", "[verify]") {
  CHECK(pick({{".dockerignore", "app.py\n"}, {"app.py", ""}, {"lib/util.py", ""}}) == "lib/util.py");
  CHECK(pick({{"app.py", ""}, {"lib/util.py", ""}}, "app.py\n") == "lib/util.py");
  CHECK(pick({{".venv/lib/site.py", ""}, {".env", ""}, {"notes.txt", ""}}) == "notes.txt");
}

TEST_CASE("the edit is a comment the file's language ignores", "[verify]") {
  CHECK(verify::touchSuffix("app.py") == "\n# touched by dfopt verify\n");
  CHECK(verify::touchSuffix("src/server.js") == "\n// touched by dfopt verify\n");
  CHECK(verify::touchSuffix("README.md") == "\n");
}
