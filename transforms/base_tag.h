#pragma once
// What base-tag and the CLI share: the base images that name no tag, or
// `latest`, which `--pin-digests` asks the builder to resolve.
#include <string>
#include <vector>

#include "model/dockerfile.h"

namespace dfopt::transforms {

// The images FROM names without a tag or with `latest`, and without a
// digest, as written with the global ARGs' defaults expanded; not scratch,
// not a stage.
std::vector<std::string> unpinnedBaseImages(const model::Dockerfile& file);

}  // namespace dfopt::transforms
