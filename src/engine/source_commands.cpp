#include "engine/source_commands.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "shell/script.h"

namespace dfopt::engine {
namespace {

using model::Instruction;
using text::isOneOf;

CommandLine jsonCommandLine(const Instruction& instruction, size_t first) {
  CommandLine out;
  out.json = true;
  SourceCommand command;
  for (size_t i = first; i < instruction.arguments.size(); ++i) {
    const model::Word& word = instruction.arguments[i];
    command.words.push_back({decodeJsonString(word.text), word.range, true});
    command.text += (command.text.empty() ? "" : " ") + command.words.back().value;
  }
  if (command.words.empty()) return out;
  command.range = {command.words.front().range.begin, command.words.back().range.end};
  out.range = command.range;
  out.commands.push_back(std::move(command));
  return out;
}

SourceWord sourceWord(const model::LogicalLine& line, size_t logicalBegin, const shell::Word& word) {
  return {word.value, line.sourceRange(logicalBegin + word.begin, logicalBegin + word.end),
          !word.hasExpansion};
}

CommandLine shellCommandLine(const Instruction& instruction, const model::Word& scriptWord) {
  CommandLine out;
  out.range = scriptWord.range;
  size_t logicalBegin = instruction.line.logicalIndex(scriptWord.range.begin);
  std::shared_ptr<const shell::Script> parsedScript = shell::parseScriptShared(scriptWord.text);
  const shell::Script& script = *parsedScript;
  if (script.complex)
    out.complexReason = script.complexReason.empty() ? "a compound command" : script.complexReason;
  out.commands.reserve(script.commands.size());
  for (const shell::Command& parsed : script.commands) {
    SourceCommand command;
    command.assignments.reserve(parsed.assignments.size());
    command.words.reserve(parsed.words.size());
    for (const shell::Word& w : parsed.assignments)
      command.assignments.push_back(sourceWord(instruction.line, logicalBegin, w));
    for (const shell::Word& w : parsed.words)
      command.words.push_back(sourceWord(instruction.line, logicalBegin, w));
    command.range = instruction.line.sourceRange(logicalBegin + parsed.begin, logicalBegin + parsed.end);
    command.text = scriptWord.text.substr(parsed.begin, parsed.end - parsed.begin);
    command.separatorAfter = parsed.separatorAfter;
    out.commands.push_back(std::move(command));
  }
  return out;
}

CommandLine computeCommandLine(const Instruction& instruction) {
  if (!instruction.heredocs.empty()) return {false, {}, "a heredoc", {}};
  size_t first = instruction.is("healthcheck") ? 1 : 0;
  if (instruction.arguments.size() <= first) return {};
  if (instruction.jsonForm) return jsonCommandLine(instruction, first);
  return shellCommandLine(instruction, instruction.arguments[first]);
}

}  // namespace

std::string decodeJsonString(std::string_view text) {
  try {
    return nlohmann::json::parse(text).get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return std::string(text);
  }
}

CommandLine CommandLine::movedBy(int64_t delta) const {
  auto move = [delta](syntax::ByteRange& range) {
    // 0..0 is no range (a heredoc's, no arguments): no argument starts where
    // the file does, at its first keyword.
    if (range.begin == 0 && range.end == 0) return;
    range.begin = static_cast<uint32_t>(range.begin + delta);
    range.end = static_cast<uint32_t>(range.end + delta);
  };
  CommandLine moved = *this;
  move(moved.range);
  for (SourceCommand& command : moved.commands) {
    move(command.range);
    for (auto* words : {&command.assignments, &command.words}) {
      for (SourceWord& word : *words) move(word.range);
    }
  }
  return moved;
}

const CommandLine& commandLineOf(const Instruction& instruction) {
  return instruction.commandLine.get<CommandLine>([&] { return computeCommandLine(instruction); });
}

std::string describe(const CommandLine& line) {
  std::string out = fmt::format("json={} {}..{} complex='{}'", line.json, line.range.begin, line.range.end,
                                line.complexReason);
  for (const SourceCommand& command : line.commands) {
    out += fmt::format(" | {}..{} '{}' then '{}':", command.range.begin, command.range.end, command.text,
                       command.separatorAfter);
    for (const auto* words : {&command.assignments, &command.words}) {
      for (const SourceWord& word : *words)
        out +=
            fmt::format(" {}@{}..{}{}", word.value, word.range.begin, word.range.end, word.plain ? "" : "$");
      out += " ;";
    }
  }
  return out;
}

size_t programIndex(const SourceCommand& command) {
  return !command.words.empty() && command.words[0].value == "exec" ? 1 : 0;
}

std::vector<std::string> valuesOf(const SourceCommand& command) {
  std::vector<std::string> values;
  for (const SourceWord& word : command.words) values.push_back(word.value);
  return values;
}

std::vector<std::string> operands(const std::vector<std::string>& words, size_t from,
                                  const std::vector<std::string_view>& optionsWithValue) {
  std::vector<std::string> out;
  for (size_t i = from; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word.starts_with("-")) {
      if (word.find('=') == std::string::npos && isOneOf(word, optionsWithValue)) ++i;
      continue;
    }
    out.push_back(word);
  }
  return out;
}

std::vector<std::string> operands(const SourceCommand& command, size_t from,
                                  const std::vector<std::string_view>& optionsWithValue) {
  return operands(valuesOf(command), from, optionsWithValue);
}

bool hasOption(const SourceCommand& command, std::initializer_list<std::string_view> names) {
  for (const SourceWord& word : command.words) {
    std::string_view name = word.value;
    name = name.substr(0, name.find('='));
    if (isOneOf(name, names)) return true;
  }
  return false;
}

std::string shortened(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool blank = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (!blank)
      out += c;
    else if (!out.empty() && out.back() != ' ')
      out += ' ';
  }
  if (out.size() <= 60) return out;
  return out.substr(0, 57) + "...";
}

std::string jsonQuote(std::string_view value) { return nlohmann::json(std::string(value)).dump(); }

bool isDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace dfopt::engine
