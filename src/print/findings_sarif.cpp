#include "print/findings_sarif.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "print/transform_rules.h"

namespace dfopt::print {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

// "non-root" -> "NonRoot", as SARIF rule names are written.
std::string ruleName(std::string_view transform) {
  std::string name;
  bool upper = true;
  for (char c : transform) {
    if (c == '-') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

ordered_json ruleJson(std::string_view transform) {
  std::optional<TransformRule> rule = transformRule(transform);
  std::string summary = rule ? std::string(rule->summary) : fmt::format("The {} transform.", transform);
  std::string help = rule ? fmt::format("{} {}", rule->summary, rule->help) : summary;
  ordered_json out;
  out["id"] = transform;
  out["name"] = ruleName(transform);
  out["shortDescription"] = {{"text", summary}};
  out["fullDescription"] = {{"text", help}};
  out["help"] = {{"text", help}};
  out["defaultConfiguration"] = {{"level", "warning"}};
  return out;
}

ordered_json artifact(const std::string& path) { return {{"uri", pathUri(path)}}; }

ordered_json replacement(std::string_view text, const engine::Edit& edit) {
  uint32_t begin = charOffset(text, edit.range.begin);
  uint32_t end = charOffset(text, edit.range.end);
  ordered_json out;
  out["deletedRegion"] = {{"charOffset", begin}, {"charLength", end - begin}};
  out["insertedContent"] = {{"text", edit.replacement}};
  return out;
}

// A written file as one replacement: the bytes it changes of the old one, or
// all of its content at the start of a new one.
engine::Edit fileEdit(const engine::FileChange& file) {
  std::string_view before = file.before ? std::string_view(*file.before) : std::string_view();
  std::string_view after = file.after;
  size_t prefix = 0;
  while (prefix < before.size() && prefix < after.size() && before[prefix] == after[prefix]) ++prefix;
  while (prefix > 0 && (static_cast<unsigned char>(after[prefix - 1]) & 0xC0) == 0x80) --prefix;
  if (prefix == before.size()) {
    auto at = static_cast<uint32_t>(before.size());
    return {{at, at}, std::string(after.substr(prefix))};
  }
  return {{0, static_cast<uint32_t>(before.size())}, file.after};
}

std::optional<ordered_json> fixJson(const FileReport& file, const ReportedFinding& reported) {
  if (!reported.fixes()) return std::nullopt;
  ordered_json changes = ordered_json::array();
  if (!reported.edits.empty()) {
    ordered_json replacements = ordered_json::array();
    for (const engine::Edit& edit : reported.edits) replacements.push_back(replacement(file.input, edit));
    changes.push_back({{"artifactLocation", artifact(file.uriPath)}, {"replacements", replacements}});
  }
  for (const engine::FileChange& written : reported.files) {
    ordered_json replacements = ordered_json::array();
    replacements.push_back(replacement(written.before.value_or(""), fileEdit(written)));
    changes.push_back({{"artifactLocation", artifact(contextFilePath(file.contextDir, written.path))},
                       {"replacements", replacements}});
  }
  bool safe = reported.finding.safety == engine::Safety::Safe;
  ordered_json fix;
  fix["description"] = {{"text", safe ? "dfopt fix applies it (a safe fix)"
                                      : "dfopt fix --unsafe-fixes applies it (an unsafe fix: what the image "
                                        "does may change)"}};
  fix["artifactChanges"] = std::move(changes);
  return fix;
}

ordered_json resultJson(const FileReport& file, const ReportedFinding& reported, size_t ruleIndex) {
  const engine::Finding& finding = reported.finding;
  ordered_json region;
  region["startLine"] = reported.start.line;
  region["startColumn"] = reported.start.column;
  region["endLine"] = reported.end.line;
  region["endColumn"] = reported.end.column;
  ordered_json out;
  out["ruleId"] = finding.transform;
  out["ruleIndex"] = ruleIndex;
  out["level"] = finding.severity == engine::Severity::Warning ? "warning" : "note";
  out["message"] = {{"text", finding.message + engine::fixLabel(finding)}};
  ordered_json location;
  location["physicalLocation"] = {{"artifactLocation", artifact(file.uriPath)}, {"region", region}};
  out["locations"] = ordered_json::array();
  out["locations"].push_back(std::move(location));
  if (std::optional<ordered_json> fix = fixJson(file, reported)) {
    out["fixes"] = ordered_json::array();
    out["fixes"].push_back(std::move(*fix));
  }
  out["properties"] = {{"safety", finding.safety == engine::Safety::Safe ? "safe" : "unsafe"},
                       {"withheld", finding.withheld}};
  return out;
}

}  // namespace

std::string pathUri(std::string_view path) {
  std::string uri = path.starts_with('/') ? "file://" : "";
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      uri += c;
    } else {
      uri += fmt::format("%{:02X}", u);
    }
  }
  return uri;
}

std::string findingsSarif(const std::vector<FileReport>& files, const std::vector<std::string>& transforms,
                          std::string_view toolVersion) {
  ordered_json rules = ordered_json::array();
  std::vector<std::string> ruleIds = transforms;
  for (const FileReport& file : files) {
    for (const ReportedFinding& reported : file.findings) {
      if (std::find(ruleIds.begin(), ruleIds.end(), reported.finding.transform) == ruleIds.end()) {
        ruleIds.push_back(reported.finding.transform);
      }
    }
  }
  for (const std::string& id : ruleIds) rules.push_back(ruleJson(id));
  ordered_json results = ordered_json::array();
  for (const FileReport& file : files) {
    for (const ReportedFinding& reported : file.findings) {
      auto index = static_cast<size_t>(std::find(ruleIds.begin(), ruleIds.end(), reported.finding.transform) -
                                       ruleIds.begin());
      results.push_back(resultJson(file, reported, index));
    }
  }
  ordered_json driver;
  driver["name"] = "dfopt";
  driver["version"] = toolVersion;
  driver["rules"] = std::move(rules);
  ordered_json run;
  run["tool"] = {{"driver", driver}};
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = std::move(results);
  ordered_json log;
  log["$schema"] = kSchema;
  log["version"] = "2.1.0";
  log["runs"] = ordered_json::array();
  log["runs"].push_back(std::move(run));
  return log.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace dfopt::print
