// The patternmatcher differential test, dfopt's side: `generate` writes the
// cases, `compare CASES VERDICTS` decides them with dfopt's .dockerignore
// matching and compares with moby/patternmatcher's verdicts (main.go).
// run.sh runs the two sides.
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases.h"
#include "context/go_filepath.h"
#include "context/ignore_pattern.h"
#include "util/go_text.h"

namespace {

using dfopt::context::IgnorePattern;
using dfopt::patternmatcher_diff::Case;

constexpr uint64_t kSeed = 20240611;
constexpr size_t kCaseCount = 9500;

struct Rule {
  IgnorePattern pattern;
  bool exclusion = false;
};

enum class LineKind { Skipped, Rejected, Accepted };

// patternmatcher.New for one line, as Dockerignore::addPattern does it.
LineKind compileLine(const std::string& line, std::optional<Rule>& rule) {
  const std::string_view trimmed = dfopt::golang::trimSpace(line);
  if (trimmed.empty()) return LineKind::Skipped;
  std::string pattern = dfopt::context::cleanGoPath(trimmed);
  const bool exclusion = pattern.front() == '!';
  if (exclusion) pattern.erase(0, 1);
  auto compiled = pattern.empty() ? std::nullopt : IgnorePattern::compile(pattern);
  if (!compiled) return LineKind::Rejected;
  rule = Rule{std::move(*compiled), exclusion};
  return LineKind::Accepted;
}

// filepath.Dir split at '/', each prefix joined again.
std::vector<std::string> parentPrefixes(std::string_view file) {
  const size_t lastSlash = file.rfind('/');
  const std::string parent =
      dfopt::context::cleanGoPath(file.substr(0, lastSlash == std::string_view::npos ? 0 : lastSlash + 1));
  if (parent == ".") return {};
  std::vector<std::string> prefixes;
  for (size_t slash = parent.find('/'); slash != std::string::npos; slash = parent.find('/', slash + 1))
    prefixes.push_back(parent.substr(0, slash));
  prefixes.push_back(parent);
  return prefixes;
}

// PatternMatcher.MatchesOrParentMatches.
bool matchesOrParentMatches(const std::vector<Rule>& rules, std::string_view file) {
  const std::vector<std::string> parents = parentPrefixes(file);
  bool matched = false;
  for (const Rule& rule : rules) {
    if (rule.exclusion != matched) continue;
    bool match = rule.pattern.matches(file);
    for (size_t i = 0; !match && i < parents.size(); ++i) match = rule.pattern.matches(parents[i]);
    if (match) matched = !rule.exclusion;
  }
  return matched;
}

std::string digits(const std::vector<std::string>& paths, auto&& matches) {
  std::string line;
  for (const std::string& path : paths) line += matches(path) ? '1' : '0';
  return line;
}

// The verdict lines main.go prints for a case.
std::vector<std::string> dfoptVerdicts(const Case& decided) {
  std::vector<std::string> lines;
  std::vector<Rule> rules;
  for (const std::string& line : decided.lines) {
    std::optional<Rule> rule;
    const LineKind kind = compileLine(line, rule);
    if (kind == LineKind::Skipped) {
      lines.push_back("-");
    } else if (kind == LineKind::Rejected) {
      lines.push_back("E");
    } else {
      lines.push_back(
          digits(decided.paths, [&](const std::string& path) { return rule->pattern.matches(path); }));
      rules.push_back(std::move(*rule));
    }
  }
  lines.push_back("L" + digits(decided.paths,
                               [&](const std::string& path) { return matchesOrParentMatches(rules, path); }));
  return lines;
}

struct Tally {
  size_t lineChecks = 0;     // a line accepted or rejected
  size_t patternChecks = 0;  // one pattern, one path
  size_t listChecks = 0;     // all patterns, one path
  size_t mismatches = 0;
};

void reportMismatch(Tally& tally, const Case& decided, size_t line, size_t path, char go, char dfopt) {
  if (++tally.mismatches > 20) return;
  std::cout << "mismatch: "
            << (line < decided.lines.size()
                    ? "pattern " + dfopt::patternmatcher_diff::toHex(decided.lines[line])
                    : std::string("pattern list"));
  if (path != std::string::npos)
    std::cout << " path " << dfopt::patternmatcher_diff::toHex(decided.paths[path]);
  std::cout << ": patternmatcher " << go << ", dfopt " << dfopt << "\n";
}

void compareLine(Tally& tally, const Case& decided, size_t line, const std::string& go,
                 const std::string& dfopt) {
  const bool isList = line == decided.lines.size();
  if (!isList) ++tally.lineChecks;
  if (go.size() != dfopt.size() || go.size() == 1) {
    if (go != dfopt) reportMismatch(tally, decided, line, std::string::npos, go[0], dfopt[0]);
    return;
  }
  for (size_t path = isList ? 1 : 0; path < go.size(); ++path) {
    ++(isList ? tally.listChecks : tally.patternChecks);
    if (go[path] != dfopt[path])
      reportMismatch(tally, decided, line, path - (isList ? 1 : 0), go[path], dfopt[path]);
  }
}

int generate() {
  dfopt::patternmatcher_diff::writeCases(std::cout,
                                         dfopt::patternmatcher_diff::generateCases(kSeed, kCaseCount));
  return std::cout ? 0 : 1;
}

int compare(const char* casesPath, const char* verdictsPath) {
  std::ifstream casesFile(casesPath);
  std::ifstream verdicts(verdictsPath);
  std::vector<Case> cases;
  if (!dfopt::patternmatcher_diff::readCases(casesFile, cases) || !verdicts) {
    std::cerr << "cannot read the cases or the verdicts\n";
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  Tally tally;
  for (const Case& decided : cases) {
    const std::vector<std::string> ours = dfoptVerdicts(decided);
    for (size_t line = 0; line < ours.size(); ++line) {
      std::string go;
      if (!std::getline(verdicts, go) || go.empty()) {
        std::cerr << "patternmatcher's verdicts end early\n";
        return 1;
      }
      compareLine(tally, decided, line, go, ours[line]);
    }
  }
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << cases.size() << " cases: " << tally.lineChecks << " lines compiled, " << tally.patternChecks
            << " pattern checks, " << tally.listChecks << " list checks ("
            << tally.patternChecks + tally.listChecks << " path checks), dfopt side " << elapsed << " s\n"
            << "mismatches: " << tally.mismatches << "\n";
  return tally.mismatches == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view command = argc > 1 ? argv[1] : "";
  if (command == "generate" && argc == 2) return generate();
  if (command == "compare" && argc == 4) return compare(argv[2], argv[3]);
  std::cerr << "usage: " << argv[0] << " generate | compare CASES VERDICTS\n";
  return 2;
}
