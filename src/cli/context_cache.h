#pragma once
// The build contexts of a run, each listed once however many Dockerfiles
// share it (`dfopt check --context X a b c`, a directory walk), also when
// files run on several threads. A file dfopt writes into a context makes
// the next request list that context again.
#include <filesystem>
#include <iostream>
#include <vector>

#include "context/build_context.h"

namespace dfopt::cli {

// The context of `directory`, listed on the first request, which prints
// what could not be listed to `warnings` (`DIR/SUB: warning: ...`).
context::BuildContext sharedContext(const std::filesystem::path& directory, std::ostream& warnings);

// dfopt wrote `file`: the contexts holding it are listed anew next time.
void forgetContextsHolding(const std::filesystem::path& file);

// A walk read `directory` and found `entries`: listing a context that holds
// it takes them instead of reading it again (once; kept for a bounded
// number of directories, and forgotten on any write).
void rememberEntries(const std::filesystem::path& directory, std::vector<context::DirectoryEntry> entries);

}  // namespace dfopt::cli
