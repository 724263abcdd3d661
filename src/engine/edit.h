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

// As ruff's: a safe fix keeps what the image does and is applied by `fix`;
// an unsafe one may change behaviour and is applied only with --unsafe-fixes.
enum class Safety { Safe, Unsafe };

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
  Safety safety = Safety::Safe;
  bool withheld = false;  // an unsafe fix left out: its edits and files are dropped
  // Set by the pipeline: what it is about is an instruction an earlier step
  // wrote, so it sits at the input instruction that matches it best, or at
  // the FROM of its input stage.
  bool atInsertion = false;

  bool changes() const { return !edits.empty() || !files.empty(); }
};

// Applies non-overlapping edits (any order); nothing when two overlap.
std::optional<std::string> applyEdits(std::string_view text, std::vector<Edit> edits);

std::string_view severityName(Severity severity);

// Leaves the finding's fix out whole (its files belong with its edits) and
// says why in its message: "...; not applied: WHY".
void leaveOutFix(Finding& finding, std::string_view why);

// ` [safe fix]`, ` [unsafe fix]`, ` [unsafe fix, not applied: --unsafe-fixes]`,
// or nothing for a finding without a fix.
std::string fixLabel(const Finding& finding);

}  // namespace dfopt::engine
