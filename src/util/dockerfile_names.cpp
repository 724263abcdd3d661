#include "util/dockerfile_names.h"

#include <array>

#include "util/text.h"

namespace dfopt::text {
namespace {

// "dockerfile": the name docker build falls back to when there is no Dockerfile.
constexpr std::array<std::string_view, 3> kExactNames = {"Dockerfile", "Containerfile", "dockerfile"};
constexpr std::array<std::string_view, 2> kWords = {"Dockerfile", "Containerfile"};
constexpr std::array<std::string_view, 2> kLowerSuffixes = {".dockerfile", ".containerfile"};

bool isSeparator(char c) { return c == '.' || c == '-' || c == '_'; }

// "Dockerfile" or "Containerfile" as a word of the name, joined to other
// words by '.', '-' or '_': Dockerfile.dev, web.Dockerfile, Dockerfile-alpine,
// prod_Dockerfile, api_Dockerfile.builder.
bool hasDockerfileWord(std::string_view name) {
  for (std::string_view word : kWords) {
    for (size_t at = name.find(word); at != std::string_view::npos; at = name.find(word, at + 1)) {
      size_t end = at + word.size();
      bool joinedBefore = at == 0 || (at >= 2 && isSeparator(name[at - 1]));
      bool joinedAfter = end == name.size() || (end + 1 < name.size() && isSeparator(name[end]));
      if (joinedBefore && joinedAfter) return true;
    }
  }
  return false;
}

// Extensions of files next to a Dockerfile that share its name but are not
// one (compared in lower case).
constexpr std::array<std::string_view, 20> kNotDockerfiles = {
    ".md",  ".txt",          ".rst",      ".adoc", ".orig", ".rej", ".bak",   ".swp",    ".swo", ".tmp",
    ".old", ".dockerignore", ".template", ".tmpl", ".tpl",  ".j2",  ".jinja", ".jinja2", ".erb", ".in"};

// Hidden files are editors' and dfopt's own temporaries (.Dockerfile.dfopt-XXXXXX).
bool looksLikeADockerfile(std::string_view name) {
  if (name.starts_with('.')) return false;
  if (text::isOneOf(name, kExactNames) || hasDockerfileWord(name)) return true;
  for (std::string_view suffix : kLowerSuffixes) {
    if (name.ends_with(suffix) && name.size() > suffix.size()) return true;
  }
  return false;
}

bool hasANonDockerfileExtension(std::string_view name) {
  if (name.ends_with('~')) return true;
  std::string lowered = text::lower(name);
  for (std::string_view extension : kNotDockerfiles) {
    if (std::string_view(lowered).ends_with(extension)) return true;
  }
  return false;
}

}  // namespace

bool isDockerfileName(std::string_view name) {
  return looksLikeADockerfile(name) && !hasANonDockerfileExtension(name);
}

}  // namespace dfopt::text
