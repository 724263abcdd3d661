#include "engine/comment_guard.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace dfopt::engine {

bool losesComments(const model::Dockerfile& file, const Finding& finding) {
  const std::vector<model::Comment>& comments = file.comments;  // in order
  if (comments.empty()) return false;
  std::string written;
  for (const Edit& edit : finding.edits) written += edit.replacement;
  for (const Edit& edit : finding.edits) {
    if (edit.range.size() == 0) continue;
    auto first = std::lower_bound(comments.begin(), comments.end(), edit.range.begin,
                                  [](const model::Comment& c, uint32_t at) { return c.range.begin < at; });
    for (auto comment = first; comment != comments.end() && comment->range.begin < edit.range.end;
         ++comment) {
      if (written.find(file.source->slice(comment->range)) == std::string::npos) return true;
    }
  }
  return false;
}

}  // namespace dfopt::engine
