#pragma once
// What the parts of the lockfile transform share: the project installs it
// recognises and the lock-exact form of each (installs.cpp), and whether a
// lock file still matches its manifest, so that the locked install would not
// fail where the resolving one succeeded (consistency.cpp).
#include <optional>
#include <string>
#include <vector>

#include "context/build_context.h"
#include "engine/ecosystem.h"
#include "engine/edit.h"
#include "engine/source_commands.h"
#include "model/dockerfile.h"

namespace dfopt::transforms::lockfile {

using engine::SourceCommand;

// An install of a project's dependencies that can honour its lock file.
struct Install {
  engine::Ecosystem ecosystem = engine::Ecosystem::Npm;
  std::string label;      // how messages name it: "npm install", "cargo build"
  std::string directory;  // where it runs, relative to the command's directory ("." or --prefix...)
  bool searchUp = false;  // the lock may be in a parent directory (a Cargo workspace)
  std::string locked;     // the lock-exact form, for messages: "npm ci", "--frozen-lockfile"
  std::string why;        // what the unlocked form does with the lock file
  std::vector<engine::Edit> edits;
  std::optional<std::string> problem;  // why it is kept as it is (an info), when it is
  bool alreadyLocked = false;          // nothing to do, nothing to say
};

// What the stage around the command says, for the installs that depend on it.
struct Scope {
  bool json = false;           // the RUN is in exec (JSON) form
  int nodeMajor = 0;           // of an official node base image, 0 when unknown
  bool bundlerFrozen = false;  // BUNDLE_FROZEN/BUNDLE_DEPLOYMENT or `bundle config` frozen/deployment
  const context::BuildContext* context = nullptr;
};

// The install the command runs, or nothing when it is none this transform
// handles (a global install, one that names packages, a build script).
std::optional<Install> installOf(const SourceCommand& command, const Scope& scope);

// Yarn 2 and newer: the lock file's format, else .yarnrc.yml or
// package.json's packageManager in the manifest's directory.
bool isYarnBerry(const context::BuildContext& context, const std::string& lock, const std::string& directory);

// The rewrite of a yarn install for Yarn 2+ (--immutable) instead of Yarn 1.
void useYarnBerry(Install& install, const SourceCommand& command, const Scope& scope);

struct LockProblem {
  std::string reason;
  bool certain = true;  // the locked install fails, rather than may fail
  std::string advice;   // what to do, when it is more than updating the lock
};

// Why the lock file would make the locked install fail, or nothing: a
// dependency of the manifest the lock does not have, a pnpm lock of an
// older format with no pnpm pinned, Gemfile.lock without a Linux platform.
std::optional<LockProblem> lockProblem(engine::Ecosystem ecosystem, const context::BuildContext& context,
                                       const std::string& lock, const std::string& manifest);

}  // namespace dfopt::transforms::lockfile
