// The README documents every transform of the list: a row of its table,
// and a golden folder of at least eight cases.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "transforms/transforms.h"

using namespace dfopt;

namespace {

std::string readSourceFile(const std::string& relative) {
  std::ifstream in(std::string(DFOPT_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("every transform has a row in the README's table and a golden folder", "[docs]") {
  std::string readme = readSourceFile("README.md");
  REQUIRE_FALSE(readme.empty());
  for (const engine::Transform* transform : transforms::all()) {
    std::string name(transform->name());
    INFO(name);
    CHECK(readme.find(fmt::format("\n| `{}` | ", name)) != std::string::npos);
    size_t cases = 0;
    std::filesystem::path folder = std::filesystem::path(DFOPT_SOURCE_DIR) / "golden" / name;
    if (std::filesystem::is_directory(folder)) {
      for (const auto& entry : std::filesystem::directory_iterator(folder)) cases += entry.is_directory();
    }
    CHECK(cases >= 8u);
  }
}
