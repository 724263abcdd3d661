#pragma once
// `--format github`: each finding as a GitHub Actions workflow command
// (`::warning file=...,line=...,col=...,endLine=...,endColumn=...,title=...::message`,
// `::notice` for an info), which GitHub shows as an annotation.
#include <string>
#include <string_view>

#include "print/findings_report.h"

namespace dfopt::print {

// One line per finding; with `onlyFixes`, only the findings that change
// something or whose unsafe fix was withheld (what `dfopt diff` lists).
std::string findingsGithub(const FileReport& file, bool onlyFixes = false);

// GitHub's escaping of a command's message: %, \r, \n.
std::string escapeGithubData(std::string_view text);
// ...and of a property value: also : and ,.
std::string escapeGithubProperty(std::string_view text);

}  // namespace dfopt::print
