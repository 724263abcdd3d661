#pragma once
// The build contexts of a run, each listed once however many Dockerfiles
// share it (`dfopt check --context X a b c`, a directory walk), also when
// files run on several threads. A file dfopt writes into a context makes
// the next request list that context again.
#include <filesystem>
#include <iostream>

#include "context/build_context.h"

namespace dfopt::cli {

// The context of `directory`, listed on the first request, which prints
// what could not be listed to `warnings` (`DIR/SUB: warning: ...`).
context::BuildContext sharedContext(const std::filesystem::path& directory, std::ostream& warnings);

// dfopt wrote `file`: the contexts holding it are listed anew next time.
void forgetContextsHolding(const std::filesystem::path& file);

}  // namespace dfopt::cli
