#pragma once
// What a transform is: a name, and a pure function from the model, the build
// context and the options to findings with edits.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "context/build_context.h"
#include "engine/base_images.h"
#include "engine/edit.h"
#include "model/dockerfile.h"

namespace dfopt::engine {

struct Options {
  std::string user = "appuser";
  uint32_t uid = 10000;
  std::string runtimeImage;  // empty: derived from the build stage's base image
  std::string fileName;      // the Dockerfile's name (Dockerfile.dev...), empty for standard input
  bool unsafeFixes = false;  // apply fixes marked Safety::Unsafe too
  // --pin-digests: the base images the builder resolved, as FROM names them
  // (variables expanded) -> "sha256:...", found by the CLI before the run.
  bool pinDigests = false;
  std::map<std::string, std::string, std::less<>> imageDigests;
  // The team's own base images and what they are like (.dfopt.yaml's base-images).
  BaseImages baseImages;
  // Set by the pipeline in the passes after the first of a file without
  // inline ignores, where only findings that change the file are kept: a
  // transform may leave out work that can only report. When it changes
  // something, the pipeline runs it again without this, for all it finds.
  bool changesOnly = false;
};

struct Result {
  std::vector<Finding> findings;
};

class Transform {
 public:
  virtual ~Transform() = default;
  virtual std::string_view name() const = 0;
  virtual Result run(const model::Dockerfile& file, const context::BuildContext& context,
                     const Options& options) const = 0;
};

}  // namespace dfopt::engine
