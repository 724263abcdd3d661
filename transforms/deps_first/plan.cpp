// The plan for one install RUN: the full copy above it, and the manifests
// each of its installs reads, found where the install runs.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "model/queries.h"
#include "model/variables.h"
#include "transforms/deps_first/install.h"
#include "transforms/deps_first/words.h"

namespace dfopt::transforms::deps_first {

using engine::Ecosystem;
using model::Instruction;
using shell::Command;

namespace {

std::optional<std::string> expanded(const std::string& text, const model::Dockerfile& file, size_t index) {
  if (!model::hasVariable(text)) return text;
  return model::expandVariables(text, model::variablesBefore(file, index));
}

std::string argumentValue(const Instruction& instruction, size_t index) {
  return instruction.jsonForm ? instruction.buildkit.next[index].value : instruction.arguments[index].text;
}

}  // namespace

std::optional<FullCopy> fullCopyAt(const model::Dockerfile& file, size_t index,
                                   const context::BuildContext& context) {
  const Instruction& copy = file.instructions[index];
  if (!(copy.is("copy") || copy.is("add")) || copy.flag("from") || !copy.heredocs.empty())
    return std::nullopt;
  size_t count = copy.jsonForm ? copy.buildkit.next.size() : copy.arguments.size();
  if (count < 2) return std::nullopt;
  FullCopy full;
  full.index = index;
  for (size_t i = 0; i + 1 < count; ++i) {
    auto source = expanded(argumentValue(copy, i), file, index);
    if (!source) continue;
    std::string path = context::cleanPath(*source);
    if (path == "." || context.isDirectory(path)) full.sourceDirectories.push_back(path);
  }
  if (full.sourceDirectories.empty()) return std::nullopt;
  full.writtenDestination = argumentValue(copy, count - 1);
  auto destination = expanded(full.writtenDestination, file, index);
  auto workdir = model::workdirBefore(file, index);
  if (!destination || !workdir) {
    full.problem = "the copy's destination uses a variable with no known value";
  } else {
    full.destination = model::resolvePath(*workdir, model::unquoteValue(*destination));
  }
  for (std::string_view flag : {"parents", "exclude"}) {
    if (copy.flag(flag)) full.problem = fmt::format("the copy uses --{}, which dfopt does not mirror", flag);
  }
  return full;
}

Plan planInstalls(const model::Dockerfile& file, size_t runIndex, const shell::Script& script,
                  const Segment& segment, const FullCopy& copy, const context::BuildContext& context) {
  Plan plan;
  auto workdir = model::workdirBefore(file, runIndex);
  if (!workdir) {
    plan.problem = "the working directory uses a variable with no known value";
    return plan;
  }
  std::string cwd = *workdir;
  for (size_t i = 0; i < segment.end; ++i) {
    const Command& command = script.commands[i];
    if (word(command, 0) == "cd" && segment.roles[i] == Role::Session)
      cwd = model::resolvePath(cwd, word(command, 1));
    if (!segment.installs[i]) continue;
    const Install& install = *segment.installs[i];
    auto inCopy = relativeTo(cwd, copy.destination);
    if (!inCopy) {
      plan.problem = fmt::format("{} runs in {}, but the copy puts the source in {}", install.label, cwd,
                                 copy.destination);
      return plan;
    }
    // Of the copied directories, the one that holds the install's manifests.
    Manifests manifests;
    for (const std::string& copied : copy.sourceDirectories) {
      manifests = install.ecosystem == Ecosystem::Pip
                      ? requirementManifests(install, context, cwd, copied, copy.destination)
                      : ecosystemManifests(install, context, joinContextPath(copied, *inCopy), copied);
      if (!manifests.problem) break;
    }
    if (manifests.problem) {
      plan.problem = *manifests.problem;
      return plan;
    }
    for (const Manifest& manifest : manifests.files) {
      bool known = std::any_of(plan.manifests.begin(), plan.manifests.end(),
                               [&](const Manifest& m) { return m.path == manifest.path; });
      if (!known) plan.manifests.push_back(manifest);
    }
    plan.installs.push_back(install);
  }
  return plan;
}

}  // namespace dfopt::transforms::deps_first
