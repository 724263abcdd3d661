#pragma once
// Nothing lost: a finding whose edits remove a comment line without writing
// it again (an instruction removed with a comment inside its continuation)
// keeps its fix out (engine::leaveOutFix), whichever transform made it.
#include <string_view>

#include "engine/edit.h"
#include "model/dockerfile.h"

namespace dfopt::engine {

bool losesComments(const model::Dockerfile& file, const Finding& finding);
inline constexpr std::string_view kLosesComments = "its edits would remove comment lines";

}  // namespace dfopt::engine
