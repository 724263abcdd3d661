#pragma once
// Go's path/filepath functions that Docker applies to .dockerignore
// patterns, for '/'-separated paths.
#include <string>
#include <string_view>

namespace dfopt::context {

// filepath.Clean: "a//b/./c/.." -> "a/b", "" -> ".", "/../a" -> "/a".
std::string cleanGoPath(std::string_view path);

// Would filepath.Match accept this pattern (no ErrBadPattern)? That is a
// well-formed '[...]' class (non-empty, no '-' or ']' where a rune belongs,
// closed) and no trailing '\'.
bool isWellFormedGlob(std::string_view pattern);

}  // namespace dfopt::context
