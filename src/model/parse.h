#pragma once
// Bytes in, model out: the one entry point from text to a Dockerfile.
#include <optional>
#include <string>
#include <vector>

#include "model/dockerfile.h"
#include "syntax/outline.h"
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
  // parsed again where it changed only; none when the text was read
  // without tree-sitter.
  std::shared_ptr<const syntax::SyntaxTree> tree;
  // The outline, kept when asked for and read by the grammar's scanner
  // alone, so that a changed text is read again only where it changed.
  std::shared_ptr<const syntax::Outline> outline;
};

// The model is built from the text's outline (syntax/outline.h): read by
// the grammar's scanner alone when it can, else from tree-sitter's tree,
// whose errors say what is wrong with a text that does not parse.
ParseOutcome parseDockerfile(std::string bytes);

// The text of an earlier outcome after `changes`: where it kept a tree or
// an outline, the new text is parsed (SyntaxTree::reparse) or read
// (syntax::readOutlineAgain) again only where it changed; else whole.
struct ChangedText {
  const syntax::SyntaxTree* previous = nullptr;
  const syntax::Outline* previousOutline = nullptr;
  std::vector<syntax::TextChange> changes;
  // The earlier text's model, when it is still there: the new model takes
  // the instructions the text repeats byte for byte from it (model/reuse.h),
  // moving them out. It is left for discarding.
  Dockerfile* previousModel = nullptr;
};
// As parseDockerfile, reusing what `changed` left of the earlier tree,
// outline and model, and keeping the new tree (if tree-sitter made one) or
// outline (if the scanner read it alone) in the outcome.
ParseOutcome parseDockerfileKeepingTree(std::string bytes, ChangedText changed = {});

}  // namespace dfopt::model
