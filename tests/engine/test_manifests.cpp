// Manifests read with toml++ and nlohmann-json: documents, and nothing for
// text that is not valid.
#include <catch2/catch.hpp>

#include "engine/manifests.h"

using namespace dfopt;

TEST_CASE("TOML manifests parse with toml++", "[engine][manifests]") {
  auto pyproject = engine::parseToml(
      "[tool.poetry]\nname = \"app\"\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\n"
      "flask = { version = \"^3.0\", extras = [\"async\"] }\n");
  REQUIRE(pyproject);
  CHECK(pyproject->at_path("tool.poetry.dependencies.python").value_or(std::string()) == "^3.11");
  CHECK(pyproject->at_path("tool.poetry.dependencies.flask").is_table());
  CHECK_FALSE(engine::parseToml("[tool.poetry\nname = 1\n"));
  CHECK_FALSE(engine::parseToml("a = 1\na = 2\n"));  // a key defined twice
}

TEST_CASE("JSON manifests parse with nlohmann-json", "[engine][manifests]") {
  auto package = engine::parseJson(R"({"name": "app", "engines": {"node": ">=18"}})");
  REQUIRE(package);
  CHECK((*package)["engines"]["node"] == ">=18");
  CHECK_FALSE(engine::parseJson("{\"name\": "));
  CHECK_FALSE(engine::parseJson(""));
}

TEST_CASE("JSON with comments, as tsconfig.json has them", "[engine][manifests]") {
  auto tsconfig =
      engine::parseJsonWithComments("{\n  // where tsc writes\n  \"outDir\": \"dist\" /* built */\n}\n");
  REQUIRE(tsconfig);
  CHECK((*tsconfig)["outDir"] == "dist");
  CHECK_FALSE(engine::parseJson("{\n  // where tsc writes\n  \"outDir\": \"dist\"\n}\n"));
  CHECK_FALSE(engine::parseJsonWithComments("{\"outDir\": "));
}
