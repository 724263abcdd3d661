// non-root: makes the final stage run as an unprivileged user. The user is
// created with the base image's own tools (BusyBox addgroup/adduser on
// Alpine, shadow's groupadd/useradd on Debian, Ubuntu and the RHEL family)
// right after FROM, or is one the image already ships (node, distroless's
// nonroot), or a bare numeric id (scratch), or one the Dockerfile already
// creates or names in COPY --chown. USER goes after the last step that
// needs root; the user gets the WORKDIR, and the COPY/ADD instructions that
// put application directories under it hand them over with --chown.
//
// The parts, sharing non_root.h: images.cpp says what the base image
// allows, final_stage.cpp what the final stage builds on and runs as,
// start.cpp what it starts (and whether that must be root), and user.cpp
// chooses the user and writes the edits.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "model/queries.h"
#include "transforms/non_root/non_root.h"
#include "transforms/transforms.h"

namespace dfopt::transforms {
namespace non_root {
namespace {

using engine::Severity;

Finding info(uint32_t offset, std::string message) {
  Finding finding;
  finding.offset = offset;
  finding.severity = Severity::Info;
  finding.message = std::move(message);
  return finding;
}

// Does one of the edits add a line after the file's last instruction when
// that ends in a line continuation (BuildKit ends it at the end of the
// file)? The line would join the instruction.
bool joinsTrailingContinuation(const Dockerfile& file, const std::vector<engine::Edit>& edits) {
  const Instruction& last = file.instructions.back();
  std::string_view text = std::string_view(file.source->bytes()).substr(last.range.begin, last.range.size());
  size_t end = text.find_last_not_of(" \t\r\n");
  if (end == std::string_view::npos || text[end] != file.escape || !last.heredocs.empty()) return false;
  return std::any_of(edits.begin(), edits.end(),
                     [&](const engine::Edit& edit) { return edit.range.begin >= last.range.end; });
}

class NonRoot final : public engine::Transform {
 public:
  std::string_view name() const override { return "non-root"; }

  engine::Result run(const Dockerfile& file, const context::BuildContext& context,
                     const engine::Options& options) const override {
    engine::Result result;
    const Stage* stage = model::finalStage(file);
    if (!stage) return result;
    result.findings = findings(file, *stage, context, options);
    return result;
  }

 private:
  static std::vector<Finding> findings(const Dockerfile& file, const Stage& stage,
                                       const context::BuildContext& context, const engine::Options& options) {
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
    // "my-base:1 (like gcr.io/distroless/base)": messages name both, the shell-less check sees the
    // latter.
    std::string shown = engine::describeImage(options.baseImages, *image);
    BasePlan plan = planFromCommands(planFor(*image, options.baseImages), file, chain, shown);
    if (auto reason = reasonToKeep(file, stage, chain, switches.empty(), plan, shown, context, options)) {
      std::vector<Finding> all{info(from, *reason)};
      // An image that already runs unprivileged still needs to own what the application writes.
      if (plan.kind == BasePlan::Kind::NonRootByDefault && switches.empty()) {
        for (Finding& chown : chownFindings(file, stage, defaultUser(file, stage, chain, plan), context))
          all.push_back(std::move(chown));
      }
      return all;
    }
    Target target = chooseTarget(file, stage, chain, switches, plan, shown, options);
    Finding change;
    change.offset = switches.empty() ? from : file.instructions[switches.back().index].keywordRange.begin;
    change.message = target.message;
    change.edits = userEdits(file, stage, target);
    if (joinsTrailingContinuation(file, change.edits)) {
      return {info(from,
                   "the file ends in a line continuation: a USER added after it would join the last "
                   "instruction; end the last line without one")};
    }
    std::vector<Finding> all{std::move(change)};
    for (Finding& chown : chownFindings(file, stage, target, context)) all.push_back(std::move(chown));
    return all;
  }
};

}  // namespace
}  // namespace non_root

std::unique_ptr<engine::Transform> makeNonRoot() { return std::make_unique<non_root::NonRoot>(); }

}  // namespace dfopt::transforms
