// The user to run as, and the edits: the user-creation RUN after FROM, the
// USER after the last step that needs root, and --chown on the COPY/ADD
// instructions that put application files under the WORKDIR.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/instruction_edits.h"
#include "engine/style.h"
#include "model/queries.h"
#include "model/variables.h"
#include "shell/script.h"
#include "transforms/non_root/non_root.h"
#include "util/text.h"

namespace dfopt::transforms::non_root {
namespace {

using engine::Style;
using text::isUnder;

// The shell scripts of a RUN: its shell-form text and its heredocs.
std::vector<shell::Script> scriptsOf(const Instruction& run) {
  std::vector<shell::Script> scripts;
  if (!run.jsonForm) scripts.push_back(shell::parseScript(run.argumentsText));
  for (const model::Heredoc& heredoc : run.heredocs) scripts.push_back(shell::parseScript(heredoc.content));
  return scripts;
}

bool createsUser(const Instruction& run, std::string_view user) {
  for (const shell::Script& script : scriptsOf(run)) {
    for (const shell::Command& command : script.commands) {
      std::string name = command.name().substr(command.name().rfind('/') + 1);
      if (name != "useradd" && name != "adduser") continue;
      if (std::any_of(command.words.begin() + 1, command.words.end(),
                      [&](const shell::Word& word) { return word.value == user; })) {
        return true;
      }
    }
  }
  return false;
}

// The RUN of the lineage that creates `user`, if any.
std::optional<size_t> userCreation(const Dockerfile& file, const std::vector<const Stage*>& chain,
                                   std::string_view user) {
  for (const Stage* stage : chain) {
    for (size_t i = stage->from + 1; i < stage->end; ++i) {
      if (file.instructions[i].is("run") && createsUser(file.instructions[i], user)) return i;
    }
  }
  return std::nullopt;
}

// Shadow's useradd with --system warns about ids above 999 and adds nothing
// a container needs, so the user is a regular one. It gets a home: pip,
// npm and many runtimes write caches and config under $HOME.
std::string creationCommand(UserTools tools, const std::string& user, uint32_t uid) {
  if (tools == UserTools::BusyBox) {
    return fmt::format("addgroup -S -g {1} {0} && adduser -S -D -u {1} -G {0} {0}", user, uid);
  }
  return fmt::format("groupadd --gid {1} {0} && useradd --no-log-init --uid {1} --gid {0} --create-home {0}",
                     user, uid);
}

std::string_view toolsName(UserTools tools) {
  return tools == UserTools::BusyBox ? "BusyBox addgroup/adduser" : "groupadd/useradd";
}

// Where the user-creation RUN goes: after FROM and the ARGs right after it.
size_t creationAnchor(const Dockerfile& file, const Stage& stage) {
  size_t anchor = stage.from;
  while (anchor + 1 < stage.end && file.instructions[anchor + 1].is("arg")) ++anchor;
  return anchor;
}

// Where USER goes: after the last instruction that needs root (every RUN,
// and USER itself) and before the runtime instructions that follow it.
struct UserPlacement {
  enum class How { Replace, Before, After } how;  // Replace: a trailing USER root
  size_t index;
};

UserPlacement userPlacement(const Dockerfile& file, const Stage& stage, size_t lastRootStep) {
  for (size_t i = lastRootStep + 1; i < stage.end; ++i) {
    if (file.instructions[i].is("run") || file.instructions[i].is("user")) lastRootStep = i;
  }
  if (file.instructions[lastRootStep].is("user")) return {UserPlacement::How::Replace, lastRootStep};
  for (size_t i = lastRootStep + 1; i < stage.end; ++i) {
    const Instruction& runtime = file.instructions[i];
    if (runtime.is("cmd") || runtime.is("entrypoint") || runtime.is("healthcheck")) {
      return {UserPlacement::How::Before, i};
    }
  }
  return {UserPlacement::How::After, stage.end - 1};
}

// `keyword rest` as a line indented like the instruction at `index`.
std::string lineLike(const Dockerfile& file, const Style& style, size_t index, std::string_view keyword,
                     std::string_view rest) {
  return style.indentationAt(file, file.instructions[index].range.begin) + style.line(keyword, rest);
}

// Where a COPY/ADD puts its files, absolute; nothing when unknown.
std::optional<std::string> destination(const Dockerfile& file, size_t index, const std::string& workdir) {
  const Instruction& copy = file.instructions[index];
  if (copy.arguments.size() < 2) return std::nullopt;
  std::string target = copy.jsonForm && !copy.buildkit.next.empty() ? copy.buildkit.next.back().value
                                                                    : copy.arguments.back().text;
  if (model::hasVariable(target)) {
    auto expanded = model::expandVariables(target, model::variablesBefore(file, index));
    if (!expanded) return std::nullopt;
    target = *expanded;
  }
  return model::resolvePath(workdir, target);
}

}  // namespace

Target chooseTarget(const Dockerfile& file, const Stage& stage, const std::vector<const Stage*>& chain,
                    const std::vector<UserSwitch>& switches, const BasePlan& plan, const std::string& image,
                    const engine::Options& options) {
  auto usableFrom = [&](size_t index) { return index > stage.from ? index : stage.from + 1; };
  for (auto it = switches.rbegin(); it != switches.rend(); ++it) {
    if (it->user && !isRoot(*it->user)) {
      return {*it->user, *it->user, usableFrom(it->index), std::nullopt,
              fmt::format("the final stage switches back to root: run as {} again, the user it ran as before",
                          *it->user)};
    }
  }
  using Kind = BasePlan::Kind;
  if (plan.kind == Kind::ShippedUser || plan.kind == Kind::NonRootByDefault) {
    return {plan.user, plan.user + ":" + plan.user, stage.from + 1, std::nullopt,
            fmt::format("the final stage runs as root: run as {}, the unprivileged user {} ships", plan.user,
                        image)};
  }
  if (plan.kind == Kind::NumericUser) {
    std::string ids = fmt::format("{0}:{0}", options.uid);
    return {
        ids, ids, stage.from + 1, std::nullopt,
        fmt::format("the final stage runs as root: scratch has no user database, so run as uid and gid {}",
                    options.uid)};
  }
  const std::string& user = options.user;
  if (auto created = userCreation(file, chain, user)) {
    return {
        user, user + ":" + user, usableFrom(*created + 1), std::nullopt,
        fmt::format("the final stage runs as root: run as {}, whom the Dockerfile already creates", user)};
  }
  return {
      user, user + ":" + user, creationAnchor(file, stage) + 1,
      creationCommand(plan.tools, user, options.uid),
      fmt::format(
          "the final stage runs as root: create {0} (uid and gid {1}, with a home for tools that "
          "write to $HOME) with the {2} image's {3}, and switch to it after the last step that needs root",
          user, options.uid, plan.family, toolsName(plan.tools))};
}

std::vector<Edit> userEdits(const Dockerfile& file, const Stage& stage, const Target& target) {
  Style style(file);
  size_t anchor = creationAnchor(file, stage);
  std::string creation;
  if (target.command)
    creation = lineLike(file, style, std::min(anchor + 1, stage.end - 1), "RUN", *target.command);
  UserPlacement placement = userPlacement(file, stage, target.command ? anchor : stage.from);
  const Instruction& at = file.instructions[placement.index];
  std::string user = lineLike(file, style, placement.index, "USER", target.user);
  if (placement.how == UserPlacement::How::After && placement.index == anchor) {
    return {engine::insertAfter(file, at, creation + user)};
  }
  std::vector<Edit> edits;
  if (!creation.empty()) edits.push_back(engine::insertAfter(file, file.instructions[anchor], creation));
  switch (placement.how) {
    case UserPlacement::How::Replace:
      edits.push_back({at.argumentsRange, target.user});
      break;
    case UserPlacement::How::Before:
      edits.push_back(engine::insertBefore(file, at, user));
      break;
    case UserPlacement::How::After:
      edits.push_back(engine::insertAfter(file, at, user));
      break;
  }
  return edits;
}

// Application files are those copied under the WORKDIR (not binaries put
// into system paths such as /usr/local/bin); they go to the user so the
// application can write next to them. Without a WORKDIR nothing tells them apart.
std::vector<Finding> chownFindings(const Dockerfile& file, const Stage& stage, const Target& target) {
  std::vector<Finding> findings;
  for (size_t i = target.existsFrom; i < stage.end; ++i) {
    const Instruction& copy = file.instructions[i];
    if (!(copy.is("copy") || copy.is("add")) || copy.flag("chown")) continue;
    auto workdir = model::workdirBefore(file, i);
    if (!workdir || *workdir == "/") continue;
    auto path = destination(file, i, *workdir);
    if (!path || !isUnder(*path, *workdir)) continue;
    Finding finding;
    finding.offset = copy.keywordRange.begin;
    finding.message = fmt::format(
        "{} puts application files under the WORKDIR {}: --chown={} lets the application, running as {}, "
        "write "
        "them",
        copy.is("add") ? "ADD" : "COPY", *workdir, target.owner, target.user);
    uint32_t at = copy.argumentsRange.begin;
    finding.edits.push_back({{at, at}, fmt::format("--chown={} ", target.owner)});
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace dfopt::transforms::non_root
