// The command the final stage starts: the last CMD, or the ENTRYPOINT when
// no CMD follows it, read as words in exec and shell form alike.
#include <algorithm>

#include <fmt/format.h>

#include "engine/line_mention.h"
#include "shell/script.h"
#include "transforms/production_server/server.h"
#include "util/text.h"

namespace dfopt::transforms::production_server {
namespace {

using model::Instruction;
using text::isOneOf;

struct Words {
  std::vector<std::string> words;
  std::string text;
};

bool hasWord(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Past `exec`, `poetry run`, `pipenv run`, `uv run`: where the program is.
size_t programIndex(const std::vector<std::string>& words) {
  size_t at = 0;
  while (at < words.size()) {
    std::string name(text::baseName(words[at]));
    if (name == "exec") {
      at += 1;
    } else if (isOneOf(name, {"poetry", "pipenv", "uv"}) && at + 1 < words.size() && words[at + 1] == "run") {
      at += 2;
    } else {
      break;
    }
  }
  return at;
}

enum class Likely { No, Script, Yes };

// Does this start a Python development server: surely (flask run,
// runserver, --reload), or maybe (a script, which tells when it is read),
// or not? Which shapes are worth a reason when they cannot be rewritten.
Likely developmentServer(const std::vector<std::string>& words) {
  size_t at = programIndex(words);
  if (at >= words.size()) return Likely::No;
  std::string program(text::baseName(words[at]));
  std::vector<std::string> rest(words.begin() + static_cast<std::ptrdiff_t>(at) + 1, words.end());
  if (program.starts_with("python") && !rest.empty() && rest[0] == "-m") {
    if (rest.size() < 2) return Likely::No;
    program = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  auto yesIf = [](bool sure) { return sure ? Likely::Yes : Likely::No; };
  if (program == "flask") return yesIf(hasWord(rest, "run"));
  if (program == "manage.py") return yesIf(hasWord(rest, "runserver"));
  if (isOneOf(program, {"uvicorn", "gunicorn"})) return yesIf(hasWord(rest, "--reload"));
  if (program == "fastapi") return yesIf(!rest.empty() && rest[0] == "dev");
  if (!program.starts_with("python")) return Likely::No;
  auto script =
      std::find_if(rest.begin(), rest.end(), [](const std::string& w) { return !w.starts_with("-"); });
  if (script == rest.end() || !script->ends_with(".py")) return Likely::No;
  if (text::baseName(*script) == "manage.py") return yesIf(hasWord(rest, "runserver"));
  return Likely::Script;
}

// The words of a shell script of one simple command, or the reason it is more.
std::optional<Words> scriptWords(std::string_view script, std::string& reason) {
  shell::Script parsed = shell::parseScript(script);
  if (parsed.complex || parsed.commands.size() != 1) {
    reason = parsed.complex ? parsed.complexReason : "it runs several commands";
    for (const shell::Command& command : parsed.commands) {
      std::vector<std::string> words;
      for (const shell::Word& word : command.words) words.push_back(word.value);
      if (developmentServer(words) == Likely::Yes) return Words{words, std::string(script)};
    }
    return std::nullopt;
  }
  const shell::Command& command = parsed.commands.front();
  Words out{{}, std::string(script.substr(command.begin, command.end - command.begin))};
  for (const shell::Word& word : command.words) {
    out.words.push_back(word.value);
    if (word.hasExpansion)
      reason = fmt::format("`{}` is expanded by the shell when the container starts", word.raw);
  }
  if (!command.assignments.empty())
    reason = fmt::format("it sets {} for the command", command.assignments[0].raw);
  if (!command.redirections.empty()) reason = fmt::format("it redirects ({})", command.redirections[0]);
  return out;
}

// The instruction's words (the script's, for shell form and `sh -c`), or
// nothing; `reason` says why they cannot become an exec-form command.
std::optional<Words> instructionWords(const Instruction& instruction, std::string& reason) {
  if (!instruction.jsonForm) return scriptWords(instruction.argumentsText(), reason);
  Words out;
  for (const auto& node : instruction.buildkit.next) out.words.push_back(node.value);
  bool shellScript = out.words.size() == 3 &&
                     isOneOf(text::baseName(out.words[0]), {"sh", "bash", "ash", "dash"}) &&
                     out.words[1] == "-c";
  if (shellScript) {
    std::optional<Words> script = scriptWords(out.words[2], reason);
    if (reason.empty()) reason = "it runs a shell script (sh -c)";
    return script;
  }
  out.text = fmt::format("{}", fmt::join(out.words, " "));
  return out;
}

}  // namespace

std::string shortened(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (blank && (out.empty() || out.back() == ' ')) continue;
    out += blank ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out.size() > 60 ? out.substr(0, 57) + "..." : out;
}

std::optional<StartCommand> startCommand(const model::Dockerfile& file, const model::Stage& stage) {
  std::optional<size_t> cmd, entrypoint;
  for (size_t i = stage.from + 1; i < stage.end; ++i) {
    if (file.instructions[i].is("cmd")) cmd = i;
    if (file.instructions[i].is("entrypoint")) entrypoint = i;
  }
  if (entrypoint) {
    std::string reason;
    std::optional<Words> words = instructionWords(file.instructions[*entrypoint], reason);
    Likely likely = words ? developmentServer(words->words) : Likely::No;
    if (likely == Likely::Yes && cmd) {
      throw Refusal{fmt::format("the CMD (line {}) gives the server of the ENTRYPOINT its arguments",
                                engine::lineMention(file.instructions[*cmd].range.begin))};
    }
    if (likely != Likely::No) {
      if (cmd) return std::nullopt;
      cmd = entrypoint;
    }
  }
  if (!cmd) return std::nullopt;
  const Instruction& instruction = file.instructions[*cmd];
  std::string reason;
  std::optional<Words> words = instructionWords(instruction, reason);
  Likely likely = words ? developmentServer(words->words) : Likely::No;
  if (likely == Likely::No || (likely == Likely::Script && !reason.empty())) return std::nullopt;
  if (!reason.empty()) {
    throw Refusal{fmt::format("the {} starts `{}` but cannot become one exec-form command: {}",
                              text::upper(instruction.command), shortened(words->text), reason)};
  }
  if (!instruction.innerComments.empty()) {
    throw Refusal{fmt::format("the {} has comments between its lines", text::upper(instruction.command))};
  }
  StartCommand start;
  start.index = *cmd;
  start.text = words->text;
  size_t at = programIndex(words->words);
  for (size_t i = 0; i < at; ++i) {
    if (words->words[i] != "exec") start.launcher.push_back(words->words[i]);
  }
  start.words.assign(words->words.begin() + static_cast<std::ptrdiff_t>(at), words->words.end());
  return start;
}

}  // namespace dfopt::transforms::production_server
