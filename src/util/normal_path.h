#pragma once
// A path's lexically normal form, cheaply when it is normal already.
#include <filesystem>
#include <string_view>

namespace dfopt::util {

// path.lexically_normal(), without its parse of the names when the path is
// normal already (no "." or ".." name, no doubled or trailing '/'), as the
// paths a directory walk makes are: a walk asks it of every file and folder.
std::filesystem::path lexicallyNormal(const std::filesystem::path& path);
// Is the text of a path normal already (lexicallyNormal returns it as it is)?
bool isLexicallyNormal(std::string_view text);

}  // namespace dfopt::util
