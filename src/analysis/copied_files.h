#pragma once
// Which build-context file the COPY and ADD instructions put at an image
// path: forwards (where a COPY puts a context file) and backwards (which
// context file is at an image path when a RUN starts).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/effects.h"
#include "context/build_context.h"
#include "model/dockerfile.h"

namespace dfopt::analysis {

// The image path where a COPY or ADD with effects `effect` puts the context
// file `path` that its source `source` brings.
std::string copiedTo(const Effects& effect, std::string_view source, std::string_view path);

// The context file at the absolute image path `imagePath` when instruction
// `index` runs: the last COPY or ADD from the context before it in its stage
// (and in the stages that stage is built FROM) that brings one there, past
// .dockerignore, or a bind mount of the context on that RUN. Nothing when
// none does.
std::optional<std::string> contextFileAt(const model::Dockerfile& file, const std::vector<Effects>& effects,
                                         const context::BuildContext& context, size_t index,
                                         std::string_view imagePath);

}  // namespace dfopt::analysis
