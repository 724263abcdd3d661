#pragma once
// The package ecosystems dfopt knows: the manifest and lock files that mark
// them in a build context, and what they leave behind that images and build
// contexts should not carry.
#include <string>
#include <string_view>
#include <vector>

#include "context/build_context.h"

namespace dfopt::engine {

enum class Ecosystem {
  Pip,
  Poetry,
  Pipenv,
  Uv,
  Npm,
  Yarn,
  Pnpm,
  Go,
  Cargo,
  Maven,
  Gradle,
  Bundler,
  Composer
};

struct EcosystemInfo {
  Ecosystem ecosystem;
  std::string_view name;                  // "pip", "poetry", ...
  std::vector<std::string_view> markers;  // any of these files marks the ecosystem
  std::vector<std::string_view>
      manifests;  // files the dependency install reads (those that exist are copied)
  std::vector<std::string_view> ignoreEntries;  // .dockerignore entries for what it leaves behind
};

const std::vector<EcosystemInfo>& allEcosystems();
const EcosystemInfo& infoFor(Ecosystem ecosystem);

// The ecosystems whose markers exist in `directory` of the context ("." for
// the root). pip is marked by any requirements*.txt.
std::vector<Ecosystem> ecosystemsIn(const context::BuildContext& context, std::string_view directory);

// The manifests of `ecosystem` that exist in `directory`, as context paths.
std::vector<std::string> existingManifests(const context::BuildContext& context, std::string_view directory,
                                           Ecosystem ecosystem);

// `directory` joined with `name` as a context path ("." + "a" -> "a").
std::string contextPath(std::string_view directory, std::string_view name);

// "requirements.txt", "requirements-dev.txt": a pip requirements file, by its name.
bool isRequirementsFile(std::string_view name);

// The lock file the ecosystem's tool writes and its locked install reads
// ("package-lock.json" for npm, "yarn.lock"), or "" when it has none.
std::string_view lockFileOf(Ecosystem ecosystem);

// The manifests of which one must exist for the ecosystem's install to run:
// its first manifest (pyproject.toml, package.json, go.mod...), for gradle any
// of its build and settings files, for pip none (its commands name the files).
std::vector<std::string_view> requiredManifests(Ecosystem ecosystem);

}  // namespace dfopt::engine
