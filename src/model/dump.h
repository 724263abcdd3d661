#pragma once
// The model printed for people and tools: BuildKit's AST dump, and JSON.
#include <string>

#include "model/dockerfile.h"

namespace dfopt::model {

// Exactly what BuildKit's `(*Node).Dump()` prints for the file, plus "\n".
std::string buildkitDump(const Dockerfile& file);

// The model with byte ranges and line:column positions, as JSON text.
std::string jsonDump(const Dockerfile& file);

}  // namespace dfopt::model
