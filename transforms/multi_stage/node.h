#pragma once
// What the parts of the Node recipe share (node.cpp writes the plan,
// node_install.cpp the installs): which package manager the stage runs, the
// production install it gets, exactly as the lock file pins it, and the
// command that leaves only the production dependencies in node_modules.
#include <string>
#include <vector>

#include "engine/manifests.h"
#include "transforms/multi_stage/job.h"

namespace dfopt::transforms::multi_stage {

enum class NodeManager { Npm, YarnClassic, YarnBerry, Pnpm };

struct NodeInstall {
  NodeManager manager = NodeManager::Npm;
  std::vector<std::string> manifests;  // the context files the install reads, as a COPY lists them
  bool locked = false;                 // a lock file among them pins every version
  std::string command;                 // installs the production dependencies only, from the manifests
  // The same, in place of the stage's own installs: locked only when a COPY
  // brings the lock file before each of them.
  std::string stageCommand;
  bool stageLocked = false;
  std::string prune;               // removes the devDependencies from node_modules ("" when none)
  std::vector<std::string> setup;  // makes the manager available (corepack enable, npm i -g pnpm)
  std::vector<size_t> installs;    // the stage's own install commands, in job.facts.commands
};

// The production install of the stage's package manager, from the
// manifests of `source`; a refusal when dfopt cannot write one that
// honours the lock file.
NodeInstall nodeInstallOf(const Job& job, const DirectoryCopy& source, const nlohmann::json& package);

// The value of a string in package.json ("main", "scripts"/"build"), "" when there is none.
std::string packageString(const nlohmann::json& package, std::string_view key, std::string_view inner = "");

}  // namespace dfopt::transforms::multi_stage
