#include "verify/touch_file.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <vector>

#include "engine/ecosystem.h"
#include "util/text.h"

namespace dfopt::verify {
namespace fs = std::filesystem;

namespace {

const std::set<std::string>& sourceExtensions() {
  static const std::set<std::string> extensions = {
      ".py",   ".js",  ".mjs",   ".cjs",   ".ts", ".tsx",  ".jsx", ".go",  ".rb",    ".php",
      ".java", ".kt",  ".scala", ".rs",    ".c",  ".cc",   ".cpp", ".h",   ".hpp",   ".cs",
      ".ex",   ".exs", ".erl",   ".swift", ".sh", ".html", ".css", ".vue", ".svelte"};
  return extensions;
}

}  // namespace

bool isManifestOrBuildFile(const std::string& name) {
  for (const engine::EcosystemInfo& ecosystem : engine::allEcosystems()) {
    if (text::isOneOf(name, ecosystem.manifests) || text::isOneOf(name, ecosystem.markers)) return true;
  }
  // pip's manifests have no fixed name in the table: its requirements files,
  // and the setuptools files that describe the package.
  if (name.starts_with("requirements") && name.ends_with(".txt")) return true;
  if (text::isOneOf(name, {"setup.py", "setup.cfg"})) return true;
  if (text::isOneOf(name, {".dockerignore", "Dockerfile", "Containerfile"})) return true;
  return name.ends_with(".Dockerfile") || name.starts_with("Dockerfile.");
}

std::optional<std::string> pickTouchFile(const context::BuildContext& context,
                                         const context::Dockerignore& rewrittenIgnore) {
  std::vector<std::string> source, other;
  for (const std::string& path : context.files()) {
    std::string name = fs::path(path).filename().string();
    if (isManifestOrBuildFile(name) || name.starts_with('.')) continue;
    if (context.dockerignore().excludes(path) || rewrittenIgnore.excludes(path)) continue;
    if (fs::path(path).begin()->string().starts_with('.')) continue;  // .git, .venv, ...
    (sourceExtensions().contains(fs::path(path).extension().string()) ? source : other).push_back(path);
  }
  auto byDepth = [](const std::string& a, const std::string& b) {
    auto depth = [](const std::string& p) { return std::count(p.begin(), p.end(), '/'); };
    return std::make_pair(depth(a), a) < std::make_pair(depth(b), b);
  };
  std::sort(source.begin(), source.end(), byDepth);
  std::sort(other.begin(), other.end(), byDepth);
  if (!source.empty()) return source.front();
  if (!other.empty()) return other.front();
  return std::nullopt;
}

std::string touchSuffix(const std::string& path) {
  static const std::set<std::string> hash = {".py",   ".rb",   ".sh",  ".ex", ".exs",
                                             ".toml", ".yaml", ".yml", ".txt"};
  static const std::set<std::string> slashes = {
      ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go",    ".java", ".kt",  ".scala", ".rs",
      ".c",  ".cc",  ".cpp", ".h",  ".hpp", ".cs",  ".swift", ".php",  ".css", ".vue",   ".svelte"};
  std::string extension = fs::path(path).extension().string();
  if (hash.contains(extension)) return "\n# touched by dfopt verify\n";
  if (slashes.contains(extension)) return "\n// touched by dfopt verify\n";
  return "\n";
}

}  // namespace dfopt::verify
