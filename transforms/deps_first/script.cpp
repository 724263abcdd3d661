// The commands of an install RUN: the installs it runs, and which of its
// commands can run before the source is copied (the segment), or why none
// can.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "engine/package_commands.h"
#include "transforms/deps_first/install.h"
#include "util/text.h"
#include "util/text_memo.h"

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

std::shared_ptr<const shell::Script> scriptOf(const Instruction& run) {
  if (!run.heredocs.empty()) return shell::parseScriptShared(run.heredocs.front().content);
  if (!run.jsonForm) return shell::parseScriptShared(run.argumentsText());
  auto script = std::make_shared<shell::Script>();
  Command command;
  for (const auto& node : run.buildkit.next) {
    shell::Word value;
    value.value = value.raw = node.value;
    command.words.push_back(std::move(value));
  }
  script->commands.push_back(std::move(command));
  return script;
}

namespace {

constexpr size_t npos = std::string_view::npos;
constexpr std::array<std::string_view, 8> kReservedWords = {"if", "then",  "else",  "elif",
                                                            "do", "while", "until", "!"};

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

// The pieces of a script between its operators (&&, ||, ;, |, &, newline)
// and the characters that open or close a group or a substitution.
std::vector<std::string_view> piecesBetweenOperators(std::string_view text) {
  static constexpr auto kOperator = [] {
    std::array<bool, 256> table{};
    for (char c : std::string_view(";|&\n(){}`")) table[static_cast<unsigned char>(c)] = true;
    return table;
  }();
  std::vector<std::string_view> pieces;
  size_t begin = 0;
  for (size_t at = 0; at < text.size();) {
    if (!kOperator[static_cast<unsigned char>(text[at])]) {
      ++at;
      continue;
    }
    std::string_view two = text.substr(at, 2);
    size_t length = two == "&&" || two == "||" ? 2 : 1;
    pieces.push_back(text.substr(begin, at - begin));
    at += length;
    begin = at;
  }
  pieces.push_back(text.substr(begin));
  return pieces;
}

// A piece without its leading reserved words ("if ", "then ", "! "...).
std::string_view withoutReservedWords(std::string_view piece) {
  auto blanks = [&](size_t at) { return std::min(piece.find_first_not_of(" \t\n\v\f\r", at), piece.size()); };
  size_t kept = 0;
  for (size_t at = blanks(0);;) {
    auto reserved = std::find_if(kReservedWords.begin(), kReservedWords.end(), [&](std::string_view word) {
      return piece.substr(at).starts_with(word) && blanks(at + word.size()) > at + word.size();
    });
    if (reserved == kReservedWords.end()) break;
    at = kept = blanks(at + reserved->size());
  }
  return piece.substr(kept);
}

// Can the shell script run a package tool? classify finds installs only in
// commands of one (`sh gradlew` too), whose names hold a tool's program name.
bool mayRunPackageTool(std::string_view script) {
  return shell::mayHaveWordWith(script, engine::packageToolPrograms());
}

}  // namespace

// The installs a script runs. In a script with shell constructs the
// tokenizer does not follow, those of each piece between operators, once
// its leading reserved words are dropped.
std::vector<Install> installsOf(const Instruction& run, const CommandScope& scope) {
  std::string_view text =
      run.heredocs.empty() ? run.argumentsText() : std::string_view(run.heredocs.front().content);
  bool shellText = !run.jsonForm || !run.heredocs.empty();
  if (shellText && !mayRunPackageTool(text)) return {};
  std::shared_ptr<const shell::Script> script = scriptOf(run);
  if (!script->complex) return installsIn(*script, scope);
  std::vector<Install> installs;
  for (std::string_view piece : piecesBetweenOperators(text)) {
    for (Install& install : installsIn(*shell::parseScriptShared(withoutReservedWords(piece)), scope))
      installs.push_back(std::move(install));
  }
  return installs;
}

std::shared_ptr<const std::vector<Install>> installsOf(const Instruction& run) {
  // As few entries as the RUN effects keep (analysis/run_effects.cpp).
  thread_local text::TextMemo<std::vector<Install>> known(4 << 20, 128);
  // The text the installs are read from, and which kind of text it is.
  auto keyOf = [&] {
    if (!run.heredocs.empty()) return "h" + run.heredocs.front().content;
    if (!run.jsonForm) return "s" + std::string(run.argumentsText());
    std::string key = "j";
    for (const auto& node : run.buildkit.next) text::appendKeyPart(key, node.value);
    return key;
  };
  return known.get(keyOf, [&] { return installsOf(run, {}); });
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
