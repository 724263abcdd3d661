#pragma once
// What the parts of non-root share: the plan the base image allows
// (images.cpp), the facts about the final stage and its lineage
// (final_stage.cpp), and the user to run as with its edits (user.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/edit.h"
#include "engine/transform.h"
#include "model/dockerfile.h"

namespace dfopt::transforms::non_root {

using engine::Edit;
using engine::Finding;
using model::Dockerfile;
using model::Instruction;
using model::Stage;

// ------------------------------------------------------------ base images (images.cpp)

enum class UserTools { BusyBox, Shadow };

// What the final stage's base image allows.
struct BasePlan {
  enum class Kind { CreateUser, ShippedUser, NumericUser, NonRootByDefault, Unsupported };
  Kind kind = Kind::Unsupported;
  UserTools tools = UserTools::Shadow;  // CreateUser
  std::string family;                   // CreateUser: "Debian", "Alpine", ...
  std::string user;                     // ShippedUser, NonRootByDefault
  std::string reason;                   // Unsupported
  bool unknownImage = false;            // Unsupported: an image dfopt does not know
};

// The plan for the base image as the Dockerfile writes it (variables expanded).
BasePlan planFor(std::string_view written);
// The same for an image the configuration's base-images describes: the plan
// of the image it is like, with its family's tools to create a user.
BasePlan planFor(std::string_view written, const engine::BaseImages& known);

// For an unknown image, the plan its distribution's package manager tells
// (apk, apt-get, dnf/yum, microdnf) from the RUNs of the lineage; `plan` otherwise.
BasePlan planFromCommands(const BasePlan& plan, const Dockerfile& file,
                          const std::vector<const Stage*>& chain, std::string_view written);

// ------------------------------------------------------------ the final stage (final_stage.cpp)

// The stages `stage` builds on (FROM another stage), oldest first, ending with `stage`.
std::vector<const Stage*> lineage(const Dockerfile& file, const Stage& stage);

// The image the oldest stage of the lineage is FROM, build arguments expanded.
std::optional<std::string> baseImage(const Dockerfile& file, const Stage& oldest);

struct UserSwitch {
  size_t index;                     // of the USER instruction
  std::optional<std::string> user;  // as it expands; nothing: a variable with no known value
};

std::vector<UserSwitch> userSwitches(const Dockerfile& file, const std::vector<const Stage*>& chain);

// A USER with only flags or nothing after it, which Docker rejects.
const Instruction* userWithoutName(const Dockerfile& file, const std::vector<const Stage*>& chain);

bool isRoot(std::string_view user);

// Why the final stage keeps running as it does, or nothing.
std::optional<std::string> reasonToKeep(const Dockerfile& file, const Stage& stage,
                                        const std::vector<const Stage*>& chain, bool noUserSwitch,
                                        const BasePlan& plan, const std::string& image,
                                        const context::BuildContext& context, const engine::Options& options);

// ------------------------------------------------------------ what the container starts (start.cpp)

// Why the final stage must start as root: a privilege-dropping entrypoint
// (also one in an entrypoint script of the context), a process supervisor,
// a server whose master drops privileges, or a comment saying so.
std::optional<std::string> startsAsRoot(const Dockerfile& file, const std::vector<const Stage*>& chain,
                                        const context::BuildContext& context);

// Why the start command cannot run as another user: it runs Maven or
// Gradle, whose caches and output an earlier RUN made as root.
std::optional<std::string> buildToolAtStart(const Dockerfile& file, const std::vector<const Stage*>& chain);

// ------------------------------------------------------------ the user and the edits (user.cpp)

struct Target {
  std::string user;                    // USER's argument
  std::string owner;                   // --chown's value
  size_t existsFrom = 0;               // the first instruction that may name the user
  std::optional<std::string> command;  // the RUN script creating the user
  std::string message;
  std::optional<std::string> workdir = std::nullopt;  // the WORKDIR to hand to the user
};

// Who the final stage should run as: the unprivileged user it ran as
// before switching to root, the user its base image ships, or the user of
// the options, created unless the Dockerfile already creates it.
Target chooseTarget(const Dockerfile& file, const Stage& stage, const std::vector<const Stage*>& chain,
                    const std::vector<UserSwitch>& switches, const BasePlan& plan, const std::string& image,
                    const engine::Options& options);

// The user an image that runs unprivileged by default runs as, for the
// --chown of the application directories its stage copies.
Target defaultUser(const Dockerfile& file, const Stage& stage, const std::vector<const Stage*>& chain,
                   const BasePlan& plan);

// The user-creation RUN (when needed) after FROM, and the USER switch.
std::vector<Edit> userEdits(const Dockerfile& file, const Stage& stage, const Target& target);

// --chown for the COPY/ADD instructions that put application directories under the WORKDIR.
std::vector<Finding> chownFindings(const Dockerfile& file, const Stage& stage, const Target& target,
                                   const context::BuildContext& context);

}  // namespace dfopt::transforms::non_root
