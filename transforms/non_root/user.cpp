// The user to run as, and the edits: the user-creation RUN after FROM, the
// USER after the last step that needs root, and --chown on the COPY/ADD
// instructions that put application files under the WORKDIR.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "context/build_context.h"
#include "engine/instruction_commands.h"
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

// The shell scripts of a RUN, its shell-form text and its heredocs, that
// may run one of `programs`.
std::vector<std::shared_ptr<const shell::Script>> scriptsRunning(
    const Instruction& run, std::initializer_list<std::string_view> programs) {
  std::vector<std::shared_ptr<const shell::Script>> scripts;
  if (!run.jsonForm && shell::mayHaveWordWith(run.argumentsText(), programs))
    scripts.push_back(shell::parseScriptShared(run.argumentsText()));
  for (const model::Heredoc& heredoc : run.heredocs) {
    if (shell::mayHaveWordWith(heredoc.content, programs))
      scripts.push_back(shell::parseScriptShared(heredoc.content));
  }
  return scripts;
}

// The login a useradd/adduser command creates: its first operand (BusyBox
// and Debian adduser take a group after it).
std::optional<std::string> createdLogin(const shell::Command& command) {
  static constexpr std::string_view kShortWithValue = "bcdefgGhkKpPRsuZ";
  static constexpr std::array<std::string_view, 18> kLongWithValue = {
      "--uid",     "--gid",      "--home",    "--home-dir", "--shell",      "--gecos",
      "--comment", "--groups",   "--ingroup", "--base-dir", "--expiredate", "--inactive",
      "--key",     "--password", "--root",    "--prefix",   "--skel",       "--firstuid"};
  for (size_t i = 1; i < command.words.size(); ++i) {
    const std::string& word = command.words[i].value;
    if (word.starts_with("--")) {
      if (word.find('=') == std::string::npos && text::isOneOf(word, kLongWithValue)) ++i;
      continue;
    }
    if (word.starts_with("-")) {
      if (word.size() == 2 && kShortWithValue.find(word[1]) != std::string_view::npos) ++i;
      continue;
    }
    if (command.words[i].hasExpansion) return std::nullopt;
    return word;
  }
  return std::nullopt;
}

// The users a RUN creates.
std::vector<std::string> usersCreatedBy(const Instruction& run) {
  std::vector<std::string> users;
  for (const auto& script : scriptsRunning(run, {"useradd", "adduser"})) {
    for (const shell::Command& command : script->commands) {
      std::string name = command.name().substr(command.name().rfind('/') + 1);
      if (name != "useradd" && name != "adduser") continue;
      if (auto login = createdLogin(command)) users.push_back(*login);
    }
  }
  return users;
}

struct CreatedUser {
  std::string name;
  size_t index;  // of the RUN creating it
};

// The last unprivileged user a RUN of the lineage creates, if any.
std::optional<CreatedUser> userCreation(const Dockerfile& file, const std::vector<const Stage*>& chain) {
  std::optional<CreatedUser> found;
  for (const Stage* stage : chain) {
    for (size_t i = stage->from + 1; i < stage->end; ++i) {
      if (!file.instructions[i].is("run")) continue;
      for (const std::string& user : usersCreatedBy(file.instructions[i])) {
        if (!isRoot(user)) found = CreatedUser{user, i};
      }
    }
  }
  return found;
}

// The owner the Dockerfile's own COPY/ADD --chown names (not root), if any.
std::optional<std::string> ownerOfCopies(const Dockerfile& file, const std::vector<const Stage*>& chain) {
  for (const Stage* stage : chain) {
    for (size_t i = stage->from + 1; i < stage->end; ++i) {
      const model::Flag* chown = file.instructions[i].flag("chown");
      if (chown && !isRoot(chown->value) && !model::hasVariable(chown->value)) return chown->value;
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

// The working directory the start command runs in.
std::optional<std::string> workdirAtEnd(const Dockerfile& file, const Stage& stage) {
  size_t last = stage.end - 1;
  auto workdir = model::workdirBefore(file, last);
  const Instruction& instruction = file.instructions[last];
  if (!workdir || !instruction.is("workdir") || instruction.arguments.empty()) return workdir;
  std::string path = instruction.arguments[0].text;
  if (model::hasVariable(path)) {
    auto expanded = model::expandVariables(path, model::variablesBefore(file, last));
    if (!expanded) return std::nullopt;
    path = *expanded;
  }
  return model::resolvePath(*workdir, path);
}

// A RUN of the lineage that already changes the owner of `dir`.
bool chownsDirectory(const Dockerfile& file, const std::vector<const Stage*>& chain, std::string_view dir) {
  for (const Stage* stage : chain) {
    for (size_t i = stage->from + 1; i < stage->end; ++i) {
      if (!file.instructions[i].is("run")) continue;
      for (const auto& script : scriptsRunning(file.instructions[i], {"chown"})) {
        for (const shell::Command& command : script->commands) {
          if (command.name().substr(command.name().rfind('/') + 1) != "chown") continue;
          if (std::any_of(command.words.begin() + 1, command.words.end(),
                          [&](const shell::Word& word) { return word.value == dir || word.value == "."; })) {
            return true;
          }
        }
      }
    }
  }
  return false;
}

// The WORKDIR the user should own: WORKDIR creates it as root on the
// classic builder, buildah and kaniko (BuildKit only for a USER set before
// it), and COPY --chown changes only what it copies, never a directory that
// exists; an application creating a file there (a SQLite database,
// uploads, a log, collectstatic, Maven's target/) gets "Permission denied".
// Nothing for "/", the user's home, a WORKDIR the Dockerfile already hands
// over, or an image without a shell to run chown.
std::optional<std::string> workdirToOwn(const Dockerfile& file, const Stage& stage,
                                        const std::vector<const Stage*>& chain, const std::string& user,
                                        bool hasShell) {
  auto workdir = workdirAtEnd(file, stage);
  if (!hasShell || !workdir || *workdir == "/" || isUnder(*workdir, "/home/" + user) ||
      isUnder(*workdir, "/tmp")) {
    return std::nullopt;
  }
  if (model::hasVariable(*workdir) || chownsDirectory(file, chain, *workdir)) return std::nullopt;
  return workdir;
}

}  // namespace

namespace {

Target chooseUser(const Dockerfile& file, const Stage& stage, const std::vector<const Stage*>& chain,
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
  if (auto created = userCreation(file, chain)) {
    return {created->name, created->name + ":" + created->name, usableFrom(created->index + 1), std::nullopt,
            fmt::format("the final stage runs as root: run as {}, whom the Dockerfile already creates",
                        created->name)};
  }
  if (auto owner = ownerOfCopies(file, chain)) {
    std::string user = owner->substr(0, owner->find(':'));
    // Numeric ids need no user database: USER keeps the group the files get.
    if (std::all_of(user.begin(), user.end(), [](unsigned char c) { return std::isdigit(c); })) user = *owner;
    return {user, *owner, stage.from + 1, std::nullopt,
            fmt::format(
                "the final stage runs as root: run as {}, who owns the files its COPY --chown={} hands over",
                user, *owner)};
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
  return {
      user, user + ":" + user, creationAnchor(file, stage) + 1,
      creationCommand(plan.tools, user, options.uid),
      fmt::format(
          "the final stage runs as root: create {0} (uid and gid {1}, with a home for tools that "
          "write to $HOME) with the {2} image's {3}, and switch to it after the last step that needs root",
          user, options.uid, plan.family, toolsName(plan.tools))};
}

}  // namespace

Target chooseTarget(const Dockerfile& file, const Stage& stage, const std::vector<const Stage*>& chain,
                    const std::vector<UserSwitch>& switches, const BasePlan& plan, const std::string& image,
                    const engine::Options& options) {
  Target target = chooseUser(file, stage, chain, switches, plan, image, options);
  bool ranAsUserBefore = std::any_of(switches.begin(), switches.end(), [](const UserSwitch& entry) {
    return entry.user && !isRoot(*entry.user);
  });
  // distroless and chiseled images have no shell to run chown.
  bool shellless = text::contains(image, "distroless") || text::contains(image, "chiseled");
  bool hasShell =
      plan.kind == BasePlan::Kind::CreateUser || (plan.kind == BasePlan::Kind::ShippedUser && !shellless);
  if (ranAsUserBefore) return target;
  target.workdir = workdirToOwn(file, stage, chain, target.user, hasShell);
  if (!target.workdir) return target;
  if (target.command) {
    *target.command +=
        fmt::format(" && mkdir -p {0} && chown {1} {0}", shell::quote(*target.workdir), target.owner);
    std::string_view switching = ", and switch to it";
    size_t at = target.message.find(switching);
    target.message.insert(
        at == std::string::npos ? target.message.size() : at,
        fmt::format(", give it the WORKDIR {} (which WORKDIR creates as root's) so that the "
                    "application can create files there",
                    *target.workdir));
  } else {
    target.message += fmt::format(
        "; give it the WORKDIR {} (which WORKDIR creates as root's) so that the application can create files "
        "there",
        *target.workdir);
  }
  return target;
}

Target defaultUser(const Dockerfile& file, const Stage& stage, const std::vector<const Stage*>& chain,
                   const BasePlan& plan) {
  std::string owner = ownerOfCopies(file, chain).value_or(plan.user + ":" + plan.user);
  return {plan.user, owner, stage.from + 1, std::nullopt, {}};
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
  std::string handOver;  // the WORKDIR to the user, when no creation RUN does it
  if (target.workdir && !target.command) {
    // A user the file or the image made may have no group of its name: chown names the user only.
    std::string owner = target.owner.substr(0, target.owner.find(':'));
    bool numeric = std::all_of(owner.begin(), owner.end(), [](unsigned char c) { return std::isdigit(c); });
    handOver =
        lineLike(file, style, placement.index, "RUN",
                 fmt::format("chown {} {}", numeric ? target.owner : owner, shell::quote(*target.workdir)));
  }
  if (placement.how == UserPlacement::How::After && placement.index == anchor) {
    return {engine::insertAfter(file, at, creation + user)};
  }
  std::vector<Edit> edits;
  if (!creation.empty()) edits.push_back(engine::insertAfter(file, file.instructions[anchor], creation));
  switch (placement.how) {
    case UserPlacement::How::Replace:
      if (!handOver.empty()) edits.push_back(engine::insertBefore(file, at, handOver));
      edits.push_back({at.argumentsRange, target.user});
      break;
    case UserPlacement::How::Before:
      edits.push_back(engine::insertBefore(file, at, handOver + user));
      break;
    case UserPlacement::How::After:
      edits.push_back(engine::insertAfter(file, at, handOver + user));
      break;
  }
  return edits;
}

namespace {

// The sources of a COPY/ADD (its words before the destination).
std::vector<std::string> sourcesOf(const Instruction& copy) {
  std::vector<std::string> sources;
  if (copy.jsonForm && !copy.buildkit.next.empty()) {
    for (size_t i = 0; i + 1 < copy.buildkit.next.size(); ++i) sources.push_back(copy.buildkit.next[i].value);
  } else {
    for (size_t i = 0; i + 1 < copy.arguments.size(); ++i) sources.push_back(copy.arguments[i].text);
  }
  return sources;
}

// Every WORKDIR the file's instructions run in, found the first time a copy
// from another stage asks (a WORKDIR per instruction makes it costly).
class Workdirs {
 public:
  explicit Workdirs(const Dockerfile& file) : file_(file) {}
  const std::vector<std::string>& get() {
    if (found_) return workdirs_;
    found_ = true;
    for (size_t i = 0; i < file_.instructions.size(); ++i) {
      auto workdir = model::workdirBefore(file_, i);
      if (workdir && std::find(workdirs_.begin(), workdirs_.end(), *workdir) == workdirs_.end())
        workdirs_.push_back(*workdir);
    }
    return workdirs_;
  }

 private:
  const Dockerfile& file_;
  bool found_ = false;
  std::vector<std::string> workdirs_;
};

// Does a RUN of the stage make the directory `path` with mkdir (a
// directory made for the application to write in: uploads/, data/)?
bool madeByMkdir(const Dockerfile& file, const Stage& stage, std::string_view path) {
  for (size_t i = stage.from + 1; i < stage.end; ++i) {
    const Instruction& run = file.instructions[i];
    if (!run.is("run")) continue;
    auto workdir = model::workdirBefore(file, i);
    for (const engine::CommandWords& words : engine::commandsOf(run)) {
      if (words.empty() || text::baseName(words[0]) != "mkdir") continue;
      for (size_t w = 1; w < words.size(); ++w) {
        if (words[w].starts_with('-') || !workdir) continue;
        if (model::resolvePath(*workdir, words[w]) == path) return true;
      }
    }
  }
  return false;
}

// Does the source name a directory? The build context tells for its own
// paths. Another stage's path counts as one when it ends in '/' or '/.', is
// a WORKDIR (the whole application directory of a build stage), or is a
// directory that stage makes with mkdir; its other paths are most often
// built files (a binary, dist/) or context files the application only reads.
bool isDirectorySource(const Dockerfile& file, const Instruction& copy, std::string_view source,
                       const context::BuildContext& context, Workdirs& workdirs) {
  std::string path(source);
  if (path == "." || path.ends_with("/") || path.ends_with("/.")) return true;
  if (const model::Flag* from = copy.flag("from")) {
    if (text::isOneOf(path, workdirs.get())) return true;
    const Stage* stage = model::findStage(file, from->value);
    return stage && madeByMkdir(file, *stage, model::resolvePath("/", path));
  }
  while (path.starts_with("./")) path.erase(0, 2);
  if (path.empty()) return true;
  if (path.find_first_of("*?[") != std::string::npos || model::hasVariable(path)) return false;
  if (context.exists(path)) return context.isDirectory(path);
  return text::baseName(path).find('.') == std::string_view::npos;
}

}  // namespace

// The application creates its files in the WORKDIR, which the user owns
// (chooseTarget); what it writes besides are the directories it ships
// (uploads/, instance/, static/ for collectstatic, logs/) and data files
// among its sources, which a directory copy brings. So the copies of
// directories under the WORKDIR go to the user with --chown; the copies of
// single files (manifests, lock files, binaries, archives), which it only
// reads, stay root's. Without a WORKDIR nothing tells application files apart.
std::vector<Finding> chownFindings(const Dockerfile& file, const Stage& stage, const Target& target,
                                   const context::BuildContext& context) {
  std::vector<Finding> findings;
  Workdirs workdirs(file);
  for (size_t i = target.existsFrom; i < stage.end; ++i) {
    const Instruction& copy = file.instructions[i];
    if (!(copy.is("copy") || copy.is("add")) || copy.flag("chown")) continue;
    auto workdir = model::workdirBefore(file, i);
    if (!workdir || *workdir == "/") continue;
    auto path = destination(file, i, *workdir);
    if (!path || !isUnder(*path, *workdir)) continue;
    auto sources = sourcesOf(copy);
    if (std::none_of(sources.begin(), sources.end(), [&](const std::string& source) {
          return isDirectorySource(file, copy, source, context, workdirs);
        })) {
      continue;
    }
    Finding finding;
    finding.offset = copy.keywordRange.begin;
    finding.message = fmt::format(
        "{} puts application directories under the WORKDIR {}: --chown={} lets the application, running as "
        "{}, "
        "write in them",
        copy.is("add") ? "ADD" : "COPY", *workdir, target.owner, target.user);
    uint32_t at = copy.argumentsRange.begin;
    finding.edits.push_back({{at, at}, fmt::format("--chown={} ", target.owner)});
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace dfopt::transforms::non_root
