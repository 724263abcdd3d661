#include "engine/ecosystem.h"

#include <algorithm>

namespace dfopt::engine {

const std::vector<EcosystemInfo>& allEcosystems() {
  static const std::vector<EcosystemInfo> ecosystems = {
      {Ecosystem::Poetry,
       "poetry",
       {"poetry.lock"},
       {"pyproject.toml", "poetry.lock", "poetry.toml"},
       {"**/__pycache__", "**/*.py[cod]", ".venv", "venv", ".pytest_cache", ".mypy_cache", "dist", "build",
        "*.egg-info"}},
      {Ecosystem::Uv,
       "uv",
       {"uv.lock"},
       {"pyproject.toml", "uv.lock", ".python-version"},
       {"**/__pycache__", "**/*.py[cod]", ".venv", ".pytest_cache", ".mypy_cache", "dist", "build",
        "*.egg-info"}},
      {Ecosystem::Pipenv,
       "pipenv",
       {"Pipfile"},
       {"Pipfile", "Pipfile.lock"},
       {"**/__pycache__", "**/*.py[cod]", ".venv", ".pytest_cache", ".mypy_cache"}},
      {Ecosystem::Pip,
       "pip",
       {},
       {},
       {"**/__pycache__", "**/*.py[cod]", ".venv", "venv", ".pytest_cache", ".mypy_cache", ".tox",
        "*.egg-info"}},
      {Ecosystem::Npm,
       "npm",
       {"package-lock.json", "npm-shrinkwrap.json"},
       {"package.json", "package-lock.json", "npm-shrinkwrap.json", ".npmrc"},
       {"node_modules", "npm-debug.log*", "coverage", ".next", ".nuxt"}},
      {Ecosystem::Yarn,
       "yarn",
       {"yarn.lock"},
       {"package.json", "yarn.lock", ".yarnrc", ".yarnrc.yml", ".npmrc"},
       {"node_modules", "yarn-error.log", "coverage", ".next", ".nuxt"}},
      {Ecosystem::Pnpm,
       "pnpm",
       {"pnpm-lock.yaml"},
       {"package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", ".npmrc"},
       {"node_modules", "pnpm-debug.log*", "coverage", ".next", ".nuxt"}},
      {Ecosystem::Go, "go", {"go.mod"}, {"go.mod", "go.sum"}, {"bin", "*.test", "coverage.out"}},
      {Ecosystem::Cargo, "cargo", {"Cargo.toml"}, {"Cargo.toml", "Cargo.lock"}, {"target"}},
      {Ecosystem::Maven, "maven", {"pom.xml"}, {"pom.xml"}, {"target", ".mvn/wrapper/maven-wrapper.jar"}},
      {Ecosystem::Gradle,
       "gradle",
       {"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"},
       {"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle.properties",
        "gradlew", "gradle"},
       {"build", ".gradle"}},
      {Ecosystem::Bundler,
       "bundler",
       {"Gemfile"},
       {"Gemfile", "Gemfile.lock"},
       {".bundle", "vendor/bundle", "log", "tmp"}},
      {Ecosystem::Composer, "composer", {"composer.json"}, {"composer.json", "composer.lock"}, {"vendor"}},
  };
  return ecosystems;
}

const EcosystemInfo& infoFor(Ecosystem ecosystem) {
  const auto& all = allEcosystems();
  return *std::find_if(all.begin(), all.end(),
                       [&](const EcosystemInfo& info) { return info.ecosystem == ecosystem; });
}

std::string contextPath(std::string_view directory, std::string_view name) {
  if (directory.empty() || directory == ".") return std::string(name);
  std::string path(directory);
  if (path.back() != '/') path += '/';
  return path + std::string(name);
}

static bool hasRequirementsFile(const context::BuildContext& context, std::string_view directory) {
  const std::string folder = directory == "." ? "" : contextPath(directory, "");
  const std::string prefix = folder + "requirements";
  // The files are sorted: those whose paths start so are adjacent.
  const std::vector<std::string>& files = context.files();
  for (auto it = std::lower_bound(files.begin(), files.end(), prefix);
       it != files.end() && it->starts_with(prefix); ++it) {
    std::string_view name = std::string_view(*it).substr(folder.size());
    if (name.find('/') == std::string_view::npos && isRequirementsFile(name)) return true;
  }
  return false;
}

std::vector<Ecosystem> ecosystemsIn(const context::BuildContext& context, std::string_view directory) {
  std::vector<Ecosystem> found;
  for (const EcosystemInfo& info : allEcosystems()) {
    bool marked = std::any_of(info.markers.begin(), info.markers.end(), [&](std::string_view marker) {
      return context.exists(contextPath(directory, marker));
    });
    if (info.ecosystem == Ecosystem::Pip) marked = hasRequirementsFile(context, directory);
    if (info.ecosystem == Ecosystem::Npm && !marked) {
      // package.json alone: npm, unless yarn or pnpm lock files say otherwise
      marked = context.exists(contextPath(directory, "package.json")) &&
               !context.exists(contextPath(directory, "yarn.lock")) &&
               !context.exists(contextPath(directory, "pnpm-lock.yaml"));
    }
    if (marked) found.push_back(info.ecosystem);
  }
  return found;
}

std::vector<std::string> existingManifests(const context::BuildContext& context, std::string_view directory,
                                           Ecosystem ecosystem) {
  std::vector<std::string> found;
  for (std::string_view manifest : infoFor(ecosystem).manifests) {
    std::string path = contextPath(directory, manifest);
    if (context.exists(path)) found.push_back(path);
  }
  return found;
}

bool isRequirementsFile(std::string_view name) {
  return name.starts_with("requirements") && name.ends_with(".txt");
}

std::string_view lockFileOf(Ecosystem ecosystem) {
  switch (ecosystem) {
    case Ecosystem::Poetry:
      return "poetry.lock";
    case Ecosystem::Uv:
      return "uv.lock";
    case Ecosystem::Pipenv:
      return "Pipfile.lock";
    case Ecosystem::Npm:
      return "package-lock.json";
    case Ecosystem::Yarn:
      return "yarn.lock";
    case Ecosystem::Pnpm:
      return "pnpm-lock.yaml";
    case Ecosystem::Cargo:
      return "Cargo.lock";
    case Ecosystem::Bundler:
      return "Gemfile.lock";
    case Ecosystem::Composer:
      return "composer.lock";
    case Ecosystem::Pip:
    case Ecosystem::Go:  // go.mod pins the versions itself; go.sum holds checksums
    case Ecosystem::Maven:
    case Ecosystem::Gradle:
      return "";
  }
  return "";
}

std::vector<std::string_view> requiredManifests(Ecosystem ecosystem) {
  const EcosystemInfo& info = infoFor(ecosystem);
  if (ecosystem == Ecosystem::Gradle) return info.markers;
  if (info.manifests.empty()) return {};
  return {info.manifests.front()};
}

}  // namespace dfopt::engine
