#pragma once
// Questions transforms ask of a Dockerfile: where a stage is, the working
// directory at an instruction, paths resolved against it.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "model/dockerfile.h"

namespace dfopt::model {

// The stage holding instruction `index` (nothing before the first FROM).
const Stage* stageOf(const Dockerfile& file, size_t index);
// The last stage, the one the image is made from by default.
const Stage* finalStage(const Dockerfile& file);
// The instruction whose text holds byte `offset`, or nothing.
const Instruction* instructionAt(const Dockerfile& file, uint32_t offset);
// The stage named (case-insensitively) or numbered `reference`.
const Stage* findStage(const Dockerfile& file, std::string_view reference);
// The first stage named `name` (case-insensitive) after AS; numbers are not names.
const Stage* findStageByName(const Dockerfile& file, std::string_view name);

// The absolute working directory in effect just before instruction `index`
// ("/" by default); nothing when a WORKDIR uses a variable with no known
// value. A stage built FROM another stage inherits its working directory.
std::optional<std::string> workdirBefore(const Dockerfile& file, size_t index);

// Linux's PATH_MAX: no longer path names a file; past it, analyses give up
// on a path rather than spend time on it.
constexpr size_t kPathMax = 4096;

// `path` resolved against the absolute directory `base`, normalised ("." and
// ".." removed; a trailing '/' dropped except for "/").
std::string resolvePath(std::string_view base, std::string_view path);

// Is an ADD/COPY source a URL or a git address rather than a context path?
bool isRemoteSource(std::string_view source);

// The last USER in effect at the end of stage (empty: root by default).
std::string userAtEnd(const Dockerfile& file, const Stage& stage);

}  // namespace dfopt::model
