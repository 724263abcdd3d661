#pragma once
// Names that mark a development target: an image for working on the app
// (a stage named dev, a Dockerfile.dev), which keeps its tool chain and
// development server.
#include <string_view>

namespace dfopt::engine {

// A stage name: dev, development, debug (any case), also as a part of a
// name split at '-', '_' or '.' (dev-envs).
bool isDevelopmentStageName(std::string_view name);

// Dockerfile.dev, dev.Dockerfile, Dockerfile-debug...
bool isDevelopmentFileName(std::string_view fileName);

}  // namespace dfopt::engine
