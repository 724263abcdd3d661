#include "engine/ignore_checks.h"

#include <algorithm>

#include <fmt/format.h>

#include "engine/style.h"
#include "model/parse.h"
#include "util/text.h"

namespace dfopt::engine {
namespace {

std::string_view sourceText(const model::Dockerfile& file, const model::Comment& comment) {
  return std::string_view(file.source->bytes()).substr(comment.range.begin, comment.range.size());
}

Finding ignoreFinding(const Ignore& ignore, std::string message) {
  Finding finding;
  finding.transform = std::string(kIgnoreChecks);
  finding.offset = ignore.comment.range.begin;
  finding.message = std::move(message);
  return finding;
}

bool isKnown(const std::vector<std::string>& known, std::string_view name) {
  return std::find(known.begin(), known.end(), name) != known.end();
}

std::string unknownNameMessage(std::string_view name, const std::vector<std::string>& known) {
  if (name == kIgnoreChecks) {
    return fmt::format("the ignore checks cannot be silenced by an ignore: `--skip {}` turns them off",
                       kIgnoreChecks);
  }
  return fmt::format("unknown transform '{}' in the ignore (known: {})", name, fmt::join(known, ", "));
}

// Can the run tell that the ignore silences nothing: it is understood,
// names known transforms only, and each of them ran?
bool usageKnown(const Ignore& ignore, const IgnoreCheckInput& run) {
  const Pragma& pragma = ignore.pragma;
  if (!pragma.error.empty()) return false;
  if (pragma.scope == IgnoreScope::Instruction && !ignore.instruction) return false;
  const std::vector<std::string>& names = pragma.names.empty() ? run.known : pragma.names;
  return std::all_of(names.begin(), names.end(),
                     [&](const std::string& name) { return isKnown(run.ran, name); });
}

std::string unusedMessage(const Ignore& ignore, const model::Dockerfile& input) {
  const Pragma& pragma = ignore.pragma;
  std::string which =
      pragma.names.empty() ? "any transform" : fmt::format("{}", fmt::join(pragma.names, ", "));
  std::string where = "in this file";
  if (pragma.scope == IgnoreScope::Instruction) {
    bool inside = ignore.comment.range.begin > input.instructions[*ignore.instruction].range.begin;
    where = inside ? "on the instruction around it" : "on the instruction below it";
  }
  return fmt::format("unused ignore: no finding of {} to silence {}", which, where);
}

// Removes every line of `after` that holds a comment written as `text`.
std::vector<Edit> removeLines(std::string_view after, const model::Dockerfile* output,
                              std::string_view text) {
  std::vector<Edit> edits;
  if (!output) return edits;
  for (const model::Comment& comment : output->comments) {
    if (sourceText(*output, comment) != text) continue;
    uint32_t begin = lineStart(after, comment.range.begin);
    edits.push_back({{begin, nextLineStart(after, comment.range.end)}, ""});
  }
  return edits;
}

}  // namespace

std::vector<bool>& IgnoreUse::startRun(std::string_view transform) {
  auto row = usedBy.find(transform);
  if (row == usedBy.end()) row = usedBy.emplace(std::string(transform), std::vector<bool>()).first;
  row->second.assign(ignores.size(), false);
  return row->second;
}

void IgnoreUse::settle() {
  used.assign(ignores.size(), false);
  for (const auto& [transform, row] : usedBy) {
    for (size_t i = 0; i < row.size() && i < used.size(); ++i) used[i] = used[i] || row[i];
  }
}

std::vector<Finding> checkIgnores(const IgnoreUse& use, const IgnoreCheckInput& run) {
  std::vector<Finding> findings;
  model::ParseOutcome output = model::parseDockerfile(std::string(run.after));
  // An instruction copied with its comments (multi-stage copies ENV and
  // LABEL, and the ignores above a FROM it splits) takes the ignore along:
  // the copies of one line are one ignore, used when any of them is.
  auto groupUsed = [&](std::string_view text) {
    for (size_t i = 0; i < use.ignores.size(); ++i) {
      if (use.used[i] && sourceText(run.input, use.ignores[i].comment) == text) return true;
    }
    return false;
  };
  std::vector<std::string> removed;
  for (const Ignore& ignore : use.ignores) {
    const Pragma& pragma = ignore.pragma;
    if (!pragma.error.empty()) {
      findings.push_back(ignoreFinding(ignore, pragma.error));
      continue;
    }
    for (const std::string& name : pragma.names) {
      if (!isKnown(run.known, name))
        findings.push_back(ignoreFinding(ignore, unknownNameMessage(name, run.known)));
    }
    if (pragma.reason.empty()) {
      findings.push_back(
          ignoreFinding(ignore,
                        "ignore without a reason: say why after ` -- ` (`# dfopt: ignore[non-root] -- the "
                        "entrypoint drops privileges itself`)"));
    }
    if (pragma.scope == IgnoreScope::Instruction && !ignore.instruction) {
      findings.push_back(
          ignoreFinding(ignore,
                        "this ignore is above no instruction (a blank line or the end of the "
                        "file follows it), so it silences nothing: put it directly above one"));
      continue;
    }
    std::string text(sourceText(run.input, ignore.comment));
    if (!usageKnown(ignore, run) || groupUsed(text)) continue;
    Finding unused = ignoreFinding(ignore, unusedMessage(ignore, run.input));
    if (!text::isOneOf(text, removed)) {
      unused.edits = removeLines(run.after, output.dockerfile ? &*output.dockerfile : nullptr, text);
      removed.push_back(text);
    }
    findings.push_back(std::move(unused));
  }
  return findings;
}

}  // namespace dfopt::engine
