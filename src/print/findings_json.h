#pragma once
// `--format json`: the findings of a run as one JSON document, described
// by docs/dfopt-findings.schema.json (its "version" says which).
#include <string>
#include <string_view>
#include <vector>

#include "print/findings_report.h"

namespace dfopt::print {

inline constexpr int kFindingsJsonVersion = 1;

// `command` is "check" or "diff"; ends with a newline.
std::string findingsJson(const std::vector<FileReport>& files, std::string_view command,
                         std::string_view toolVersion);

}  // namespace dfopt::print
