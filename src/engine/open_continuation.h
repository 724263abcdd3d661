#pragma once
// A file whose last instruction continues past its last line: a trailing
// escape followed by nothing but comment or blank lines. BuildKit ends that
// instruction at the end of the file, but a line written after it would
// join it (a USER appended to such a file becomes words of the RUN above).
#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/edit.h"
#include "model/dockerfile.h"

namespace dfopt::engine {

// The offset of that trailing escape, when the file ends so.
std::optional<uint32_t> openContinuationAtEnd(const model::Dockerfile& file);

// Does the finding write text after `escape`, into that instruction? Then
// its fix is left out (engine::leaveOutFix) for this reason.
bool writesAfter(const Finding& finding, uint32_t escape);
inline constexpr std::string_view kWritesIntoOpenContinuation =
    "the file's last instruction ends in a line continuation, which would take in the lines written after it";

}  // namespace dfopt::engine
