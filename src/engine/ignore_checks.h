#pragma once
// What the pipeline reports about the inline ignores themselves, under the
// name `ignore` (kIgnoreChecks), after the transforms have run: an ignore
// dfopt does not understand, one that names an unknown transform, one with
// no reason, one above no instruction, and one that silenced nothing, with
// a safe fix that removes its line.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/edit.h"
#include "engine/ignores.h"

namespace dfopt::engine {

struct IgnoreUse {
  std::vector<Ignore> ignores;  // of the input, in order
  std::vector<bool> used;       // did ignores[i] silence a finding?
  // By transform, what its latest run silenced: once the passes settle,
  // every transform's latest run read the text dfopt writes, and an ignore
  // is used when one of those runs needed it. (Counting the runs before
  // would keep an ignore whose finding a later fix made go away, which the
  // next run of dfopt would then remove: not a fixed point.)
  std::map<std::string, std::vector<bool>, std::less<>> usedBy;

  // Starts what `transform`'s run silences, forgetting its earlier runs'.
  std::vector<bool>& startRun(std::string_view transform);
  // used, from the latest runs of the transforms.
  void settle();
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
