#include "engine/open_continuation.h"

#include <algorithm>
#include <string_view>

#include "engine/style.h"

namespace dfopt::engine {
namespace {

std::string_view trimmedRight(std::string_view line) {
  size_t end = line.find_last_not_of(" \t\r\n");
  return end == std::string_view::npos ? std::string_view() : line.substr(0, end + 1);
}

bool isCommentOrBlank(std::string_view line) {
  size_t first = line.find_first_not_of(" \t\r\n");
  return first == std::string_view::npos || line[first] == '#';
}

}  // namespace

std::optional<uint32_t> openContinuationAtEnd(const model::Dockerfile& file) {
  if (file.instructions.empty() || !file.instructions.back().heredocs.empty()) return std::nullopt;
  std::string_view bytes = file.source->bytes();
  uint32_t begin = file.instructions.back().range.begin;
  // the physical lines from the end of the file back to the instruction's first
  for (uint32_t end = static_cast<uint32_t>(bytes.size()); end > begin;) {
    uint32_t start = std::max(lineStart(bytes, end - 1), begin);
    std::string_view line = bytes.substr(start, end - start);
    end = start;
    if (isCommentOrBlank(line)) continue;
    std::string_view text = trimmedRight(line);
    if (text.empty() || text.back() != file.escape) return std::nullopt;
    return static_cast<uint32_t>(start + text.size() - 1);
  }
  return std::nullopt;
}

bool writesAfter(const Finding& finding, uint32_t escape) {
  return std::any_of(finding.edits.begin(), finding.edits.end(), [&](const Edit& edit) {
    return edit.range.begin > escape && !edit.replacement.empty();
  });
}

}  // namespace dfopt::engine
