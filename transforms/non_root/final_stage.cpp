// The final stage: what it builds on, who it runs as, and what keeps it
// running as it does.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "model/queries.h"
#include "model/variables.h"
#include "transforms/non_root/non_root.h"
#include "util/text.h"

namespace dfopt::transforms::non_root {
namespace {

bool isPortableUserName(std::string_view name) {
  if (name.empty() || name.size() > 32 || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c == '.'; });
}

bool hasOnbuildRun(const Dockerfile& file, const Stage& stage) {
  return std::any_of(file.instructions.begin() + stage.from + 1, file.instructions.begin() + stage.end,
                     [](const Instruction& instruction) {
                       return instruction.is("onbuild") && instruction.trigger &&
                              instruction.trigger->is("run");
                     });
}

}  // namespace

std::vector<const Stage*> lineage(const Dockerfile& file, const Stage& stage) {
  std::vector<const Stage*> chain{&stage};
  while (const Stage* parent = model::findStage(file, chain.front()->baseImage)) {
    if (parent->index >= chain.front()->index) break;
    chain.insert(chain.begin(), parent);
  }
  return chain;
}

std::optional<std::string> baseImage(const Dockerfile& file, const Stage& oldest) {
  if (!model::hasVariable(oldest.baseImage)) return oldest.baseImage;
  return model::expandVariables(oldest.baseImage, model::variablesBefore(file, oldest.from));
}

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

std::optional<std::string> reasonToKeep(const Dockerfile& file, const Stage& stage,
                                        const std::vector<const Stage*>& chain, bool noUserSwitch,
                                        const BasePlan& plan, const std::string& image,
                                        const context::BuildContext& context,
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
  if (auto reason = startsAsRoot(file, chain, context)) return reason;
  if (auto workdir = model::workdirBefore(file, stage.end - 1); workdir && text::isUnder(*workdir, "/root")) {
    return fmt::format(
        "the WORKDIR {} is in root's home, which only root may enter (mode 700): move the application out of "
        "/root first",
        *workdir);
  }
  if (auto reason = buildToolAtStart(file, chain)) return reason;
  bool creating = plan.kind == BasePlan::Kind::CreateUser;
  if (creating && (!isPortableUserName(options.user) || isRoot(options.user))) {
    return fmt::format("{} is not a name for an unprivileged user", options.user);
  }
  if ((creating || plan.kind == BasePlan::Kind::NumericUser) && options.uid == 0) {
    return std::string("uid 0 is root");
  }
  return std::nullopt;
}

}  // namespace dfopt::transforms::non_root
