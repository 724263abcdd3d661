#pragma once
// Moving a secret from an ARG or ENV to `RUN --mount=type=secret` on the
// RUN steps that read it, or the reason it cannot move.
#include <string>
#include <vector>

#include "engine/edit.h"
#include "model/dockerfile.h"
#include "transforms/secrets/declarations.h"

namespace dfopt::transforms::secrets {

// How a RUN receives a secret: as an environment variable (the mount's
// `env=` option, Dockerfile frontend 1.10 and later) or by reading the
// file the mount puts in /run/secrets.
enum class MountForm { Env, File };

// `env=` when the `# syntax=` directive asks for a frontend that has it;
// the file otherwise (the builder's own frontend may be older).
MountForm mountFormOf(const model::Dockerfile& file);

struct Move {
  std::vector<engine::Edit> edits;
  // No RUN names it: every RUN in its scope that runs a program that may
  // read the environment gets it.
  bool everyRun = false;
  size_t runs = 0;      // the RUN steps that get the mount
  std::string refusal;  // why it stays, when not empty
  // A line mention (engine/line_mention.h) of the ENV of its stage that
  // sets it anew, where its scope ends; empty when none does.
  std::string setAgainOn;
};

// Is it an ENV that the final image inherits (from its stage or one it is
// built FROM)? The running container sees it then.
bool reachesFinalImage(const model::Dockerfile& file, const Declaration& declaration);

Move planMove(const model::Dockerfile& file, const Declaration& declaration, MountForm form);

}  // namespace dfopt::transforms::secrets
