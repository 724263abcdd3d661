#pragma once
// Structured files of a build context, read with libraries: TOML
// (pyproject.toml, poetry.lock, uv.lock, Cargo.toml) with toml++, JSON
// (package.json, composer.json) with nlohmann-json. Never by hand or regex.
#include <optional>
#include <string_view>

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

namespace dfopt::engine {

// The document, or nothing when the text is not valid TOML.
std::optional<toml::table> parseToml(std::string_view text);

// The document, or nothing when the text is not valid JSON.
std::optional<nlohmann::json> parseJson(std::string_view text);

// The same for JSON with comments, which tsconfig.json allows.
std::optional<nlohmann::json> parseJsonWithComments(std::string_view text);

}  // namespace dfopt::engine
