#pragma once
// Bytes in, model out: the one entry point from text to a Dockerfile.
#include <optional>
#include <string>
#include <vector>

#include "model/dockerfile.h"
#include "syntax/syntax_tree.h"

namespace dfopt::model {

struct Problem {
  uint32_t offset;
  std::string message;
};

struct ParseOutcome {
  std::shared_ptr<const syntax::SourceText> source;
  std::optional<Dockerfile> dockerfile;  // set when `errors` is empty
  std::vector<Problem> errors;
  // The syntax tree, kept when asked for, so that a changed text can be
  // parsed again where it changed only.
  std::shared_ptr<const syntax::SyntaxTree> tree;
};

ParseOutcome parseDockerfile(std::string bytes);

// The text of an earlier outcome's tree after `changes` (see
// SyntaxTree::reparse); with no earlier tree, parsed whole.
struct ChangedText {
  const syntax::SyntaxTree* previous = nullptr;
  std::vector<syntax::TextChange> changes;
  // The earlier text's model, when it is still there: the new model takes
  // the instructions the text repeats byte for byte from it (model/reuse.h),
  // moving them out. It is left for discarding.
  Dockerfile* previousModel = nullptr;
};
// As parseDockerfile, reusing what `changed` left of the earlier tree and
// model, and keeping the new tree in the outcome.
ParseOutcome parseDockerfileKeepingTree(std::string bytes, ChangedText changed = {});

}  // namespace dfopt::model
