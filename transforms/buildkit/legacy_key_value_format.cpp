// LegacyKeyValueFormat: `ENV key value` / `LABEL key value`. BuildKit takes
// the rest of the line after the key as one value, so the fix writes
// `key=value` when the value is one word and `key="value"` when it holds
// blanks and reads the same in double quotes. A value that starts on the
// next line loses that line's indentation, which the legacy form drops.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "buildkit/instruction_parser.h"
#include "engine/style.h"
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

// Does ProcessWord read `"value"` as it reads `value`? Only quotes and
// escapes differ: an escape keeps its meaning inside double quotes only
// before '"', '$' or itself.
bool readsTheSameQuoted(std::string_view value, char escape) {
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '"' || c == '\'') return false;
    if (c != escape) continue;
    if (i + 1 >= value.size()) return false;
    char next = value[++i];
    if (next != '"' && next != '$' && next != escape) return false;
  }
  return true;
}

// Does the word close every quote it opens and end with no escape pending?
// The legacy form cuts the key at the first blank as it is written, where
// key=value reads on through an open quote or an escaped '='.
bool isWholeWord(std::string_view word, char escape) {
  char quote = 0;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (c == escape && quote != '\'') {
      if (++i >= word.size()) return false;
    } else if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    }
  }
  return quote == 0;
}

// The edits that make the separator between the key and the value read
// `replacement`. When the value starts on a later line (`ENV KEYS \`), the
// joined text also holds that line's indentation, which is removed.
std::optional<std::vector<engine::Edit>> separatorEdits(const model::Dockerfile& file,
                                                        const model::Instruction& instruction, size_t keyEnd,
                                                        size_t valueBegin, const std::string& replacement) {
  if (auto separator = oneLineRange(instruction, keyEnd, valueBegin)) return {{{*separator, replacement}}};
  std::string_view bytes = file.source->bytes();
  const model::LogicalLine& line = instruction.line;
  uint32_t keySourceEnd = line.sourceOffset(keyEnd - 1) + 1;
  uint32_t valueSource = line.sourceOffset(valueBegin);
  // the key's line: blanks, the escape, blanks, the end of the line
  uint32_t escapeAt = keySourceEnd;
  while (escapeAt < valueSource && isBlank(bytes[escapeAt])) ++escapeAt;
  if (escapeAt >= valueSource || bytes[escapeAt] != file.escape) return std::nullopt;
  uint32_t indentation = engine::lineStart(bytes, valueSource);
  if (indentation <= escapeAt) return std::nullopt;
  // nothing else of the joined separator comes from the lines in between
  for (size_t k = keyEnd; k < valueBegin; ++k) {
    uint32_t source = line.sourceOffset(k);
    if (source >= escapeAt && source < indentation) return std::nullopt;
  }
  std::vector<engine::Edit> edits{{{keySourceEnd, escapeAt}, replacement}};
  if (indentation < valueSource) edits.push_back({{indentation, valueSource}, ""});
  return edits;
}

// The edits that turn `key value` into `key=value`; none when the value
// would read differently.
std::vector<engine::Edit> keyValueEdits(const model::Dockerfile& file, const model::Instruction& instruction,
                                        std::string& refusal) {
  const std::string& line = instruction.line.text;
  size_t keyEnd = instruction.argumentsBegin;
  size_t end = instruction.argumentsBegin + instruction.argumentsText().size();
  while (keyEnd < end && !isBlank(line[keyEnd])) ++keyEnd;
  size_t valueBegin = keyEnd;
  while (valueBegin < end && isBlank(line[valueBegin])) ++valueBegin;
  if (valueBegin >= end || keyEnd == instruction.argumentsBegin) return {};
  std::string_view key =
      std::string_view(line).substr(instruction.argumentsBegin, keyEnd - instruction.argumentsBegin);
  if (!isWholeWord(key, file.escape)) {
    refusal = "its key opens a quote or ends in an escape, which would take in the = and the value";
    return {};
  }
  std::string_view value = std::string_view(line).substr(valueBegin, end - valueBegin);
  bool oneWord = dfopt::buildkit::detail::parseWords(value, file.escape).size() == 1;
  if (!oneWord && !readsTheSameQuoted(value, file.escape)) {
    refusal = "its value has blanks, and quotes or escapes that double quotes would change";
    return {};
  }
  auto edits = separatorEdits(file, instruction, keyEnd, valueBegin, oneWord ? "=" : "=\"");
  if (!edits) {
    refusal = "a line between the key and its value holds blanks of its own";
    return {};
  }
  if (!oneWord) {
    uint32_t valueEnd = instruction.line.sourceRange(valueBegin, end).end;
    edits->push_back({{valueEnd, valueEnd}, "\""});
  }
  return *edits;
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
      finding.edits = keyValueEdits(file, instruction, refusal);
      if (!refusal.empty()) finding.message += "; not rewritten: " + refusal;
      bool dropsIndentation = std::any_of(finding.edits.begin(), finding.edits.end(),
                                          [](const engine::Edit& edit) { return edit.replacement.empty(); });
      if (dropsIndentation) {
        finding.message += "; the value's first line loses its indentation, which the legacy form leaves out";
      }
      findings.push_back(std::move(finding));
    }
  }
}

}  // namespace dfopt::transforms::buildkit
