#pragma once
// Runs the transforms in order over a Dockerfile: parse, transform, apply
// the edits, parse again, and refuse a step whose result does not parse.
#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/input_index.h"
#include "engine/transform.h"
#include "model/parse.h"

namespace dfopt::engine {

struct Selection {
  std::vector<std::string> only;  // empty: all
  std::vector<std::string> skip;
  bool includes(std::string_view name) const;
};

struct FileChange {
  std::string path;                   // relative to the context root
  std::optional<std::string> before;  // nothing: the file is new
  std::string after;
};

struct PipelineOutcome {
  std::string before;
  std::string after;
  std::vector<Finding> findings;  // offsets point into `before`
  std::vector<FileChange> files;
  std::vector<model::Problem> inputErrors;  // the input does not parse: nothing changes
  std::shared_ptr<const syntax::SourceText> inputSource;
  InputIndex input;                      // the input's instructions: where findings map back to
  std::optional<std::string> failure;    // a step went wrong: nothing changes
  std::vector<std::vector<Edit>> steps;  // the edits of each step that ran, in its own text

  bool ok() const { return inputErrors.empty() && !failure; }
  bool changed() const { return ok() && (after != before || !files.empty()); }
  bool withheldFixes() const {
    return std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return f.withheld; });
  }
};

// The context with the files a run wrote (for a second run to see them).
context::BuildContext withFileChanges(const context::BuildContext& context,
                                      const std::vector<FileChange>& files);

// The transforms a pipeline runs, in order.
using TransformList = std::span<const Transform* const>;

PipelineOutcome runPipeline(std::string text, const context::BuildContext& context, const Options& options,
                            TransformList transforms, const Selection& selection = {});

}  // namespace dfopt::engine
