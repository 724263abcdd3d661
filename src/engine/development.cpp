#include "engine/development.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "util/text.h"

namespace dfopt::engine {
namespace {

constexpr std::array<std::string_view, 3> kDevelopmentNames = {"dev", "development", "debug"};

std::vector<std::string> nameParts(std::string_view text) {
  std::string name = text::lower(text);
  std::vector<std::string> parts;
  size_t at = 0;
  while (at <= name.size()) {
    size_t end = std::min(name.find_first_of(".-_", at), name.size());
    parts.push_back(name.substr(at, end - at));
    at = end + 1;
  }
  return parts;
}

bool hasDevelopmentPart(const std::vector<std::string>& parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [](const std::string& part) { return text::isOneOf(part, kDevelopmentNames); });
}

}  // namespace

bool isDevelopmentStageName(std::string_view name) { return hasDevelopmentPart(nameParts(name)); }

bool isDevelopmentFileName(std::string_view fileName) {
  std::vector<std::string> parts = nameParts(text::baseName(fileName));
  return text::isOneOf(std::string_view("dockerfile"), parts) && hasDevelopmentPart(parts);
}

}  // namespace dfopt::engine
