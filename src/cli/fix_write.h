#pragma once
// What `dfopt fix` writes: the rewritten Dockerfile and the files the
// transforms made in its context, each only if it is still what dfopt
// read (cli/safe_write.h).
#include <optional>
#include <string>

#include "cli/rewrite.h"

namespace dfopt::cli {

// Returns an error message (without the path) on failure.
std::optional<std::string> writeDockerfile(const FileRun& run);
std::optional<std::string> writeContextFile(const FileRun& run, const engine::FileChange& file);

}  // namespace dfopt::cli
