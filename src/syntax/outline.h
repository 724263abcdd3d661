#pragma once
// What the model is built from: a Dockerfile's lines as the grammar reads
// them (directives, comments, instructions), and for each instruction the
// byte ranges of its keyword, of the extras BuildKit drops from the joined
// line and of its heredocs.
//
// Two readers give the same outline. readOutline runs the grammar's own
// external scanner (grammar/src/scanner.c) over the text, with the valid
// tokens tree-sitter would ask for at each point: every token of the grammar
// comes from that scanner and the grammar only puts them in a fixed order,
// so the parse tables add nothing for a text that follows that order.
// outlineOf reads tree-sitter's tree. readOutline declines (nothing) at the
// first token out of that order, where tree-sitter would recover from an
// error: the caller then parses with tree-sitter, which says what is wrong.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/source_text.h"

namespace dfopt::syntax {

class SyntaxTree;

enum class OutlineKind : uint8_t { Directive, Comment, Instruction };

// The parts of an instruction that are not its words: continuations, the
// comment and empty lines within them, and a continuation ending the file.
enum class PartKind : uint8_t {
  LineContinuation,
  FinalContinuation,
  ContinuationComment,
  EmptyContinuationLine
};

struct OutlinePart {
  PartKind kind;
  ByteRange range;
  bool operator==(const OutlinePart&) const = default;
};

struct OutlineHeredoc {
  ByteRange range;                // its body and closing line
  std::optional<ByteRange> body;  // none for an empty heredoc
  bool operator==(const OutlineHeredoc&) const = default;
};

struct OutlineItem {
  OutlineKind kind;
  ByteRange range;
  // For an instruction: its own keyword (not its ONBUILD trigger's), its
  // parts in order (its trigger's included) and its heredocs.
  ByteRange keyword;
  std::vector<OutlinePart> parts;
  std::vector<OutlineHeredoc> heredocs;
  bool operator==(const OutlineItem&) const = default;
};

struct Outline {
  std::vector<OutlineItem> items;
  bool operator==(const Outline&) const = default;
};

// The outline of `bytes` read by the grammar's scanner alone; nothing when
// the text leaves the grammar's order (tree-sitter must then parse it).
// `bytes` must be valid UTF-8 without NUL bytes (findEncodingProblem).
std::optional<Outline> readOutline(std::string_view bytes);

// The same for `bytes`, the text `previous` was read from (by readOutline)
// after `changes` (in the old text's offsets; they may touch but not
// overlap), read again only around the changes: from the last item that
// begins before a change to the first item past it that begins where an
// item of the old text began; the old items from there to the next change
// are taken, moved. A change among the directives is read whole.
std::optional<Outline> readOutlineAgain(std::string_view bytes, const Outline& previous,
                                        std::vector<TextChange> changes);

// The outline of a tree tree-sitter parsed without errors.
Outline outlineOf(const SyntaxTree& tree);

// Where two outlines first differ, as a readable line; nothing when equal.
std::optional<std::string> firstDifference(const Outline& a, const Outline& b);

}  // namespace dfopt::syntax
