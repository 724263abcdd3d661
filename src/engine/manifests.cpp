#include "engine/manifests.h"

namespace dfopt::engine {

std::optional<toml::table> parseToml(std::string_view text) {
  try {
    return toml::parse(text);
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
}

std::optional<nlohmann::json> parseJson(std::string_view text) {
  nlohmann::json document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return std::nullopt;
  return document;
}

std::optional<nlohmann::json> parseJsonWithComments(std::string_view text) {
  nlohmann::json document =
      nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (document.is_discarded()) return std::nullopt;
  return document;
}

}  // namespace dfopt::engine
