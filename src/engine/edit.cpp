#include "engine/edit.h"

#include <algorithm>

namespace dfopt::engine {

std::optional<std::string> applyEdits(std::string_view text, std::vector<Edit> edits) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.range.begin < b.range.begin; });
  size_t size = text.size();
  uint32_t at = 0;
  for (const Edit& edit : edits) {
    if (edit.range.begin < at || edit.range.end > text.size() || edit.range.end < edit.range.begin) {
      return std::nullopt;
    }
    size += edit.replacement.size() - (edit.range.end - edit.range.begin);
    at = edit.range.end;
  }
  std::string out;
  out.reserve(size);  // a large file is not copied again as it grows
  at = 0;
  for (const Edit& edit : edits) {
    out.append(text.substr(at, edit.range.begin - at));
    out.append(edit.replacement);
    at = edit.range.end;
  }
  out.append(text.substr(at));
  return out;
}

std::string_view severityName(Severity severity) { return severity == Severity::Info ? "info" : "warning"; }

void leaveOutFix(Finding& finding, std::string_view why) {
  finding.edits.clear();
  finding.files.clear();
  finding.message += "; not applied: ";
  finding.message += why;
}

std::string fixLabel(const Finding& finding) {
  if (finding.withheld) return " [unsafe fix, not applied: --unsafe-fixes]";
  if (!finding.changes()) return "";
  return finding.safety == Safety::Safe ? " [safe fix]" : " [unsafe fix]";
}

}  // namespace dfopt::engine
