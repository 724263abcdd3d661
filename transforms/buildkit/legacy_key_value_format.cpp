// LegacyKeyValueFormat: `ENV key value` / `LABEL key value`. BuildKit takes
// the rest of the line after the key as one value, so the fix writes
// `key=value` when the value is one word and `key="value"` when it holds
// blanks, which reads the same only when the value has no quotes or escapes.
#include <optional>

#include <fmt/format.h>

#include "buildkit/instruction_parser.h"
#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/lint_config.h"

namespace dfopt::transforms::buildkit {
namespace {

// reWhitespace in BuildKit's parser
bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }

bool isLegacy(const model::Instruction& instruction) {
  const auto& next = instruction.buildkit.next;
  return next.size() == 3 && next[2].value.empty();
}

// The bytes of logical [begin, end) when they sit on one line.
std::optional<model::ByteRange> oneLineRange(const model::Instruction& instruction, size_t begin,
                                             size_t end) {
  model::ByteRange range = instruction.line.sourceRange(begin, end);
  if (range.end - range.begin != end - begin) return std::nullopt;
  return range;
}

// The edits that turn `key value` into `key=value`; none when the value
// would read differently.
std::vector<engine::Edit> keyValueEdits(const model::Instruction& instruction, char escape,
                                        std::string& refusal) {
  const std::string& line = instruction.line.text;
  size_t keyEnd = instruction.argumentsBegin;
  size_t end = instruction.argumentsBegin + instruction.argumentsText.size();
  while (keyEnd < end && !isBlank(line[keyEnd])) ++keyEnd;
  size_t valueBegin = keyEnd;
  while (valueBegin < end && isBlank(line[valueBegin])) ++valueBegin;
  if (valueBegin >= end) return {};
  auto separator = oneLineRange(instruction, keyEnd, valueBegin);
  if (!separator) {
    refusal = "the key and its value are on different lines";
    return {};
  }
  std::string_view value = std::string_view(line).substr(valueBegin, end - valueBegin);
  if (dfopt::buildkit::detail::parseWords(value, escape).size() == 1) return {{*separator, "="}};
  if (value.find_first_of(std::string("\"'") + escape) != std::string_view::npos) {
    refusal = "its value has blanks and quotes or escapes, which quoting would change";
    return {};
  }
  model::ByteRange valueRange = instruction.line.sourceRange(valueBegin, end);
  return {{*separator, "=\""}, {{valueRange.end, valueRange.end}, "\""}};
}

}  // namespace

void legacyKeyValueFormat(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const model::Dockerfile& file = input.file;
  for (const model::Stage& stage : file.stages) {
    for (size_t i = stage.from + 1; i < stage.end; ++i) {
      const model::Instruction& instruction = file.instructions[i];
      if (!instruction.is("env") && !instruction.is("label")) continue;
      if (!isLegacy(instruction)) continue;
      if (!ruleEnabled(file, "LegacyKeyValueFormat", false, &instruction)) continue;
      engine::Finding finding;
      finding.offset = instruction.keywordRange.begin;
      finding.message = fmt::format(
          "\"{0} key=value\" should be used instead of legacy \"{0} key value\" format", instruction.keyword);
      std::string refusal;
      finding.edits = keyValueEdits(instruction, file.escape, refusal);
      if (!refusal.empty()) finding.message += "; not rewritten: " + refusal;
      findings.push_back(std::move(finding));
    }
  }
}

}  // namespace dfopt::transforms::buildkit
