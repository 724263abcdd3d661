#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/style.h"
#include "transforms/cache_hygiene/hygiene.h"

namespace dfopt::transforms::cache_hygiene {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view bytesOf(const Input& input) { return input.file.source->bytes(); }

// The separator between two commands when it breaks the line around `&&`:
// `&& \` at the end of a line, or `\` then `&&` at the start of the next.
bool isLineBreakingAnd(std::string_view gap, char escape) {
  size_t i = 0;
  auto skipBlanks = [&] {
    while (i < gap.size() && isBlank(gap[i])) ++i;
  };
  auto take = [&](std::string_view part) {
    if (gap.substr(i, part.size()) != part) return false;
    i += part.size();
    return true;
  };
  auto takeBreak = [&] {
    if (i >= gap.size() || gap[i] != escape) return false;
    ++i;
    take("\r");
    return take("\n");
  };
  skipBlanks();
  bool trailing = take("&&");
  if (trailing) skipBlanks();
  if (!takeBreak()) return false;
  skipBlanks();
  if (!trailing && !take("&&")) return false;
  skipBlanks();
  return i == gap.size();
}

bool hasComment(std::string_view text) { return text.find('#') != std::string_view::npos; }

// The rest of the line after `offset`, blanks and CR left out.
std::string_view restOfLine(std::string_view bytes, uint32_t offset) {
  size_t end = bytes.find('\n', offset);
  std::string_view rest = bytes.substr(offset, end == std::string_view::npos ? bytes.npos : end - offset);
  while (!rest.empty() && (isBlank(rest.back()) || rest.back() == '\r')) rest.remove_suffix(1);
  while (!rest.empty() && isBlank(rest.front())) rest.remove_prefix(1);
  return rest;
}

std::string newlineBefore(std::string_view bytes, uint32_t offset, const engine::Style& style) {
  size_t newline = bytes.rfind('\n', offset);
  if (newline == std::string_view::npos) return style.newline();
  return newline > 0 && bytes[newline - 1] == '\r' ? "\r\n" : "\n";
}

}  // namespace

Edit appendCommand(const Input& input, const RunView& run, std::string_view command) {
  std::string_view bytes = bytesOf(input);
  const auto& commands = run.line->commands;
  uint32_t at = commands.back().range.end;
  Edit edit{{at, at}, fmt::format(" && {}", command)};
  if (!restOfLine(bytes, at).empty()) return edit;  // a comment or an operator follows on the line
  for (size_t i = commands.size() - 1; i > 0; --i) {
    std::string_view gap =
        bytes.substr(commands[i - 1].range.end, commands[i].range.begin - commands[i - 1].range.end);
    if (!hasComment(gap) && isLineBreakingAnd(gap, input.file.escape)) {
      edit.replacement = std::string(gap) + std::string(command);
      return edit;
    }
  }
  uint32_t firstLine = input.file.position(run.instruction->keywordRange.begin).line;
  if (input.file.position(at).line == firstLine) return edit;
  // One command over several lines (a package list): the cleanup goes on a
  // line of its own, indented as the last line.
  std::string indentation = input.style.indentationAt(input.file, at);
  edit.replacement = fmt::format(" {}{}{}&& {}", input.file.escape, newlineBefore(bytes, at, input.style),
                                 indentation, command);
  return edit;
}

Edit insertAfterWord(const SourceWord& word, std::string_view text) {
  return Edit{{word.range.end, word.range.end}, fmt::format(" {}", text)};
}

Edit insertMounts(const Input& input, const RunView& run, const std::vector<std::string>& mounts) {
  std::string_view bytes = bytesOf(input);
  uint32_t at = run.instruction->argumentsRange.begin;
  std::string flags = fmt::format("{}", fmt::join(mounts, " "));
  size_t newline = bytes.find('\n', at);
  bool multiLine = newline != std::string_view::npos && newline < run.instruction->lineRange.end;
  if (!multiLine) return Edit{{at, at}, flags + " "};
  std::string indentation = input.style.indentationAt(input.file, static_cast<uint32_t>(newline + 1));
  if (indentation.empty()) return Edit{{at, at}, flags + " "};
  return Edit{{at, at},
              fmt::format("{} {}{}{}", flags, input.file.escape,
                          newlineBefore(bytes, static_cast<uint32_t>(newline), input.style), indentation)};
}

std::optional<Edit> removeCommand(const Input& input, const RunView& run, size_t command) {
  const auto& commands = run.line->commands;
  if (command + 1 >= commands.size()) return std::nullopt;
  if (commands[command].separatorAfter != "&&" && commands[command].separatorAfter != ";")
    return std::nullopt;
  syntax::ByteRange range{commands[command].range.begin, commands[command + 1].range.begin};
  bool crossesComment = std::any_of(
      run.instruction->innerComments.begin(), run.instruction->innerComments.end(),
      [&](const model::Comment& c) { return c.range.begin >= range.begin && c.range.begin < range.end; });
  if (crossesComment || hasComment(bytesOf(input).substr(range.begin, range.size()))) return std::nullopt;
  return Edit{range, ""};
}

std::string cacheMount(std::string_view target, bool locked) {
  return fmt::format("--mount=type=cache,target={}{}", target, locked ? ",sharing=locked" : "");
}

}  // namespace dfopt::transforms::cache_hygiene
