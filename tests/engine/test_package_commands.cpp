// Recognising the package tools that RUN commands run.
#include <catch2/catch.hpp>

#include "engine/package_commands.h"

using namespace dfopt;
using engine::Ecosystem;
using engine::PackageTool;

namespace {

std::optional<engine::PackageCommand> recognise(std::vector<std::string> words) {
  return engine::packageCommandOf(words);
}

}  // namespace

TEST_CASE("pip and python program names", "[engine]") {
  for (const char* name : {"pip", "pip3", "pip3.12"}) CHECK(engine::isPipProgram(name));
  for (const char* name : {"pip2", "pipx", "pipenv", "pip3.", "xpip", ""})
    CHECK_FALSE(engine::isPipProgram(name));
  for (const char* name : {"python", "python3", "python3.11"}) CHECK(engine::isPythonProgram(name));
  for (const char* name : {"python2", "python3.x", "ipython", "pythonw"})
    CHECK_FALSE(engine::isPythonProgram(name));
}

TEST_CASE("pip is recognised however it is started", "[engine]") {
  auto pip = recognise({"pip", "install", "-r", "requirements.txt"});
  REQUIRE(pip);
  CHECK(pip->tool == PackageTool::Pip);
  CHECK(pip->subcommand == 1);

  auto path = recognise({"/usr/local/bin/pip3.12", "install"});
  REQUIRE(path);
  CHECK(path->tool == PackageTool::Pip);

  auto module = recognise({"python3", "-m", "pip", "install"});
  REQUIRE(module);
  CHECK(module->tool == PackageTool::Pip);
  CHECK(module->subcommand == 3);

  auto uvPip = recognise({"uv", "pip", "install", "-r", "requirements.txt"});
  REQUIRE(uvPip);
  CHECK(uvPip->tool == PackageTool::UvPip);
  CHECK(uvPip->subcommand == 2);

  CHECK_FALSE(recognise({"python", "-m", "venv", "/opt/venv"}));
  CHECK_FALSE(recognise({"python2", "-m", "pip", "install"}));
  CHECK_FALSE(recognise({"python3", "-c", "pip"}));
}

TEST_CASE("each package tool is recognised by its program", "[engine]") {
  std::vector<std::pair<std::string, PackageTool>> programs = {{"uv", PackageTool::Uv},
                                                               {"pipenv", PackageTool::Pipenv},
                                                               {"poetry", PackageTool::Poetry},
                                                               {"npm", PackageTool::Npm},
                                                               {"yarn", PackageTool::Yarn},
                                                               {"pnpm", PackageTool::Pnpm},
                                                               {"corepack", PackageTool::Corepack},
                                                               {"go", PackageTool::Go},
                                                               {"cargo", PackageTool::Cargo},
                                                               {"mvn", PackageTool::Maven},
                                                               {"./mvnw", PackageTool::Maven},
                                                               {"gradle", PackageTool::Gradle},
                                                               {"./gradlew", PackageTool::Gradle},
                                                               {"bundle", PackageTool::Bundler},
                                                               {"composer", PackageTool::Composer}};
  for (const auto& [program, tool] : programs) {
    INFO(program);
    auto command = recognise({program, "install"});
    REQUIRE(command);
    CHECK(command->tool == tool);
    CHECK(command->subcommand == 1);
  }
}

TEST_CASE("other commands are no package tool", "[engine]") {
  CHECK_FALSE(recognise({}));
  CHECK_FALSE(recognise({"apt-get", "install", "-y", "gcc"}));
  CHECK_FALSE(recognise({"npx", "tsc"}));
  CHECK_FALSE(recognise({"gem", "install", "bundler"}));
  CHECK_FALSE(recognise({"sh", "gradlew", "build"}));
  CHECK_FALSE(recognise({"python", "main.py"}));
}

TEST_CASE("package tools map to their ecosystems", "[engine]") {
  CHECK(engine::ecosystemOf(PackageTool::Pip) == Ecosystem::Pip);
  CHECK(engine::ecosystemOf(PackageTool::UvPip) == Ecosystem::Pip);
  CHECK(engine::ecosystemOf(PackageTool::Uv) == Ecosystem::Uv);
  CHECK(engine::ecosystemOf(PackageTool::Maven) == Ecosystem::Maven);
  CHECK(engine::ecosystemOf(PackageTool::Bundler) == Ecosystem::Bundler);
  CHECK_FALSE(engine::ecosystemOf(PackageTool::Corepack));

  CHECK(engine::ecosystemOfProgram("pip3") == Ecosystem::Pip);
  CHECK(engine::ecosystemOfProgram("./mvnw") == Ecosystem::Maven);
  CHECK(engine::ecosystemOfProgram("gradlew") == Ecosystem::Gradle);
  CHECK(engine::ecosystemOfProgram("uv") == Ecosystem::Uv);
  CHECK(engine::ecosystemOfProgram("composer") == Ecosystem::Composer);
  CHECK_FALSE(engine::ecosystemOfProgram("python"));
  CHECK_FALSE(engine::ecosystemOfProgram("npx"));
  CHECK_FALSE(engine::ecosystemOfProgram("corepack"));
}

TEST_CASE("package tools are named as users write them", "[engine]") {
  CHECK(engine::packageToolName(PackageTool::Pip) == "pip");
  CHECK(engine::packageToolName(PackageTool::UvPip) == "uv pip");
  CHECK(engine::packageToolName(PackageTool::Bundler) == "bundle");
  CHECK(engine::packageToolName(PackageTool::Maven) == "mvn");
}
