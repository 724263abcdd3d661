// The commands of an install RUN: the installs it runs, and which of its
// commands can run before the source is copied (the segment), or why none
// can.
#include <algorithm>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "transforms/deps_first/install.h"
#include "util/text.h"

namespace dfopt::transforms::deps_first {

using text::isOneOf;

using model::Instruction;
using shell::Command;

bool Segment::keepsInstallLater() const {
  return std::any_of(installs.begin(), installs.begin() + static_cast<long>(end),
                     [](const std::optional<Install>& install) { return install && install->keepLater; });
}

bool Segment::keptLater(size_t index) const {
  return index >= end || roles[index] == Role::Session || keepsInstallLater();
}

shell::Script scriptOf(const Instruction& run) {
  if (!run.heredocs.empty()) return shell::parseScript(run.heredocs.front().content);
  if (!run.jsonForm) return shell::parseScript(run.argumentsText);
  shell::Script script;
  Command command;
  for (const auto& node : run.buildkit.next) {
    shell::Word value;
    value.value = value.raw = node.value;
    command.words.push_back(std::move(value));
  }
  script.commands.push_back(std::move(command));
  return script;
}

namespace {

std::vector<Install> installsIn(const shell::Script& script, const CommandScope& scope) {
  std::vector<Install> installs;
  for (const Command& command : script.commands) {
    if (auto install = classify(command, scope).install) installs.push_back(std::move(*install));
  }
  return installs;
}

bool isSequence(std::string_view separator) { return isOneOf(separator, {"&&", ";", "\n", ""}); }

std::string commandText(const Command& command) {
  std::string out;
  for (const auto& group : {command.assignments, command.words}) {
    for (const shell::Word& w : group) out += (out.empty() ? "" : " ") + w.raw;
  }
  return out;
}

}  // namespace

// The installs a script runs. In a script with shell constructs the
// tokenizer does not follow, those of each piece between operators, once
// its leading reserved words are dropped.
std::vector<Install> installsOf(const Instruction& run, const CommandScope& scope) {
  shell::Script script = scriptOf(run);
  if (!script.complex) return installsIn(script, scope);
  static const std::regex separators(R"(&&|\|\||[;|&\n(){}`])");
  static const std::regex reservedWords(R"(^\s*((if|then|else|elif|do|while|until|!)\s+)+)");
  const std::string& text = run.heredocs.empty() ? run.argumentsText : run.heredocs.front().content;
  std::vector<Install> installs;
  for (std::sregex_token_iterator piece(text.begin(), text.end(), separators, -1), end; piece != end;
       ++piece) {
    std::string command = std::regex_replace(piece->str(), reservedWords, "");
    for (Install& install : installsIn(shell::parseScript(command), scope))
      installs.push_back(std::move(install));
  }
  return installs;
}

Segment segmentOf(const shell::Script& script, const CommandScope& scope) {
  Segment segment;
  const auto& commands = script.commands;
  for (const Command& command : commands) {
    Classified classified = classify(command, scope);
    segment.roles.push_back(classified.role);
    segment.installs.push_back(std::move(classified.install));
  }
  size_t first = std::find(segment.roles.begin(), segment.roles.end(), Role::Install) - segment.roles.begin();
  for (size_t i = 0; i < first; ++i) {
    if (segment.roles[i] == Role::Other) {
      segment.problem = fmt::format("`{}` runs before it in the same RUN and may need the source",
                                    commandText(commands[i]));
      return segment;
    }
    if (!isSequence(commands[i].separatorAfter)) {
      segment.problem = fmt::format("the RUN joins its commands with `{}`", commands[i].separatorAfter);
      return segment;
    }
  }
  segment.end = first + 1;
  for (size_t i = first + 1; i < commands.size(); ++i) {
    if (!isSequence(commands[i - 1].separatorAfter) || segment.roles[i] == Role::Other) break;
    if (segment.roles[i] == Role::Install || segment.roles[i] == Role::Cleanup) segment.end = i + 1;
  }
  if (!isSequence(commands[segment.end - 1].separatorAfter)) {
    segment.problem = fmt::format("it is followed by `{}`", commands[segment.end - 1].separatorAfter);
    return segment;
  }
  for (size_t i = segment.end; i < commands.size(); ++i) {
    if (segment.roles[i] == Role::Cleanup) {
      segment.problem = fmt::format(
          "`{}` cleans up later in the same RUN: splitting it would keep what it removes in an earlier layer",
          commandText(commands[i]));
      return segment;
    }
  }
  for (size_t i = 0; i < segment.end; ++i) {
    if (segment.installs[i] && segment.installs[i]->problem) {
      segment.problem = *segment.installs[i]->problem;
      return segment;
    }
  }
  return segment;
}

}  // namespace dfopt::transforms::deps_first
