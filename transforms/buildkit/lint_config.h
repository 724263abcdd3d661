#pragma once
// What BuildKit's linter reads besides the instructions: the `# check=`
// directive (skip=..., experimental=...), a `check=` comment directly above
// an instruction, and the comments it attaches to an instruction.
#include <string>
#include <string_view>
#include <vector>

#include "model/dockerfile.h"

namespace dfopt::transforms::buildkit {

// BuildKit's Node.PrevComment: the comment lines since the previous
// instruction, each the text after its first byte, trimmed; an empty `#`
// starts them afresh, a blank line does not; parser directives are left out.
std::vector<std::string> previousComments(const model::Dockerfile& file, size_t index);

// Would BuildKit report `rule` with the file's `# check=` directive and,
// when `instruction` is given, the `check=` comment above it? An
// experimental rule is reported only when asked for, whatever skip says.
bool ruleEnabled(const model::Dockerfile& file, std::string_view rule, bool experimental,
                 const model::Instruction* instruction = nullptr);

}  // namespace dfopt::transforms::buildkit
