#include "print/findings_github.h"

#include <fmt/format.h>

namespace dfopt::print {

std::string escapeGithubData(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string escapeGithubProperty(std::string_view text) {
  std::string out;
  for (char c : escapeGithubData(text)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

std::string findingsGithub(const FileReport& file, bool onlyFixes) {
  std::string out;
  for (const ReportedFinding& reported : file.findings) {
    const engine::Finding& finding = reported.finding;
    if (onlyFixes && !finding.changes() && !finding.withheld) continue;
    std::string_view command = finding.severity == engine::Severity::Warning ? "warning" : "notice";
    std::string title = fmt::format("dfopt {}", finding.transform);
    out += fmt::format("::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n", command,
                       escapeGithubProperty(file.path), reported.start.line, reported.start.column,
                       reported.end.line, reported.end.column, escapeGithubProperty(title),
                       escapeGithubData(finding.message + engine::fixLabel(finding)));
  }
  return out;
}

}  // namespace dfopt::print
