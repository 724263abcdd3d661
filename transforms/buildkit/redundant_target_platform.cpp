// RedundantTargetPlatform: `FROM --platform=$TARGETPLATFORM` asks for what
// FROM does anyway. The fix removes the flag and the blank before it. It
// is not safe when the file declares ARG TARGETPLATFORM before the first
// FROM: then the flag follows that ARG, and FROM alone would not.
#include <algorithm>

#include <fmt/format.h>

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/scope.h"

namespace dfopt::transforms::buildkit {
namespace {

bool isRedundant(const model::WordExpansion& platform, const GlobalScope& global) {
  if (platform.matched.size() != 1 || !platform.matched.contains("TARGETPLATFORM") ||
      !platform.unmatched.empty()) {
    return false;
  }
  auto value = global.args.find("TARGETPLATFORM");
  return value != global.args.end() && platform.result && platform.result == value->second;
}

// The flag and the blank that separates it from what comes before it.
std::optional<engine::Edit> removeFlag(const model::Instruction& from) {
  uint32_t previousEnd = from.keywordRange.end;
  for (const model::Flag& flag : from.flags) {
    if (flag.name == "platform") return engine::Edit{{previousEnd, flag.range.end}, ""};
    previousEnd = flag.range.end;
  }
  return std::nullopt;
}

}  // namespace

void redundantTargetPlatform(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const GlobalScope& global = input.global;
  bool declared =
      std::find(global.declared.begin(), global.declared.end(), "TARGETPLATFORM") != global.declared.end();
  for (const FromExpansion& from : fromExpansions(input.file, global)) {
    if (!from.platform || !isRedundant(*from.platform, global)) continue;
    const model::Instruction& instruction = input.file.instructions[from.stage->from];
    engine::Finding finding;
    finding.offset = instruction.keywordRange.begin;
    finding.message =
        fmt::format("Setting platform to predefined {} in FROM is redundant as this is the default behavior",
                    from.stage->platform);
    if (declared) {
      finding.message += "; kept: the file declares ARG TARGETPLATFORM, which the flag follows";
    } else if (auto edit = removeFlag(instruction)) {
      finding.edits.push_back(*edit);
    }
    findings.push_back(std::move(finding));
  }
}

}  // namespace dfopt::transforms::buildkit
