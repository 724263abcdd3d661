#include "util/dockerfile_names.h"

#include <array>

#include "util/text.h"

namespace dfopt::text {
namespace {

// "dockerfile": the name docker build falls back to when there is no Dockerfile.
constexpr std::array<std::string_view, 3> kExactNames = {"Dockerfile", "Containerfile", "dockerfile"};
constexpr std::array<std::string_view, 2> kPrefixes = {"Dockerfile.", "Containerfile."};
constexpr std::array<std::string_view, 4> kSuffixes = {".Dockerfile", ".Containerfile", ".dockerfile",
                                                       ".containerfile"};

// Extensions of files next to a Dockerfile that share its name but are not
// one (compared in lower case).
constexpr std::array<std::string_view, 20> kNotDockerfiles = {
    ".md",  ".txt",          ".rst",      ".adoc", ".orig", ".rej", ".bak",   ".swp",    ".swo", ".tmp",
    ".old", ".dockerignore", ".template", ".tmpl", ".tpl",  ".j2",  ".jinja", ".jinja2", ".erb", ".in"};

bool looksLikeADockerfile(std::string_view name) {
  if (text::isOneOf(name, kExactNames)) return true;
  for (std::string_view prefix : kPrefixes) {
    if (name.starts_with(prefix) && name.size() > prefix.size()) return true;
  }
  for (std::string_view suffix : kSuffixes) {
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
