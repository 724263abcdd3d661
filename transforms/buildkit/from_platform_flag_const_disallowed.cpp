// FromPlatformFlagConstDisallowed: `FROM --platform=linux/amd64` pins the
// stage to one platform whatever the build targets. Not reported when the
// stage's name holds the platform's OS or architecture (`AS build-amd64`),
// as BuildKit exempts such stages. No fix: a pinned platform may be meant
// (a tool that only exists for amd64), and only the author knows.
#include <fmt/format.h>

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/platform.h"
#include "transforms/buildkit/scope.h"
#include "util/go_text.h"
#include "util/text.h"

namespace dfopt::transforms::buildkit {

void fromPlatformFlagConstDisallowed(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const GlobalScope& global = input.global;
  for (const FromExpansion& from : fromExpansions(input.file, global)) {
    if (!from.platform || !from.platform->matched.empty() || !from.platform->unmatched.empty()) continue;
    if (!from.platform->result) continue;
    std::optional<Platform> platform = parsePlatform(*from.platform->result);
    if (!platform) continue;
    std::string name = text::lower(from.stage->name);
    if (text::contains(name, platform->os) || text::contains(name, platform->architecture)) continue;
    engine::Finding finding;
    finding.offset = input.file.instructions[from.stage->from].keywordRange.begin;
    finding.message = fmt::format("FROM --platform flag should not use constant value {}",
                                  golang::quote(*from.platform->result));
    findings.push_back(std::move(finding));
  }
}

}  // namespace dfopt::transforms::buildkit
