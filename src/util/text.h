#pragma once
// Small text and path helpers that every room uses. Paths are '/'-separated.
#include <algorithm>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>

namespace dfopt::text {

// ASCII lower case (image names, keywords, file names).
std::string lower(std::string_view text);

// ASCII upper case (keywords in messages).
std::string upper(std::string_view text);

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Is `word` one of `list` (an array, vector or braced list)?
template <typename List>
bool isOneOf(std::string_view word, const List& list) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}
inline bool isOneOf(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// The last component: "a/b/c" -> "c", "c" -> "c". By memrchr, which reads
// many bytes a step: callers ask it of every path of a build context.
inline std::string_view baseName(std::string_view path) {
  const void* slash = path.empty() ? nullptr : memrchr(path.data(), '/', path.size());
  if (!slash) return path;
  return path.substr(static_cast<size_t>(static_cast<const char*>(slash) - path.data()) + 1);
}

// All but the last component: "a/b" -> "a", "/a" -> "/", "a" -> ".".
std::string dirName(std::string_view path);

// Is `path` the directory `dir` or inside it (both normalised; "/" holds all)?
bool isUnder(std::string_view path, std::string_view dir);

// Does a COPY/ADD source use a wildcard ('*', '?' or '[')?
inline bool hasGlob(std::string_view path) { return path.find_first_of("*?[") != std::string_view::npos; }

}  // namespace dfopt::text
