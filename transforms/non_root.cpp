// non-root: makes the final stage run as an unprivileged user. The user is
// created with the base image's own tools (BusyBox addgroup/adduser on
// Alpine, shadow's groupadd/useradd on Debian, Ubuntu and the RHEL family)
// right after FROM, or is one the image already ships (node, distroless's
// nonroot), or a bare numeric id (scratch). USER goes after the last step
// that needs root; the COPY/ADD instructions that put application files
// under the WORKDIR hand them to the user with --chown.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "engine/image_reference.h"
#include "engine/instruction_edits.h"
#include "engine/style.h"
#include "model/queries.h"
#include "model/variables.h"
#include "shell/script.h"
#include "transforms/transforms.h"
#include "util/text.h"

namespace dfopt::transforms {
namespace {

using text::contains;
using text::isOneOf;
using text::isUnder;
using text::lower;

using engine::Edit;
using engine::Finding;
using engine::Severity;
using engine::Style;
using model::Dockerfile;
using model::Instruction;
using model::Stage;

template <size_t N>
bool containsAny(std::string_view text, const std::array<std::string_view, N>& parts) {
  return std::any_of(parts.begin(), parts.end(), [&](std::string_view part) { return contains(text, part); });
}

// ---------------------------------------------------------------------------
// Base images: which user tools they have, or which user they ship.

// An image as this transform matches it: lower case, an official image
// (or a per-architecture or ECR copy of one) by its bare name, the
// registry kept for any other.
struct ImageName {
  std::string repository;  // "python", "gcr.io/distroless/static-debian12"
  std::string tag;         // "latest" when absent

  bool official() const { return !contains(repository, "/"); }
};

// Docker Hub's per-architecture copies of the official images (arm64v8/alpine).
constexpr std::array<std::string_view, 10> kArchitectureNamespaces = {
    "amd64", "arm32v5", "arm32v6", "arm32v7", "arm64v8", "i386", "mips64le", "ppc64le", "riscv64", "s390x"};

// "alpine" for arm64v8/alpine and public.ecr.aws/docker/library/alpine, "" otherwise.
std::string copiedOfficialName(const engine::ImageReference& image) {
  std::string_view path = image.path;
  if (image.registry == "public.ecr.aws" && path.starts_with("docker/library/")) {
    path.remove_prefix(15);
  } else if (image.registry.empty() || image.registry == "docker.io") {
    auto architecture =
        std::find_if(kArchitectureNamespaces.begin(), kArchitectureNamespaces.end(),
                     [&](std::string_view name) { return path.starts_with(std::string(name) + "/"); });
    if (architecture == kArchitectureNamespaces.end()) return "";
    path.remove_prefix(architecture->size() + 1);
  } else {
    return "";
  }
  return contains(path, "/") ? "" : std::string(path);
}

ImageName nameOf(std::string_view written) {
  engine::ImageReference image = engine::parseImageReference(lower(written));
  std::string tag = image.tag.empty() ? "latest" : image.tag;
  std::string official = image.officialName();
  if (official.empty()) official = copiedOfficialName(image);
  if (!official.empty()) return {official, tag};
  return {image.registry.empty() ? image.path : image.registry + "/" + image.path, tag};
}

enum class UserTools { BusyBox, Shadow };

// What the final stage's base image allows.
struct BasePlan {
  enum class Kind { CreateUser, ShippedUser, NumericUser, NonRootByDefault, Unsupported };
  Kind kind = Kind::Unsupported;
  UserTools tools = UserTools::Shadow;  // CreateUser
  std::string family;                   // CreateUser: "Debian", "Alpine", ...
  std::string user;                     // ShippedUser, NonRootByDefault
  std::string reason;                   // Unsupported
};

BasePlan createWith(UserTools tools, std::string family) {
  return {BasePlan::Kind::CreateUser, tools, std::move(family), {}, {}};
}
BasePlan shippedUser(std::string user) { return {BasePlan::Kind::ShippedUser, {}, {}, std::move(user), {}}; }
BasePlan nonRootByDefault(std::string user) {
  return {BasePlan::Kind::NonRootByDefault, {}, {}, std::move(user), {}};
}
BasePlan unsupported(std::string reason) {
  return {BasePlan::Kind::Unsupported, {}, {}, {}, std::move(reason)};
}

// Official images by the distribution their default tags are built on.
constexpr std::array<std::string_view, 17> kDebianImages = {
    "debian", "python", "golang", "ruby",    "php",   "rust",   "perl", "buildpack-deps", "gcc",
    "pypy",   "erlang", "elixir", "haskell", "julia", "r-base", "dart", "clojure"};
constexpr std::array<std::string_view, 6> kUbuntuImages = {"ubuntu", "eclipse-temurin", "maven",
                                                           "gradle", "tomcat",          "swift"};
constexpr std::array<std::string_view, 5> kRhelImages = {"centos", "fedora", "rockylinux", "almalinux",
                                                         "oraclelinux"};
// Official images whose default tag's distribution varies: only a tag naming
// the distribution tells.
constexpr std::array<std::string_view, 2> kTaggedOnlyImages = {"openjdk", "amazoncorretto"};
// Servers whose entrypoint starts as root to drop privileges itself (gosu,
// a master process binding port 80): a USER would break them.
constexpr std::array<std::string_view, 7> kSelfDroppingServers = {"nginx",   "httpd", "postgres", "mysql",
                                                                  "mariadb", "redis", "mongo"};
constexpr std::array<std::string_view, 4> kDotnetImages = {"aspnet", "runtime", "runtime-deps", "sdk"};
// Namespaces of RHEL-family images outside Docker Hub's library.
constexpr std::array<std::string_view, 8> kRhelNamespaces = {"redhat/",
                                                             "registry.access.redhat.com/",
                                                             "registry.redhat.io/",
                                                             "quay.io/centos/",
                                                             "quay.io/fedora/",
                                                             "rockylinux/",
                                                             "almalinux/",
                                                             "oraclelinux/"};

constexpr std::array<std::string_view, 6> kDebianCodenames = {"jessie",   "stretch",  "buster",
                                                              "bullseye", "bookworm", "trixie"};
constexpr std::array<std::string_view, 10> kUbuntuCodenames = {
    "xenial", "bionic", "focal", "jammy", "noble", "oracular", "plucky", "questing", "resolute", "disco"};

BasePlan unknownImage(std::string_view written) {
  return unsupported(
      fmt::format("unknown base image {}: dfopt does not know how to create a user in it", written));
}

// Amazon Linux and the minimal RHEL-family images (microdnf) come without shadow-utils.
BasePlan withoutUseradd(std::string_view written) {
  return unsupported(fmt::format(
      "{} has no useradd (shadow-utils); create the user yourself or set a numeric USER", written));
}

BasePlan rhelPlan(const ImageName& image, std::string_view written) {
  bool minimal =
      containsAny(image.repository + ":" + image.tag, std::array<std::string_view, 2>{"minimal", "micro"}) ||
      (image.repository == "oraclelinux" && contains(image.tag, "slim"));
  return minimal ? withoutUseradd(written) : createWith(UserTools::Shadow, "RHEL-family");
}

// The distribution a tag names (python:3.12-alpine, golang:1.22-bookworm).
std::optional<BasePlan> planFromTag(const ImageName& image, std::string_view written) {
  const std::string& tag = image.tag;
  if (contains(tag, "alpine")) return createWith(UserTools::BusyBox, "Alpine");
  if (contains(tag, "ubi")) return rhelPlan(image, written);
  // openjdk:*-oracle is built on oraclelinux's slim image, amazoncorretto on Amazon Linux.
  if (contains(tag, "oracle") || contains(tag, "corretto") || contains(tag, "al2"))
    return withoutUseradd(written);
  if (containsAny(tag, kDebianCodenames) || contains(tag, "slim"))
    return createWith(UserTools::Shadow, "Debian");
  if (containsAny(tag, kUbuntuCodenames)) return createWith(UserTools::Shadow, "Ubuntu");
  return std::nullopt;
}

BasePlan planForOfficialImage(const ImageName& image, std::string_view written) {
  const std::string& name = image.repository;
  if (name == "scratch") return {BasePlan::Kind::NumericUser, {}, {}, {}, {}};
  if (name == "node") return shippedUser("node");
  if (isOneOf(name, kSelfDroppingServers) || (name == "php" && contains(image.tag, "apache"))) {
    return unsupported(
        fmt::format("{} starts as root and drops privileges itself; a USER would break it", written));
  }
  if (name == "alpine") return createWith(UserTools::BusyBox, "Alpine");
  if (name == "busybox") return createWith(UserTools::BusyBox, "BusyBox");
  if (name == "amazonlinux") return withoutUseradd(written);
  if (isOneOf(name, kRhelImages)) return rhelPlan(image, written);
  bool known =
      isOneOf(name, kDebianImages) || isOneOf(name, kUbuntuImages) || isOneOf(name, kTaggedOnlyImages);
  if (!known) return unknownImage(written);
  if (auto plan = planFromTag(image, written)) return *plan;
  if (isOneOf(name, kDebianImages)) return createWith(UserTools::Shadow, "Debian");
  if (isOneOf(name, kUbuntuImages)) return createWith(UserTools::Shadow, "Ubuntu");
  if (name == "amazoncorretto") return withoutUseradd(written);
  return unsupported(
      fmt::format("the distribution under {} depends on its version; name it in the tag "
                  "(for example -slim or -alpine)",
                  written));
}

bool isWindows(const ImageName& image) {
  std::string text = image.repository + ":" + image.tag;
  return containsAny(text, std::array<std::string_view, 3>{"windows", "nanoserver", "servercore"});
}

// .NET 8 and later images ship the user "app" (uid 1654); the older ones
// are plain Debian (or the distribution their tag names).
BasePlan dotnetPlan(const ImageName& image, std::string_view written) {
  // A tag without a version ("latest") is a current one.
  size_t digits = 0;
  while (digits < image.tag.size() && digits < 3 &&
         std::isdigit(static_cast<unsigned char>(image.tag[digits]))) {
    ++digits;
  }
  if (digits == 0 || std::stoi(image.tag.substr(0, digits)) >= 8) return shippedUser("app");
  if (contains(image.tag, "chiseled")) {
    return unsupported(fmt::format("{} has no shell and, before .NET 8, no unprivileged user", written));
  }
  if (auto plan = planFromTag(image, written)) return *plan;
  return createWith(UserTools::Shadow, "Debian");
}

BasePlan planFor(std::string_view written) {
  ImageName image = nameOf(written);
  const std::string& repository = image.repository;
  if (isWindows(image)) return unsupported(fmt::format("{} is a Windows image", written));
  if (image.official()) return planForOfficialImage(image, written);
  for (std::string_view dotnet : {"mcr.microsoft.com/dotnet/", "mcr.microsoft.com/dotnet/core/"}) {
    std::string_view name = std::string_view(repository).substr(std::min(repository.size(), dotnet.size()));
    if (repository.starts_with(dotnet) && isOneOf(name, kDotnetImages)) return dotnetPlan(image, written);
  }
  if (repository.starts_with("gcr.io/distroless/")) {
    // distroless: no shell, but a "nonroot" user (uid 65532) that :nonroot tags already run as.
    return contains(image.tag, "nonroot") ? nonRootByDefault("nonroot") : shippedUser("nonroot");
  }
  if (repository.starts_with("cgr.dev/chainguard/")) return nonRootByDefault("nonroot");
  if (repository == "nginxinc/nginx-unprivileged") return nonRootByDefault("101");
  if (repository.ends_with("/amazonlinux")) return withoutUseradd(written);
  if (std::any_of(kRhelNamespaces.begin(), kRhelNamespaces.end(),
                  [&](std::string_view prefix) { return repository.starts_with(prefix); })) {
    return rhelPlan(image, written);
  }
  return unknownImage(written);
}

// ---------------------------------------------------------------------------
// The final stage: what it builds on, who it runs as.

// The stages `stage` builds on (FROM another stage), oldest first, ending with `stage`.
std::vector<const Stage*> lineage(const Dockerfile& file, const Stage& stage) {
  std::vector<const Stage*> chain{&stage};
  while (const Stage* parent = model::findStage(file, chain.front()->baseImage)) {
    if (parent->index >= chain.front()->index) break;
    chain.insert(chain.begin(), parent);
  }
  return chain;
}

// The image the oldest stage of the lineage is FROM, build arguments expanded.
std::optional<std::string> baseImage(const Dockerfile& file, const Stage& oldest) {
  if (!model::hasVariable(oldest.baseImage)) return oldest.baseImage;
  return model::expandVariables(oldest.baseImage, model::variablesBefore(file, oldest.from));
}

struct UserSwitch {
  size_t index;                     // of the USER instruction
  std::optional<std::string> user;  // as it expands; nothing: a variable with no known value
};

std::vector<UserSwitch> userSwitches(const Dockerfile& file, const std::vector<const Stage*>& chain) {
  std::vector<UserSwitch> switches;
  for (const Stage* stage : chain) {
    for (size_t i = stage->from + 1; i < stage->end; ++i) {
      const Instruction& instruction = file.instructions[i];
      if (!instruction.is("user") || instruction.arguments.empty()) continue;
      const std::string& text = instruction.arguments[0].text;
      std::optional<std::string> user = text;
      if (model::hasVariable(text)) user = model::expandVariables(text, model::variablesBefore(file, i));
      switches.push_back({i, user});
    }
  }
  return switches;
}

// A USER with only flags or nothing after it, which Docker rejects.
const Instruction* userWithoutName(const Dockerfile& file, const std::vector<const Stage*>& chain) {
  for (const Stage* stage : chain) {
    for (size_t i = stage->from + 1; i < stage->end; ++i) {
      const Instruction& instruction = file.instructions[i];
      if (instruction.is("user") && instruction.arguments.empty()) return &instruction;
    }
  }
  return nullptr;
}

bool isRoot(std::string_view user) {
  std::string_view name = user.substr(0, user.find(':'));
  return name.empty() || name == "root" || name == "0";
}

bool isPortableUserName(std::string_view name) {
  if (name.empty() || name.size() > 32 || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c == '.'; });
}

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

bool hasWord(std::string_view text, std::string_view word) {
  auto isWordChar = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  };
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    bool startsWord = at == 0 || !isWordChar(text[at - 1]);
    size_t end = at + word.size();
    if (startsWord && (end == text.size() || !isWordChar(text[end]))) return true;
  }
  return false;
}

// gosu or su-exec in the lineage: the entrypoint starts as root and drops
// privileges itself.
std::optional<std::string_view> privilegeDropper(const Dockerfile& file,
                                                 const std::vector<const Stage*>& chain) {
  for (const Stage* stage : chain) {
    for (size_t i = stage->from + 1; i < stage->end; ++i) {
      for (std::string_view tool : {"gosu", "su-exec"}) {
        if (hasWord(file.instructions[i].line.text, tool)) return tool;
      }
    }
  }
  return std::nullopt;
}

bool hasOnbuildRun(const Dockerfile& file, const Stage& stage) {
  return std::any_of(file.instructions.begin() + stage.from + 1, file.instructions.begin() + stage.end,
                     [](const Instruction& instruction) {
                       return instruction.is("onbuild") && instruction.trigger &&
                              instruction.trigger->is("run");
                     });
}

// Why the final stage keeps running as it does, or nothing.
std::optional<std::string> reasonToKeep(const Dockerfile& file, const Stage& stage,
                                        const std::vector<const Stage*>& chain, bool noUserSwitch,
                                        const BasePlan& plan, const std::string& image,
                                        const engine::Options& options) {
  if (plan.kind == BasePlan::Kind::Unsupported) return plan.reason;
  if (plan.kind == BasePlan::Kind::NonRootByDefault && noUserSwitch) {
    return fmt::format("{} already runs as the unprivileged user {}", image, plan.user);
  }
  if (hasOnbuildRun(file, stage)) {
    return std::string(
        "the final stage has ONBUILD RUN triggers, which run as its user in the builds that use it; a USER "
        "here would change them");
  }
  if (auto tool = privilegeDropper(file, chain)) {
    return fmt::format("the final stage uses {} to drop privileges itself, which needs it to start as root",
                       *tool);
  }
  bool creating = plan.kind == BasePlan::Kind::CreateUser;
  if (creating && (!isPortableUserName(options.user) || isRoot(options.user))) {
    return fmt::format("{} is not a name for an unprivileged user", options.user);
  }
  if ((creating || plan.kind == BasePlan::Kind::NumericUser) && options.uid == 0) {
    return std::string("uid 0 is root");
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// The user to run as, and the edits.

struct Target {
  std::string user;                    // USER's argument
  std::string owner;                   // --chown's value
  size_t existsFrom = 0;               // the first instruction that may name the user
  std::optional<std::string> command;  // the RUN script creating the user
  std::string message;
};

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

// Who the final stage should run as: the unprivileged user it ran as
// before switching to root, the user its base image ships, or the user of
// the options, created unless the Dockerfile already creates it.
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

// The user-creation RUN (when needed) after FROM, and the USER switch.
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

Finding info(uint32_t offset, std::string message) {
  Finding finding;
  finding.offset = offset;
  finding.severity = Severity::Info;
  finding.message = std::move(message);
  return finding;
}

class NonRoot final : public engine::Transform {
 public:
  std::string_view name() const override { return "non-root"; }

  engine::Result run(const Dockerfile& file, const context::BuildContext&,
                     const engine::Options& options) const override {
    engine::Result result;
    const Stage* stage = model::finalStage(file);
    if (!stage) return result;
    result.findings = findings(file, *stage, options);
    return result;
  }

 private:
  static std::vector<Finding> findings(const Dockerfile& file, const Stage& stage,
                                       const engine::Options& options) {
    uint32_t from = file.instructions[stage.from].keywordRange.begin;
    std::vector<const Stage*> chain = lineage(file, stage);
    if (const Instruction* nameless = userWithoutName(file, chain)) {
      return {
          info(nameless->keywordRange.begin,
               "USER names no user (the build would fail): dfopt cannot tell who the final stage runs as")};
    }
    std::vector<UserSwitch> switches = userSwitches(file, chain);
    if (!switches.empty()) {
      const UserSwitch& last = switches.back();
      uint32_t at = file.instructions[last.index].keywordRange.begin;
      if (!last.user) {
        return {
            info(at, fmt::format("USER {} uses a variable with no known value: dfopt cannot tell whether the "
                                 "final stage runs as root",
                                 file.instructions[last.index].arguments[0].text))};
      }
      if (!isRoot(*last.user))
        return {info(at, fmt::format("the final stage already runs as {}, not root", *last.user))};
    }
    std::optional<std::string> image = baseImage(file, *chain.front());
    if (!image) {
      return {
          info(from, fmt::format("the base image {} uses a build argument with no known value: dfopt cannot "
                                 "tell how to create a user in it",
                                 chain.front()->baseImage))};
    }
    BasePlan plan = planFor(*image);
    if (auto reason = reasonToKeep(file, stage, chain, switches.empty(), plan, *image, options)) {
      return {info(from, *reason)};
    }
    Target target = chooseTarget(file, stage, chain, switches, plan, *image, options);
    Finding change;
    change.offset = switches.empty() ? from : file.instructions[switches.back().index].keywordRange.begin;
    change.message = target.message;
    change.edits = userEdits(file, stage, target);
    std::vector<Finding> all{std::move(change)};
    for (Finding& chown : chownFindings(file, stage, target)) all.push_back(std::move(chown));
    return all;
  }
};

}  // namespace

std::unique_ptr<engine::Transform> makeNonRoot() { return std::make_unique<NonRoot>(); }

}  // namespace dfopt::transforms
