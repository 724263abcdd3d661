#pragma once
// Unified diffs in git's format, which `git apply` accepts.
#include <string>
#include <string_view>

namespace dfopt::print {

struct DiffColors {
  bool enabled = false;
};

// The diff of one file: "diff --git a/P b/P", "--- a/P" / "+++ b/P" (or
// /dev/null for a new or deleted file), hunks with `context` lines of
// context and "\ No newline at end of file" where it applies. Empty when
// the texts are equal. `path` is relative, with '/' separators.
std::string unifiedDiff(std::string_view path, std::string_view before, std::string_view after,
                        bool beforeExists = true, bool afterExists = true, int context = 3,
                        DiffColors colors = {});

}  // namespace dfopt::print
