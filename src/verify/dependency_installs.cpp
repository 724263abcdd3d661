#include "verify/dependency_installs.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "engine/package_commands.h"
#include "shell/script.h"
#include "util/text.h"

namespace dfopt::verify {
namespace {

using engine::Ecosystem;
using Words = std::vector<std::string>;

std::string_view wordAt(const Words& words, size_t index) {
  return index < words.size() ? std::string_view(words[index]) : std::string_view();
}

bool hasWord(const Words& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

Words wordValues(const shell::Command& command) {
  Words words;
  for (const shell::Word& word : command.words) words.push_back(word.value);
  return words;
}

// The pieces of a script between operators and brackets, each without its
// leading reserved words: "if [ -f x ]; then pip install -r x; fi" gives
// "[ -f x ]", "pip install -r x" and "fi". Quotes are not followed.
std::vector<std::string_view> piecesBetweenOperators(std::string_view script) {
  std::vector<std::string_view> pieces;
  while (!script.empty()) {
    size_t end = std::min(script.find_first_of(";|&\n(){}`"), script.size());
    std::string_view piece = script.substr(0, end);
    for (;;) {
      piece.remove_prefix(std::min(piece.find_first_not_of(" \t"), piece.size()));
      std::string_view word = piece.substr(0, piece.find_first_of(" \t"));
      if (!text::isOneOf(word, {"if", "then", "else", "elif", "do", "while", "until", "!"})) break;
      piece.remove_prefix(word.size());
    }
    if (!piece.empty()) pieces.push_back(piece);
    script.remove_prefix(std::min(end + 1, script.size()));
  }
  return pieces;
}

// The simple commands of a script. Where the tokenizer stops at what it
// does not model (if, for and while, subshells, braces), the commands of
// each piece between operators count, as deps-first reads such scripts.
std::vector<Words> simpleCommands(std::string_view script) {
  std::vector<Words> commands;
  shell::Script parsed = shell::parseScript(script);
  if (!parsed.complex) {
    for (const shell::Command& command : parsed.commands) commands.push_back(wordValues(command));
    return commands;
  }
  for (std::string_view piece : piecesBetweenOperators(script)) {
    for (const shell::Command& command : shell::parseScript(piece).commands)
      commands.push_back(wordValues(command));
  }
  return commands;
}

// Options of wrappers that take a value: `sudo -u app`, `nice -n 10`.
bool takesValue(std::string_view wrapper, std::string_view option) {
  return (wrapper == "sudo" && text::isOneOf(option, {"-u", "-g"})) || (wrapper == "nice" && option == "-n");
}

// The command a wrapper runs (`sudo -u app npm ci`, `gosu app bundle
// install`, `env CI=1 npm ci`, `corepack yarn install`); other commands as
// they are.
Words unwrapped(Words words) {
  for (;;) {
    std::string_view program = text::baseName(wordAt(words, 0));
    size_t start = 1;
    if (text::isOneOf(program, {"gosu", "su-exec"})) {
      start = 2;  // past the user
    } else if (text::isOneOf(program, {"sudo", "env", "exec", "time", "nohup", "nice", "corepack"})) {
      while (start < words.size() &&
             (words[start].starts_with('-') || (program == "env" && text::contains(words[start], "=")))) {
        start += takesValue(program, words[start]) ? 2 : 1;
      }
    } else {
      return words;
    }
    words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(std::min(start, words.size())));
  }
}

// The script of `sh -c '...'`, `bash -c '...'` or `su app -c '...'`.
std::optional<std::string> shellScriptOf(const Words& words) {
  if (!text::isOneOf(text::baseName(wordAt(words, 0)), {"sh", "bash", "su"})) return std::nullopt;
  auto option = std::find(words.begin(), words.end(), "-c");
  if (option == words.end() || option + 1 == words.end()) return std::nullopt;
  return *(option + 1);
}

// The commands a script runs, through wrappers and `sh -c`, as word values.
std::vector<Words> commandsOf(std::string_view script) {
  std::vector<Words> commands;
  for (Words& words : simpleCommands(script)) {
    Words command = unwrapped(std::move(words));
    if (std::optional<std::string> inner = shellScriptOf(command)) {
      for (Words& nested : commandsOf(*inner)) commands.push_back(std::move(nested));
    } else {
      commands.push_back(std::move(command));
    }
  }
  return commands;
}

// The commands of a RUN step as the build's output shows it ("RUN
// --mount=... pip install ..."), past RUN's own flags. Nothing for other
// instructions.
std::vector<Words> runCommands(std::string_view instruction) {
  size_t space = instruction.find(' ');
  if (space == std::string_view::npos || text::lower(instruction.substr(0, space)) != "run") return {};
  std::string_view script = instruction.substr(space + 1);
  while (script.starts_with("--")) {
    size_t end = script.find(' ');
    script = end == std::string_view::npos ? std::string_view() : script.substr(end + 1);
  }
  return commandsOf(script);
}

// -r FILE, -rFILE, --requirement FILE, --requirement=FILE.
bool namesRequirementsFile(const Words& pip) {
  return std::any_of(pip.begin(), pip.end(), [](const std::string& word) {
    return word.starts_with("--requirement") || (word.starts_with("-r") && !word.starts_with("--"));
  });
}

bool isPoetryInstall(const Words& words) {
  auto command = engine::packageCommandOf(words);
  return command && command->tool == engine::PackageTool::Poetry &&
         wordAt(words, command->subcommand) == "install";
}

// Did an earlier step of the stage install poetry's dependencies without the
// project? A later `poetry install` then installs only the project.
bool followsPoetryNoRoot(const std::vector<std::string>& earlierInStage) {
  for (const std::string& earlier : earlierInStage) {
    for (const Words& words : runCommands(earlier)) {
      if (isPoetryInstall(words) && hasWord(words, "--no-root")) return true;
    }
  }
  return false;
}

bool installsDependencies(const Words& words, const std::vector<std::string>& earlierInStage) {
  auto command = engine::packageCommandOf(words);
  if (!command) return false;
  auto ecosystem = engine::ecosystemOf(command->tool);
  if (!ecosystem) return false;
  std::string_view sub = wordAt(words, command->subcommand);
  switch (*ecosystem) {
    case Ecosystem::Pip:  // --no-deps: only what it names, unless a requirements file names them
      return sub == "install" && (!hasWord(words, "--no-deps") || namesRequirementsFile(words));
    case Ecosystem::Poetry:
      return sub == "install" && !hasWord(words, "--only-root") && !followsPoetryNoRoot(earlierInStage);
    case Ecosystem::Npm:
      return text::isOneOf(sub, {"ci", "install", "i", "install-test", "install-ci-test"});
    case Ecosystem::Yarn:  // a bare `yarn` installs
      return sub.empty() || sub == "install" || sub.starts_with("--");
    case Ecosystem::Pnpm:
      return text::isOneOf(sub, {"install", "i"});
    case Ecosystem::Go:
      return sub == "get" || (sub == "mod" && wordAt(words, command->subcommand + 1) == "download");
    case Ecosystem::Bundler:
    case Ecosystem::Composer:
      return sub == "install";
    case Ecosystem::Cargo:
      return sub == "fetch";
    case Ecosystem::Pipenv:  // never counted so far: counting them now would change verdicts
    case Ecosystem::Uv:
    case Ecosystem::Maven:
    case Ecosystem::Gradle:
      return false;
  }
  return false;
}

}  // namespace

bool installsDependencies(const std::string& instruction, const std::vector<std::string>& earlierInStage) {
  std::vector<Words> commands = runCommands(instruction);
  return std::any_of(commands.begin(), commands.end(),
                     [&](const Words& words) { return installsDependencies(words, earlierInStage); });
}

}  // namespace dfopt::verify
