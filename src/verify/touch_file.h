#pragma once
// The source file verify edits before the rebuilds, and the edit.
#include <optional>
#include <string>

#include "context/build_context.h"

namespace dfopt::verify {

// Does a file of this name list dependencies or describe the build rather
// than hold source? The manifests and markers of the engine's ecosystems
// (package.json, poetry.lock, build.gradle...), requirements*.txt,
// setup.py, setup.cfg, .dockerignore and Dockerfiles.
bool isManifestOrBuildFile(const std::string& name);

// A file the image is built from that is source, not a dependency list:
// source extensions first, shallow paths first; nothing when there is none.
// Files that the context's or the rewrite's .dockerignore excludes never
// reach the builder.
std::optional<std::string> pickTouchFile(const context::BuildContext& context,
                                         const context::Dockerignore& rewrittenIgnore);

// What to append to the file at `path`: an edit that changes its content
// without changing what it does (a comment, or a blank line).
std::string touchSuffix(const std::string& path);

}  // namespace dfopt::verify
