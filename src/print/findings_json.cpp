#include "print/findings_json.h"

#include <nlohmann/json.hpp>

namespace dfopt::print {
namespace {

using nlohmann::ordered_json;

void addPlace(ordered_json& out, syntax::Position start, syntax::Position end) {
  out["line"] = start.line;
  out["column"] = start.column;
  out["endLine"] = end.line;
  out["endColumn"] = end.column;
}

ordered_json editJson(const FileReport& file, const engine::Edit& edit) {
  ordered_json out;
  out["begin"] = edit.range.begin;
  out["end"] = edit.range.end;
  addPlace(out, file.source->position(edit.range.begin), file.source->position(edit.range.end));
  out["replacement"] = edit.replacement;
  return out;
}

ordered_json findingJson(const FileReport& file, const ReportedFinding& reported) {
  const engine::Finding& finding = reported.finding;
  ordered_json out;
  out["transform"] = finding.transform;
  out["severity"] = engine::severityName(finding.severity);
  out["safety"] = finding.safety == engine::Safety::Safe ? "safe" : "unsafe";
  out["withheld"] = finding.withheld;
  out["message"] = finding.message;
  addPlace(out, reported.start, reported.end);
  out["offset"] = reported.offset;
  out["endOffset"] = reported.endOffset;
  out["edits"] = ordered_json::array();
  for (const engine::Edit& edit : reported.edits) out["edits"].push_back(editJson(file, edit));
  out["files"] = ordered_json::array();
  for (const engine::FileChange& written : reported.files) {
    out["files"].push_back({{"path", written.path}, {"content", written.after}, {"new", !written.before}});
  }
  return out;
}

}  // namespace

std::string findingsJson(const std::vector<FileReport>& files, std::string_view command,
                         std::string_view toolVersion) {
  ordered_json doc;
  doc["version"] = kFindingsJsonVersion;
  doc["tool"] = {{"name", "dfopt"}, {"version", toolVersion}};
  doc["command"] = command;
  doc["files"] = ordered_json::array();
  for (const FileReport& file : files) {
    ordered_json entry;
    entry["path"] = file.path;
    entry["context"] = file.contextDir;
    entry["changed"] = file.changed;
    entry["findings"] = ordered_json::array();
    for (const ReportedFinding& finding : file.findings)
      entry["findings"].push_back(findingJson(file, finding));
    if (file.diff) entry["diff"] = *file.diff;
    doc["files"].push_back(std::move(entry));
  }
  return doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace dfopt::print
