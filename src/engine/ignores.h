#pragma once
// Inline ignores: `# dfopt: ignore[names] -- reason` on a comment line
// directly above an instruction (or on a comment line inside its
// continuation) silences those transforms for that instruction (above a
// FROM, for its stage: the pipeline decides);
// `# dfopt: ignore-file[names] -- reason` anywhere silences them for the
// file. No brackets: every transform. Reading them is pure; the pipeline
// applies them (pipeline.cpp) and reports the faulty ones (ignore_checks.h).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/dockerfile.h"

namespace dfopt::engine {

// The name the pipeline reports faulty and unused ignores under; `--skip
// ignore` turns those reports off.
inline constexpr std::string_view kIgnoreChecks = "ignore";

enum class IgnoreScope { Instruction, File };

struct Pragma {
  IgnoreScope scope = IgnoreScope::Instruction;
  std::vector<std::string> names;  // lower case; empty: every transform
  std::string reason;              // empty: none given
  std::string error;               // addressed to dfopt but not understood

  bool covers(std::string_view transform) const;
};

// Reads a comment's text (after '#', trimmed): nothing when it is not
// addressed to dfopt (`dfopt:`, any case); a pragma with `error` set when
// it is but is not an ignore dfopt understands.
std::optional<Pragma> parsePragma(std::string_view commentText);

struct Ignore {
  Pragma pragma;
  model::Comment comment;
  // For IgnoreScope::Instruction, the index in Dockerfile::instructions of
  // the instruction it sits above or inside; nothing when none (a blank line
  // or the end of the file follows it).
  std::optional<size_t> instruction;

  bool silences(std::string_view transform, std::optional<size_t> at) const;
};

// Every dfopt comment of the file, in order.
std::vector<Ignore> readIgnores(const model::Dockerfile& file);

}  // namespace dfopt::engine
