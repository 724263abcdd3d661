#include "properties.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "engine/ignores.h"
#include "engine/pipeline.h"
#include "model/parse.h"
#include "print/finding_edits.h"
#include "transforms/transforms.h"

namespace dfopt::testing {

namespace {

// Comment lines, trimmed, with how often each occurs; without dfopt's
// ignores when `withoutIgnores`.
std::map<std::string, int> commentLines(const std::string& text, bool withoutIgnores) {
  std::map<std::string, int> counts;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] != '#') continue;
    size_t last = line.find_last_not_of(" \t\r");
    std::string comment = line.substr(first, last - first + 1);
    size_t textBegin = comment.find_first_not_of(" \t", 1);
    std::string_view commentText =
        textBegin == std::string::npos ? "" : std::string_view(comment).substr(textBegin);
    if (withoutIgnores && engine::parsePragma(commentText)) continue;
    ++counts[comment];
  }
  return counts;
}

}  // namespace

bool keepsEveryComment(const std::string& before, const std::string& after, bool exceptIgnores) {
  auto kept = commentLines(after, false);
  for (const auto& [comment, count] : commentLines(before, exceptIgnores)) {
    if (kept[comment] < count) return false;
  }
  return true;
}

std::optional<std::string> brokenPipelineProperty(const std::string& text,
                                                  const context::BuildContext& context,
                                                  const engine::Options& options) {
  const auto& transforms = transforms::all();
  engine::PipelineOutcome first = engine::runPipeline(text, context, options, transforms);
  if (!first.inputErrors.empty()) return std::nullopt;
  if (first.failure) return "the run failed: " + *first.failure;
  if (!model::parseDockerfile(first.after).dockerfile) return "the output does not parse";
  // The pipeline removes the ignores it reports unused or faulty (under the name "ignore").
  bool removesIgnores = std::any_of(
      first.findings.begin(), first.findings.end(),
      [](const engine::Finding& f) { return f.transform == engine::kIgnoreChecks && f.changes(); });
  if (!keepsEveryComment(text, first.after, removesIgnores)) return "a comment line of the input is lost";
  bool unwrittenMention =
      std::any_of(first.findings.begin(), first.findings.end(),
                  [](const engine::Finding& f) { return f.message.find('\0') != std::string::npos; });
  if (unwrittenMention) return "a finding's message holds a line mention the pipeline did not write";
  auto contextAfter = engine::withFileChanges(context, first.files);
  engine::PipelineOutcome second = engine::runPipeline(first.after, contextAfter, options, transforms);
  if (!second.ok()) return "the second run failed: " + second.failure.value_or("its input does not parse");
  if (second.after != first.after) return "a second run changes the output again";
  if (!second.files.empty()) return "a second run writes a file again";
  std::optional<std::string> applied = print::applyAll(first.before, print::inputEdits(first));
  if (!applied) return "the findings' input edits overlap";
  if (*applied != first.after) return "the findings' input edits applied to the input differ from the output";
  return std::nullopt;
}

}  // namespace dfopt::testing
