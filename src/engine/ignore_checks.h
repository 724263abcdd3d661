#pragma once
// What the pipeline reports about the inline ignores themselves, under the
// name `ignore` (kIgnoreChecks), after the transforms have run: an ignore
// dfopt does not understand, one that names an unknown transform, one with
// no reason, one above no instruction, and one that silenced nothing, with
// a safe fix that removes its line.
#include <string>
#include <string_view>
#include <vector>

#include "engine/edit.h"
#include "engine/ignores.h"

namespace dfopt::engine {

struct IgnoreUse {
  std::vector<Ignore> ignores;  // of the input, in order
  std::vector<bool> used;       // did ignores[i] silence a finding?
};

struct IgnoreCheckInput {
  const model::Dockerfile& input;
  std::string_view after;          // the text the transforms left
  std::vector<std::string> known;  // every transform name of the pipeline
  std::vector<std::string> ran;    // those the selection ran
};

// Findings at the input's comments; the edits of an unused ignore's fix
// apply to `after` and remove its line (and the lines of its copies: an
// instruction copied with its comments takes the ignore along).
std::vector<Finding> checkIgnores(const IgnoreUse& use, const IgnoreCheckInput& run);

}  // namespace dfopt::engine
