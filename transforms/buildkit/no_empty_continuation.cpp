// NoEmptyContinuation: a blank line inside a continuation. BuildKit skips
// it when it joins the lines, so removing it changes nothing but the bytes;
// comment lines there are fine and stay.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/line_mention.h"
#include "engine/style.h"
#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/lint_config.h"

namespace dfopt::transforms::buildkit {
namespace {

// The blank lines between an instruction's first line and the end of its
// text (heredoc bodies are not continuation lines).
std::vector<model::ByteRange> emptyContinuationLines(const model::Dockerfile& file,
                                                     const model::Instruction& instruction) {
  std::string_view bytes = file.source->bytes();
  uint32_t end =
      instruction.heredocs.empty() ? instruction.range.end : instruction.heredocs.front().range.begin;
  std::vector<model::ByteRange> lines;
  uint32_t line = engine::nextLineStart(bytes, instruction.range.begin);
  while (line < end) {
    uint32_t next = engine::nextLineStart(bytes, line);
    if (engine::isBlankLine(bytes, line)) lines.push_back({line, next});
    line = next;
  }
  return lines;
}

}  // namespace

void noEmptyContinuation(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const model::Dockerfile& file = input.file;
  if (!ruleEnabled(file, "NoEmptyContinuation", false)) return;
  for (const model::Instruction& instruction : file.instructions) {
    std::vector<model::ByteRange> lines = emptyContinuationLines(file, instruction);
    if (lines.empty()) continue;
    engine::Finding finding;
    finding.offset = instruction.keywordRange.begin;
    std::vector<std::string> numbers;
    for (model::ByteRange line : lines) numbers.push_back(engine::lineMention(line.begin));
    finding.message = fmt::format("Empty continuation line; {} {} removed",
                                  numbers.size() == 1 ? "line" : "lines", fmt::join(numbers, ", "));
    for (model::ByteRange line : lines) finding.edits.push_back({line, ""});
    findings.push_back(std::move(finding));
  }
}

}  // namespace dfopt::transforms::buildkit
