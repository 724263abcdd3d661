#pragma once
// Edits, findings and the extra files transforms propose. Transforms return
// these; only the pipeline applies them.
#include <optional>
#include <string>
#include <vector>

#include "syntax/source_text.h"

namespace dfopt::engine {

using syntax::ByteRange;

// Replace the bytes in `range` (empty for an insertion) with `replacement`.
struct Edit {
  ByteRange range;
  std::string replacement;
};

enum class Severity { Info, Warning };

// A whole file of the build context to create or replace (.dockerignore).
struct ExtraFile {
  std::string path;  // relative to the context root
  std::string content;
};

struct Finding {
  std::string transform;
  uint32_t offset = 0;  // where in the Dockerfile it applies
  Severity severity = Severity::Warning;
  std::string message;  // one line: what and why
  std::vector<Edit> edits;
  std::vector<ExtraFile> files;

  bool changes() const { return !edits.empty() || !files.empty(); }
};

// Applies non-overlapping edits (any order); nothing when two overlap.
std::optional<std::string> applyEdits(std::string_view text, std::vector<Edit> edits);

std::string_view severityName(Severity severity);

}  // namespace dfopt::engine
