#pragma once
// Each finding's edits as replacements of the INPUT file. A finding's own
// edits are ranges of the text its step saw (the pipeline applies the
// transforms one after the other and parses again), so they cannot be
// applied to the input. This composes the steps over the input and credits
// every replaced range to the finding whose edit made it: applying the
// edits of all findings to `before` gives `after`, byte for byte.
#include <vector>

#include "engine/pipeline.h"

namespace dfopt::print {

// One list per finding of `outcome.findings`, in its order. The ranges are
// of `outcome.before`, each list sorted; no two edits of all the lists
// overlap, and no two insertions share an offset, so they apply in the
// order of (begin, end): an insertion goes before a replacement that starts
// where it is. A finding whose change a later step undid, or took over by
// rewriting the text it wrote, gets no edit.
std::vector<std::vector<engine::Edit>> inputEdits(const engine::PipelineOutcome& outcome);

// Applies the edits of all lists to `text` in the order of (begin, end)
// (nothing when two overlap).
std::optional<std::string> applyAll(std::string_view text,
                                    const std::vector<std::vector<engine::Edit>>& edits);

}  // namespace dfopt::print
