#pragma once
// Nothing lost: a finding whose edits remove a comment line without writing
// it again (an instruction removed with a comment inside its continuation)
// keeps its fix out (edits and files), whichever transform made it.
#include "engine/edit.h"
#include "model/dockerfile.h"

namespace dfopt::engine {

bool losesComments(const model::Dockerfile& file, const Finding& finding);
void keepComments(Finding& finding);

}  // namespace dfopt::engine
