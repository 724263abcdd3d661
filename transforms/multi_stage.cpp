// multi-stage: a single stage that ships its build tool chain becomes a
// `build` stage and a lean `production` stage that gets only what the app
// runs: a wheel, a virtualenv, production node_modules, a static binary, a
// jar. The build stage keeps its steps; CMD, ENTRYPOINT, EXPOSE,
// HEALTHCHECK, STOPSIGNAL, VOLUME and a USER after the build steps move to
// the production stage with their comments; ENV, LABEL and the ARGs they
// use are copied there. Whatever dfopt cannot account for (a RUN it does
// not understand, files copied outside the app directory, system packages
// the app may need at run time) leaves the file as it is, with the reason.
#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "context/build_context.h"
#include "engine/ecosystem.h"
#include "engine/image_reference.h"
#include "engine/instruction_edits.h"
#include "engine/package_commands.h"
#include "engine/style.h"
#include "model/queries.h"
#include "model/variables.h"
#include "shell/script.h"
#include "transforms/transforms.h"
#include "util/text.h"

namespace dfopt::transforms {
namespace {

using text::baseName;
using text::contains;
using text::dirName;
using text::hasGlob;
using text::isOneOf;
using text::isUnder;
using text::lower;

using engine::Edit;
using engine::PackageTool;
using model::Dockerfile;
using model::Instruction;
using syntax::ByteRange;

// Thrown anywhere in the analysis when the stage cannot be split safely;
// becomes an info finding at `offset`.
struct NotSplit {
  uint32_t offset;
  std::string reason;
};

[[noreturn]] void notSplit(uint32_t offset, std::string reason) { throw NotSplit{offset, std::move(reason)}; }

// ------------------------------------------------------------------ text

// A command for a one-line message: blanks collapsed, at most 60 characters.
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

std::string jsonArray(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + jsonQuote(values[i]);
  return out + "]";
}

bool isDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// ------------------------------------------------------- words with source ranges

struct SourceWord {
  std::string value;  // quotes removed
  ByteRange range;    // in the Dockerfile
  bool plain = true;  // no expansion: its value is what runs
};

// One simple command of RUN, CMD, ENTRYPOINT or HEALTHCHECK, in shell or
// exec (JSON) form alike.
struct SourceCommand {
  std::vector<SourceWord> assignments;
  std::vector<SourceWord> words;
  ByteRange range;
  std::string text;  // as BuildKit joins the lines
  std::string separatorAfter;

  std::string name() const { return words.empty() ? std::string() : std::string(baseName(words[0].value)); }
  std::string arg(size_t i) const { return i < words.size() ? words[i].value : std::string(); }
};

struct CommandLine {
  bool json = false;
  std::vector<SourceCommand> commands;
  std::string complexReason;  // the shell script holds constructs the tokenizer does not model
  ByteRange range;            // the shell script or the JSON array's strings
};

size_t logicalIndexOf(const model::LogicalLine& line, uint32_t sourceOffset) {
  auto at = std::find(line.offsets.begin(), line.offsets.end(), sourceOffset);
  return static_cast<size_t>(at - line.offsets.begin());
}

std::string decodeJsonString(std::string_view text) {
  try {
    return nlohmann::json::parse(text).get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return std::string(text);
  }
}

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
  size_t logicalBegin = logicalIndexOf(instruction.line, scriptWord.range.begin);
  shell::Script script = shell::parseScript(scriptWord.text);
  if (script.complex)
    out.complexReason = script.complexReason.empty() ? "a compound command" : script.complexReason;
  for (const shell::Command& parsed : script.commands) {
    SourceCommand command;
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

// What RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD runs (nothing for HEALTHCHECK NONE).
CommandLine commandLineOf(const Instruction& instruction) {
  if (!instruction.heredocs.empty()) return {false, {}, "a heredoc", {}};
  size_t first = instruction.is("healthcheck") ? 1 : 0;
  if (instruction.arguments.size() <= first) return {};
  if (instruction.jsonForm) return jsonCommandLine(instruction, first);
  return shellCommandLine(instruction, instruction.arguments[first]);
}

// The program of a command, past a leading `exec`.
size_t programIndex(const SourceCommand& command) {
  return !command.words.empty() && command.words[0].value == "exec" ? 1 : 0;
}

// ------------------------------------------------------- what RUN commands do

enum class Tool { None, Pip, Poetry, Npm, Yarn, Pnpm, Go, Maven, Gradle, Cargo, Unsupported };
enum class Role { Harmless, Setup, Install, Build, Other };

struct Classified {
  Role role = Role::Other;
  Tool tool = Tool::None;
  std::string detail;  // Other: why; Unsupported: the tool; a virtualenv: its directory
};

constexpr std::string_view kAddsPackages =
    "`{}` adds packages that are not in package.json, which the production install would miss";

Classified harmless() { return {Role::Harmless, Tool::None, ""}; }
Classified setup(Tool tool = Tool::None, std::string detail = "") {
  return {Role::Setup, tool, std::move(detail)};
}
Classified install(Tool tool) { return {Role::Install, tool, ""}; }
Classified build(Tool tool) { return {Role::Build, tool, ""}; }
Classified other(std::string why) { return {Role::Other, Tool::None, std::move(why)}; }

// Reasons for Role::Other; `{}` stands for the command.
constexpr std::string_view kUnknownOutput =
    "dfopt cannot tell what `{}` leaves behind for the app at run time";

// Build tools: what the compilers and fetchers of a build stage need, and the app not.
constexpr std::string_view kBuildOnlyPackages[] = {"build-essential",
                                                   "gcc",
                                                   "g++",
                                                   "make",
                                                   "cmake",
                                                   "autoconf",
                                                   "automake",
                                                   "libtool",
                                                   "pkg-config",
                                                   "pkgconf",
                                                   "git",
                                                   "curl",
                                                   "wget",
                                                   "ca-certificates",
                                                   "gnupg",
                                                   "gnupg2",
                                                   "unzip",
                                                   "zip",
                                                   "xz-utils",
                                                   "bzip2",
                                                   "tar",
                                                   "musl-dev",
                                                   "linux-headers",
                                                   "libc-dev",
                                                   "libc6-dev",
                                                   "build-base",
                                                   "binutils",
                                                   "patch",
                                                   "file",
                                                   "dpkg-dev"};

std::vector<std::string> valuesOf(const SourceCommand& command) {
  std::vector<std::string> values;
  for (const SourceWord& word : command.words) values.push_back(word.value);
  return values;
}

// The non-option words from `from` on, with the values of the listed options skipped.
std::vector<std::string> operands(const std::vector<std::string>& words, size_t from,
                                  const std::vector<std::string_view>& optionsWithValue = {}) {
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
                                  const std::vector<std::string_view>& optionsWithValue = {}) {
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

Classified classifySystemPackages(const SourceCommand& command) {
  std::vector<std::string> args =
      operands(command, 1, {"-t", "--target-release", "--virtual", "-o", "-X", "--repository"});
  if (args.empty()) return harmless();
  if (!isOneOf(args[0], std::array<std::string_view, 2>{"install", "add"})) return harmless();
  std::vector<std::string> needed;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string name = args[i].substr(0, args[i].find_first_of("=<>~"));
    if (!isOneOf(name, kBuildOnlyPackages)) needed.push_back(name);
  }
  if (needed.empty()) return setup();
  std::string list = needed.size() > 3
                         ? fmt::format("{}, ...", fmt::join(needed.begin(), needed.begin() + 3, ", "))
                         : fmt::format("{}", fmt::join(needed, ", "));
  // the reason is a format string: braces in package names must stay text
  list = std::regex_replace(list, std::regex("[{}]"), "$&$&");
  return other(fmt::format("`{{}}` installs system packages ({}) that the app may need at run time", list));
}

constexpr std::string_view kPythonTools[] = {"pip",        "setuptools", "wheel",
                                             "poetry",     "pipenv",     "uv",
                                             "virtualenv", "pip-tools",  "poetry-plugin-export"};

// Tests and linters: they check the build and leave nothing the app needs.
constexpr std::string_view kCheckers[] = {"pytest", "mypy", "ruff", "flake8", "black", "pylint", "tox"};

std::string requirementName(std::string_view spec) {
  return lower(spec.substr(0, spec.find_first_of("=<>!~[;@ ")));
}

// `pip install ...` (words from `sub`, the subcommand).
Classified classifyPip(const SourceCommand& command, size_t sub) {
  if (command.arg(sub) != "install") return harmless();
  bool requirements = hasOption(command, {"-r", "--requirement", "-e", "--editable"});
  std::vector<std::string> packages = operands(command, sub + 1,
                                               {"-r",
                                                "--requirement",
                                                "-c",
                                                "--constraint",
                                                "-e",
                                                "--editable",
                                                "-i",
                                                "--index-url",
                                                "--extra-index-url",
                                                "-f",
                                                "--find-links",
                                                "--trusted-host",
                                                "-t",
                                                "--target",
                                                "--prefix",
                                                "--root",
                                                "--src",
                                                "--upgrade-strategy",
                                                "--platform",
                                                "--python-version",
                                                "--implementation",
                                                "--abi",
                                                "--progress-bar",
                                                "--cache-dir",
                                                "--log",
                                                "--timeout",
                                                "--retries",
                                                "--proxy",
                                                "--cert",
                                                "--client-cert",
                                                "--no-binary",
                                                "--only-binary",
                                                "--config-settings",
                                                "-C"});
  bool onlyTools = std::all_of(packages.begin(), packages.end(), [](const std::string& p) {
    return isOneOf(requirementName(p), kPythonTools);
  });
  if (!requirements && onlyTools) return setup(Tool::Pip);
  return install(Tool::Pip);
}

Classified classifyPython(const SourceCommand& command) {
  if (command.arg(1) == "-m" && isOneOf(command.arg(2), kCheckers)) return harmless();
  if (command.arg(1) == "-m" && command.arg(2) == "venv") {
    std::vector<std::string> dirs = operands(command, 3, {"--prompt"});
    if (dirs.size() == 1) return setup(Tool::Pip, dirs[0]);
  }
  return other(std::string(kUnknownOutput));
}

Classified classifyPoetry(const SourceCommand& command) {
  std::string sub = command.arg(1);
  if (sub == "run" && isOneOf(command.arg(2), kCheckers)) return harmless();
  if (sub == "install") return install(Tool::Poetry);
  if (sub == "build") return build(Tool::Poetry);
  if (isOneOf(sub, std::array<std::string_view, 8>{"config", "self", "--version", "version", "check", "lock",
                                                   "env", "export"})) {
    return setup(Tool::Poetry);
  }
  return other(std::string(kUnknownOutput));
}

Classified classifyNpm(const SourceCommand& command) {
  std::string sub = command.arg(1);
  bool global = hasOption(command, {"-g", "--global"});
  if (isOneOf(sub, std::array<std::string_view, 4>{"ci", "install", "i", "add"})) {
    std::vector<std::string> packages = operands(command, 2, {"--prefix"});
    if (global) {
      bool pnpm = std::any_of(packages.begin(), packages.end(),
                              [](const std::string& p) { return p.starts_with("pnpm"); });
      return setup(pnpm ? Tool::Pnpm : Tool::None);
    }
    if (!packages.empty()) return other(std::string(kAddsPackages));
    return install(Tool::Npm);
  }
  if ((sub == "run" || sub == "run-script") && command.arg(2) == "build") return build(Tool::Npm);
  if (isOneOf(sub, std::array<std::string_view, 6>{"cache", "config", "set", "prune", "audit", "test"}))
    return harmless();
  return other(std::string(kUnknownOutput));
}

Classified classifyYarn(const SourceCommand& command) {
  std::vector<std::string> args = operands(command, 1, {"--cwd", "--modules-folder", "--network-timeout"});
  if (hasOption(command, {"--cwd", "--modules-folder"})) return other("`{}` installs outside its directory");
  if (args.empty() || args[0] == "install") return install(Tool::Yarn);
  if (args[0] == "build" || (args[0] == "run" && args.size() > 1 && args[1] == "build"))
    return build(Tool::Yarn);
  if (args[0] == "global") return setup();
  if (isOneOf(args[0], std::array<std::string_view, 3>{"cache", "config", "test"})) return harmless();
  if (args[0] == "add") return other(std::string(kAddsPackages));
  return other(std::string(kUnknownOutput));
}

Classified classifyPnpm(const SourceCommand& command) {
  std::vector<std::string> args = operands(command, 1, {"--dir", "-C", "--filter"});
  if (args.empty()) return other(std::string(kUnknownOutput));
  if (args[0] == "install" || args[0] == "i") return install(Tool::Pnpm);
  if (args[0] == "build" || (args[0] == "run" && args.size() > 1 && args[1] == "build"))
    return build(Tool::Pnpm);
  if (isOneOf(args[0], std::array<std::string_view, 4>{"config", "store", "fetch", "test"}))
    return harmless();
  return other(std::string(kUnknownOutput));
}

Classified classifyGo(const SourceCommand& command) {
  std::string sub = command.arg(1);
  if (sub == "build") return build(Tool::Go);
  if (sub == "mod") return install(Tool::Go);
  if (sub == "install") {
    std::vector<std::string> packages = operands(command, 2);
    bool tools = !packages.empty() && std::all_of(packages.begin(), packages.end(),
                                                  [](const std::string& p) { return contains(p, "@"); });
    return tools ? setup()
                 : other("`{}` installs the program into GOPATH/bin; dfopt ships what go build makes");
  }
  if (isOneOf(sub, std::array<std::string_view, 6>{"generate", "test", "vet", "version", "env", "get"}))
    return harmless();
  return other(std::string(kUnknownOutput));
}

const std::vector<std::string_view> kMavenOptionsWithValue = {"-f",       "--file",
                                                              "-pl",      "--projects",
                                                              "-P",       "--activate-profiles",
                                                              "-s",       "--settings",
                                                              "-gs",      "--global-settings",
                                                              "-T",       "--threads",
                                                              "-rf",      "--resume-from",
                                                              "-l",       "--log-file",
                                                              "-t",       "--toolchains",
                                                              "-D",       "-b",
                                                              "--builder"};

Classified classifyMaven(const SourceCommand& command) {
  std::vector<std::string> goals = operands(command, 1, kMavenOptionsWithValue);
  bool packages = std::any_of(goals.begin(), goals.end(), [](const std::string& goal) {
    return isOneOf(goal, std::array<std::string_view, 5>{"package", "install", "verify", "deploy",
                                                         "spring-boot:repackage"});
  });
  return packages ? build(Tool::Maven) : install(Tool::Maven);
}

const std::vector<std::string_view> kGradleOptionsWithValue = {"-p",           "--project-dir",
                                                               "-b",           "--build-file",
                                                               "-c",           "--settings-file",
                                                               "-x",           "--exclude-task",
                                                               "-D",           "-P",
                                                               "-g",           "--gradle-user-home",
                                                               "-I",           "--init-script",
                                                               "--console",    "--warning-mode",
                                                               "--max-workers"};

Classified classifyGradle(const SourceCommand& command) {
  std::vector<std::string> tasks = operands(command, 1, kGradleOptionsWithValue);
  bool jars = std::any_of(tasks.begin(), tasks.end(), [](const std::string& task) {
    return isOneOf(baseName(task),
                   std::array<std::string_view, 5>{"build", "assemble", "bootJar", "jar", "shadowJar"});
  });
  return jars ? build(Tool::Gradle) : install(Tool::Gradle);
}

Classified classifyCargo(const SourceCommand& command) {
  std::string sub = command.arg(1);
  if (sub == "build") return build(Tool::Cargo);
  if (sub == "fetch") return install(Tool::Cargo);
  if (sub == "install") return hasOption(command, {"--path"}) ? build(Tool::Cargo) : setup();
  if (isOneOf(sub, std::array<std::string_view, 5>{"test", "check", "clippy", "fmt", "--version"}))
    return harmless();
  return other(std::string(kUnknownOutput));
}

// Commands that leave nothing the app needs (users are checked on their own, see userToWrite).
constexpr std::string_view kHarmlessCommands[] = {
    "mkdir", "rm", "ls",     "echo",   "true",    "set",     "printf",   "which",
    "chmod", "cd", "export", "rustup", "useradd", "adduser", "groupadd", "addgroup"};
constexpr std::string_view kPackageManagers[] = {"apt-get", "apt", "apk", "yum", "dnf", "microdnf"};
// Tools with no production stage recipe besides the package tools classifyPackageCommand turns down.
constexpr std::string_view kUnsupportedTools[] = {"gem", "pdm", "hatch"};

Classified classifyPackageCommand(const SourceCommand& command, const engine::PackageCommand& package) {
  switch (package.tool) {
    case PackageTool::Pip:
      return classifyPip(command, package.subcommand);
    case PackageTool::Poetry:
      return classifyPoetry(command);
    case PackageTool::Npm:
      return classifyNpm(command);
    case PackageTool::Yarn:
      return classifyYarn(command);
    case PackageTool::Pnpm:
      return classifyPnpm(command);
    case PackageTool::Corepack:
      return setup(Tool::Pnpm);
    case PackageTool::Go:
      return classifyGo(command);
    case PackageTool::Maven:
      return classifyMaven(command);
    case PackageTool::Gradle:
      return classifyGradle(command);
    case PackageTool::Cargo:
      return classifyCargo(command);
    case PackageTool::UvPip:
    case PackageTool::Uv:
    case PackageTool::Pipenv:
    case PackageTool::Bundler:
    case PackageTool::Composer:
      return {Role::Install, Tool::Unsupported, command.name()};
  }
  return other(std::string(kUnknownOutput));
}

// `afterPipe`: the command reads the output of the one before it.
Classified classify(const SourceCommand& command, bool afterPipe) {
  std::string name = command.name();
  if (name.empty()) return harmless();  // only assignments
  if (isOneOf(name, kHarmlessCommands) || isOneOf(name, kCheckers)) return harmless();
  if (isOneOf(name, kPackageManagers)) return classifySystemPackages(command);
  if (name == "curl" || name == "wget") {
    return command.separatorAfter == "|" ? setup() : other(std::string(kUnknownOutput));
  }
  if (afterPipe && (name == "sh" || name == "bash" || engine::isPythonProgram(name)))
    return setup();  // an installer
  if (auto package = engine::packageCommandOf(valuesOf(command)))
    return classifyPackageCommand(command, *package);
  if (engine::isPythonProgram(name)) return classifyPython(command);
  if (name == "virtualenv") {
    std::vector<std::string> dirs = operands(command, 1, {"-p", "--python", "--prompt"});
    if (dirs.size() == 1) return setup(Tool::Pip, dirs[0]);
  }
  if (isOneOf(name, kUnsupportedTools)) return {Role::Install, Tool::Unsupported, name};
  return other(std::string(kUnknownOutput));
}

// ------------------------------------------------------------ the stage

struct StageCommand {
  size_t index;         // its RUN
  std::string workdir;  // where it runs
  SourceCommand command;
  Classified kind;
};

// A COPY of a context directory (`COPY . .`, `COPY app/ /srv/`).
struct DirectoryCopy {
  size_t index;
  std::string source;       // context path, cleaned ("." for the root)
  std::string written;      // the source as written
  std::string destination;  // absolute
  std::string flags;        // the COPY's flags as written, joined by spaces
};

struct StageFacts {
  std::string workdir;  // at the end of the stage: where the app runs
  std::vector<StageCommand> commands;
  std::vector<DirectoryCopy> directoryCopies;
  size_t lastBuildStep = 0;  // last RUN, COPY or ADD
  std::optional<size_t> cmd, entrypoint;
  std::vector<size_t> healthchecks;
};

uint32_t offsetOf(const Dockerfile& file, size_t index) {
  return file.instructions[index].keywordRange.begin;
}

std::string expandOrFail(const Dockerfile& file, size_t index, std::string_view word, std::string_view what) {
  std::string value = model::unquoteValue(word);
  if (!model::hasVariable(value)) return value;
  auto expanded = model::expandVariables(value, model::variablesBefore(file, index));
  if (!expanded)
    notSplit(offsetOf(file, index), fmt::format("{} {} uses a variable with no known value", what, word));
  return *expanded;
}

std::string workdirAt(const Dockerfile& file, size_t index) {
  auto workdir = model::workdirBefore(file, index);
  if (!workdir) notSplit(offsetOf(file, index), "the WORKDIR uses a variable with no known value");
  return *workdir;
}

// COPY and ADD sources and destination (heredoc sources left out).
std::vector<std::string> copyWords(const Instruction& instruction) {
  std::vector<std::string> words;
  if (instruction.jsonForm) {
    for (const model::Word& word : instruction.arguments) words.push_back(decodeJsonString(word.text));
  } else {
    for (const model::Word& word : instruction.arguments) words.push_back(word.text);
  }
  return words;
}

std::string flagsText(const Dockerfile& file, const Instruction& instruction) {
  std::vector<std::string> flags;
  for (const model::Flag& flag : instruction.flags) {
    flags.push_back(file.source->bytes().substr(flag.range.begin, flag.range.size()));
  }
  return fmt::format("{}", fmt::join(flags, " "));
}

void analyseCopy(const Dockerfile& file, const context::BuildContext& context, size_t index,
                 StageFacts& facts) {
  const Instruction& copy = file.instructions[index];
  if (copy.flag("from")) return;  // a tool taken from another image
  std::vector<std::string> words = copyWords(copy);
  if (words.empty()) return;
  std::string workdir = workdirAt(file, index);
  std::string destination =
      model::resolvePath(workdir, expandOrFail(file, index, words.back(), "the destination"));
  if (!isUnder(destination, facts.workdir) && !isUnder(destination, "/tmp")) {
    notSplit(
        copy.keywordRange.begin,
        fmt::format("{} puts files in {}, outside the app directory {}: the production stage would miss them",
                    copy.keyword, destination, facts.workdir));
  }
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i].starts_with("<<")) continue;
    std::string source = expandOrFail(file, index, words[i], "the source");
    if (model::isRemoteSource(source)) {
      notSplit(copy.keywordRange.begin,
               fmt::format("{} fetches {}, which the app may need at run time", copy.keyword, source));
    }
    std::string path = context::cleanPath(source);
    if (path == "." || context.isDirectory(path)) {
      facts.directoryCopies.push_back({index, path, words[i], destination, flagsText(file, copy)});
    }
  }
}

void analyseRun(const Dockerfile& file, size_t index, StageFacts& facts) {
  const Instruction& run = file.instructions[index];
  CommandLine line = commandLineOf(run);
  if (!line.complexReason.empty()) {
    notSplit(run.keywordRange.begin,
             fmt::format("the RUN uses {}, which dfopt does not analyse", line.complexReason));
  }
  std::string workdir = workdirAt(file, index);
  bool afterPipe = false;
  for (const SourceCommand& command : line.commands) {
    Classified kind = classify(command, afterPipe);
    if (kind.role == Role::Other) {
      notSplit(run.keywordRange.begin, fmt::format(fmt::runtime(kind.detail), shortened(command.text)));
    }
    facts.commands.push_back({index, workdir, command, kind});
    if (command.name() == "cd") {
      if (command.words.size() != 2 || !command.words[1].plain) {
        notSplit(run.keywordRange.begin, "the RUN changes to a directory dfopt cannot tell");
      }
      workdir = model::resolvePath(workdir, command.words[1].value);
    }
    afterPipe = command.separatorAfter == "|";
  }
}

// workdirBefore() answers for instructions inside the stage: the last one may be a WORKDIR.
std::string workdirAtEnd(const Dockerfile& file, const model::Stage& stage) {
  size_t last = stage.end - 1;
  std::string workdir = workdirAt(file, last);
  const Instruction& instruction = file.instructions[last];
  if (instruction.is("workdir") && !instruction.arguments.empty() && last != stage.from) {
    workdir =
        model::resolvePath(workdir, expandOrFail(file, last, instruction.arguments[0].text, "the WORKDIR"));
  }
  return workdir;
}

StageFacts analyseStage(const Dockerfile& file, const context::BuildContext& context,
                        const model::Stage& stage) {
  StageFacts facts;
  facts.workdir = workdirAtEnd(file, stage);
  for (size_t i = stage.from + 1; i < stage.end; ++i) {
    const Instruction& instruction = file.instructions[i];
    if (instruction.is("onbuild"))
      notSplit(instruction.keywordRange.begin, "ONBUILD makes the image a base for other builds");
    if (instruction.is("shell")) {
      notSplit(instruction.keywordRange.begin,
               "SHELL changes how RUN and CMD run, and the runtime image may not have that shell");
    }
    if (instruction.is("run") || instruction.is("copy") || instruction.is("add")) facts.lastBuildStep = i;
    if (instruction.is("run")) analyseRun(file, i, facts);
    if (instruction.is("copy") || instruction.is("add")) analyseCopy(file, context, i, facts);
    if (instruction.is("cmd")) facts.cmd = i;
    if (instruction.is("entrypoint")) facts.entrypoint = i;
    if (instruction.is("healthcheck")) facts.healthchecks.push_back(i);
  }
  return facts;
}

std::string toolName(Tool tool) {
  switch (tool) {
    case Tool::Pip:
      return "pip";
    case Tool::Poetry:
      return "Poetry";
    case Tool::Npm:
      return "npm";
    case Tool::Yarn:
      return "yarn";
    case Tool::Pnpm:
      return "pnpm";
    case Tool::Go:
      return "Go";
    case Tool::Maven:
      return "Maven";
    case Tool::Gradle:
      return "Gradle";
    case Tool::Cargo:
      return "Cargo";
    default:
      return "";
  }
}

// The one ecosystem whose install or build steps the stage runs.
Tool ecosystemOf(const Dockerfile& file, const model::Stage& stage, const StageFacts& facts) {
  std::set<Tool> tools;
  for (const StageCommand& command : facts.commands) {
    if (command.kind.role != Role::Install && command.kind.role != Role::Build) continue;
    if (command.kind.tool == Tool::Unsupported) {
      notSplit(offsetOf(file, command.index),
               fmt::format("dfopt has no production stage recipe for {} yet", command.kind.detail));
    }
    if (command.kind.tool != Tool::None) tools.insert(command.kind.tool);
  }
  if (tools.empty()) {
    notSplit(offsetOf(file, stage.from),
             "no install or build step of an ecosystem dfopt knows: no artifact to ship");
  }
  if (tools.size() > 1) {
    std::vector<std::string> names;
    for (Tool tool : tools) names.push_back(toolName(tool));
    notSplit(offsetOf(file, stage.from),
             fmt::format("it builds with several tool chains ({})", fmt::join(names, ", ")));
  }
  return *tools.begin();
}

// ------------------------------------------------------------ images

enum class Family { Python, Node, Go, Java, Rust };

std::optional<Family> familyOf(std::string_view officialName) {
  if (officialName == "python") return Family::Python;
  if (officialName == "node") return Family::Node;
  if (officialName == "golang") return Family::Go;
  if (officialName == "rust") return Family::Rust;
  if (isOneOf(officialName,
              std::array<std::string_view, 4>{"maven", "gradle", "eclipse-temurin", "openjdk"})) {
    return Family::Java;
  }
  return std::nullopt;
}

Family familyOf(Tool tool) {
  switch (tool) {
    case Tool::Pip:
    case Tool::Poetry:
      return Family::Python;
    case Tool::Npm:
    case Tool::Yarn:
    case Tool::Pnpm:
      return Family::Node;
    case Tool::Go:
      return Family::Go;
    case Tool::Cargo:
      return Family::Rust;
    default:
      return Family::Java;
  }
}

constexpr std::string_view kDebianCodenames[] = {"trixie", "bookworm", "bullseye", "buster", "stretch"};
constexpr std::string_view kUbuntuCodenames[] = {"noble", "jammy", "focal"};

std::vector<std::string> tagParts(std::string_view tag) {
  std::vector<std::string> parts;
  size_t at = 0;
  while (at <= tag.size()) {
    size_t dash = tag.find('-', at);
    if (dash == std::string_view::npos) dash = tag.size();
    parts.emplace_back(tag.substr(at, dash - at));
    at = dash + 1;
  }
  return parts;
}

std::string withTag(const engine::ImageReference& image, std::string_view tag) {
  return fmt::format("{}{}:{}", image.registry.empty() ? "" : image.registry + "/", image.path, tag);
}

bool isLeanTag(std::string_view tag) { return contains(tag, "slim") || contains(tag, "alpine"); }

// python:3.11 -> python:3.11-slim, python:3.11-bookworm -> python:3.11-slim-bookworm
std::optional<std::string> pythonRuntime(const engine::ImageReference& image) {
  const std::string& tag = image.tag;
  if (tag.empty() || tag == "latest") return withTag(image, "slim");
  if (isLeanTag(tag)) return withTag(image, tag);
  std::vector<std::string> parts = tagParts(tag);
  if (parts.size() == 2 && isOneOf(parts[1], kDebianCodenames))
    return withTag(image, parts[0] + "-slim-" + parts[1]);
  if (parts.size() == 1) return withTag(image, tag + "-slim");
  return std::nullopt;
}

// node:20 -> node:20-slim, node:20-bookworm -> node:20-bookworm-slim
std::optional<std::string> nodeRuntime(const engine::ImageReference& image) {
  const std::string& tag = image.tag;
  if (tag.empty() || tag == "latest") return withTag(image, "slim");
  if (isLeanTag(tag)) return withTag(image, tag);
  std::vector<std::string> parts = tagParts(tag);
  if (parts.size() == 1 || (parts.size() == 2 && isOneOf(parts[1], kDebianCodenames)))
    return withTag(image, tag + "-slim");
  return std::nullopt;
}

// The Java feature release a JDK image's tag names: maven:3.9-eclipse-temurin-17, gradle:8-jdk17,
// eclipse-temurin:21-jdk, openjdk:17.
std::optional<std::string> javaVersion(std::string_view officialName, std::string_view tag) {
  static const std::regex leading("^([0-9]+)");
  static const std::regex named("(?:temurin|openjdk|jdk|corretto|sapmachine|semeru)-?([0-9]+)");
  std::smatch match;
  std::string text(tag);
  if ((officialName == "eclipse-temurin" || officialName == "openjdk") &&
      std::regex_search(text, match, leading)) {
    return match[1].str();
  }
  if (std::regex_search(text, match, named)) return match[1].str();
  return std::nullopt;
}

std::optional<std::string> javaRuntime(const engine::ImageReference& image) {
  auto version = javaVersion(image.officialName(), image.tag);
  if (!version) return std::nullopt;
  std::string variant;
  if (contains(image.tag, "alpine")) variant = "-alpine";
  for (std::string_view codename : kUbuntuCodenames) {
    if (contains(image.tag, codename)) variant = "-" + std::string(codename);
  }
  return fmt::format("eclipse-temurin:{}-jre{}", *version, variant);
}

// rust:1.77-bookworm -> debian:bookworm-slim; rust:1.77-alpine3.19 -> alpine:3.19
std::optional<std::string> rustRuntime(const engine::ImageReference& image) {
  for (std::string_view codename : kDebianCodenames) {
    if (contains(image.tag, codename)) return fmt::format("debian:{}-slim", codename);
  }
  static const std::regex alpine("alpine([0-9]+\\.[0-9]+)");
  std::smatch match;
  if (std::regex_search(image.tag, match, alpine)) return "alpine:" + match[1].str();
  if (contains(image.tag, "alpine")) return "alpine:3";
  return "debian:bookworm-slim";
}

std::optional<std::string> runtimeFor(Family family, std::string_view imageText) {
  engine::ImageReference image = engine::parseImageReference(imageText);
  if (contains(image.tag, "windowsservercore") || contains(image.tag, "nanoserver")) return std::nullopt;
  switch (family) {
    case Family::Python:
      return pythonRuntime(image);
    case Family::Node:
      return nodeRuntime(image);
    case Family::Go:
      return "gcr.io/distroless/static-debian12";
    case Family::Java:
      return javaRuntime(image);
    case Family::Rust:
      return rustRuntime(image);
  }
  return std::nullopt;
}

struct BaseImage {
  std::string written;           // as in FROM
  std::string expanded;          // variables replaced
  engine::ImageReference image;  // of `expanded`
  Family family;
};

BaseImage baseImageOf(const Dockerfile& file, const model::Stage& stage) {
  uint32_t at = offsetOf(file, stage.from);
  BaseImage base;
  base.written = stage.baseImage;
  base.expanded = base.written;
  if (model::hasVariable(base.written)) {
    auto expanded = model::expandVariables(base.written, model::variablesBefore(file, stage.from));
    if (!expanded)
      notSplit(at, fmt::format("the base image {} uses a variable with no known value", base.written));
    base.expanded = *expanded;
  }
  base.image = engine::parseImageReference(base.expanded);
  auto family = familyOf(base.image.officialName());
  if (!family) {
    notSplit(at,
             fmt::format("the base image {} is not a language image dfopt knows (python, node, golang, rust, "
                         "maven, gradle, eclipse-temurin, openjdk)",
                         base.expanded));
  }
  base.family = *family;
  return base;
}

// The runtime image as it will be written: derived from the base image's
// text with its variables kept when they still say the same thing.
std::string runtimeImageOf(const Dockerfile& file, const model::Stage& stage, const BaseImage& base,
                           const engine::Options& options) {
  if (!options.runtimeImage.empty()) return options.runtimeImage;
  uint32_t at = offsetOf(file, stage.from);
  if (!base.image.digest.empty()) {
    notSplit(
        at, fmt::format("the base image {} is pinned by digest and dfopt cannot pin a runtime image the same "
                        "way (choose one with --runtime-image)",
                        base.expanded));
  }
  auto runtime = runtimeFor(base.family, base.expanded);
  if (!runtime)
    notSplit(at, fmt::format("dfopt knows no lean runtime image for {} (choose one with --runtime-image)",
                             base.expanded));
  if (base.written != base.expanded) {
    auto fromWritten = runtimeFor(base.family, base.written);
    auto variables = model::variablesBefore(file, stage.from);
    if (fromWritten && model::expandVariables(*fromWritten, variables) == *runtime) return *fromWritten;
  }
  return *runtime;
}

// ------------------------------------------------------------ the job

struct Job {
  const Dockerfile& file;
  const context::BuildContext& context;
  engine::Style style;
  const model::Stage& stage;
  StageFacts facts;
  Tool ecosystem;
  BaseImage base;
  std::string runtime;
  bool runtimeChosen;  // by the user: trust it to have what the app needs
  std::string buildStage;

  const Instruction& instruction(size_t index) const { return file.instructions[index]; }
  uint32_t offset(size_t index) const { return offsetOf(file, index); }
  // The instruction that starts the app: ENTRYPOINT when there is one, else CMD.
  size_t runner() const { return facts.entrypoint ? *facts.entrypoint : *facts.cmd; }
  std::string indentation(size_t index) const {
    return style.indentationAt(file, instruction(index).range.begin);
  }
  std::string line(size_t like, std::string_view keyword, std::string_view rest) const {
    return indentation(like) + style.line(keyword, rest);
  }
  // A line of the production stage, indented like the stage's body.
  std::string productionLine(std::string_view keyword, std::string_view rest) const {
    return (stage.from + 1 < stage.end ? indentation(stage.from + 1) : "") + style.line(keyword, rest);
  }
};

// What a recipe adds to the build stage and writes in the production stage.
struct Plan {
  std::vector<Edit> buildEdits;                  // insertions into the build stage
  bool workdir = true;                           // the production stage starts in the app directory
  std::string productionSteps;                   // copies and installs, each line ending in a newline
  std::map<size_t, std::vector<Edit>> rewrites;  // edits inside moved CMD/ENTRYPOINT/HEALTHCHECK
  std::string summary;                           // what production ships and what it leaves out
};

// The value the stage's ENV instructions give `name` last.
std::optional<std::string> envValue(const Job& job, std::string_view name) {
  std::optional<std::string> value;
  for (size_t i = job.stage.from + 1; i < job.stage.end; ++i) {
    const Instruction& env = job.instruction(i);
    if (!env.is("env")) continue;
    const auto& parts = env.buildkit.next;
    for (size_t k = 0; k + 1 < parts.size(); k += 3) {
      if (parts[k].value == name) value = model::unquoteValue(parts[k + 1].value);
    }
  }
  return value;
}

std::vector<size_t> runtimeCommands(const Job& job) {
  std::vector<size_t> out = job.facts.healthchecks;
  if (job.facts.entrypoint) out.push_back(*job.facts.entrypoint);
  if (job.facts.cmd) out.push_back(*job.facts.cmd);
  std::sort(out.begin(), out.end());
  return out;
}

CommandLine analysedCommandLine(const Job& job, size_t index) {
  CommandLine line = commandLineOf(job.instruction(index));
  if (!line.complexReason.empty()) {
    notSplit(job.offset(index), fmt::format("the {} uses {}, which dfopt does not analyse",
                                            job.instruction(index).keyword, line.complexReason));
  }
  return line;
}

// The program the app starts with, from ENTRYPOINT or CMD.
SourceWord runnerProgram(const Job& job) {
  CommandLine line = analysedCommandLine(job, job.runner());
  if (line.commands.empty() || line.commands[0].words.size() <= programIndex(line.commands[0])) {
    notSplit(job.offset(job.runner()), "the app's command is empty");
  }
  const SourceCommand& command = line.commands[0];
  return command.words[programIndex(command)];
}

// Distroless, Chainguard and scratch images have no /bin/sh for shell-form commands.
bool runtimeHasShell(const Job& job) {
  engine::ImageReference image = engine::parseImageReference(job.runtime);
  return !contains(image.path, "distroless") && image.registry != "cgr.dev" && job.runtime != "scratch";
}

// Shell-form commands of recipes that keep them as written need a shell in the runtime image.
void checkShellForms(const Job& job) {
  if (runtimeHasShell(job)) return;
  for (size_t index : runtimeCommands(job)) {
    CommandLine line = commandLineOf(job.instruction(index));
    if (!line.json && !line.commands.empty()) {
      notSplit(job.offset(index), fmt::format("the {} needs a shell, which {} does not have",
                                              job.instruction(index).keyword, job.runtime));
    }
  }
}

// Does the runtime image have this tool (HEALTHCHECKs often use curl or wget)?
bool runtimeHasTool(const Job& job, std::string_view tool) {
  if (job.runtimeChosen) return true;
  if (!isOneOf(tool, std::array<std::string_view, 4>{"curl", "wget", "nc", "netcat"})) return true;
  return tool == "wget" && contains(job.runtime, "alpine");
}

void checkHealthcheckTools(const Job& job) {
  for (size_t index : job.facts.healthchecks) {
    for (const SourceCommand& command : analysedCommandLine(job, index).commands) {
      if (!runtimeHasTool(job, command.name())) {
        notSplit(job.offset(index),
                 fmt::format("the HEALTHCHECK runs {}, which {} does not have", command.name(), job.runtime));
      }
    }
  }
}

// What the leaner runtime image leaves out, for the message (nothing when it is the base image).
std::vector<std::string> baseImageLeftOut(const Job& job) {
  if (job.runtime == job.base.expanded) return {};
  return {fmt::format("the compilers and headers of {}", job.base.expanded)};
}

std::vector<const StageCommand*> commandsOf(const Job& job, Tool tool, Role role) {
  std::vector<const StageCommand*> out;
  for (const StageCommand& command : job.facts.commands) {
    if (command.kind.tool == tool && command.kind.role == role) out.push_back(&command);
  }
  return out;
}

// The build stage's copy of a context directory into `destination` that
// holds `manifest`; its context path joined with `manifest`.
const DirectoryCopy& copyHolding(const Job& job, std::string_view destination, std::string_view manifest) {
  bool copiesDirectory = false;
  for (auto copy = job.facts.directoryCopies.rbegin(); copy != job.facts.directoryCopies.rend(); ++copy) {
    if (copy->destination != destination) continue;
    copiesDirectory = true;
    if (job.context.exists(engine::contextPath(copy->source, manifest))) return *copy;
  }
  uint32_t at = job.offset(job.stage.from);
  if (copiesDirectory) {
    notSplit(at, fmt::format("the build context has no {} in the directory copied into {}", manifest,
                             destination));
  }
  notSplit(at, fmt::format("no COPY brings a directory of the build context into {}", destination));
}

std::string readManifest(const Job& job, const DirectoryCopy& copy, std::string_view manifest) {
  std::string path = engine::contextPath(copy.source, manifest);
  auto text = job.context.read(path);
  if (!text) notSplit(job.offset(copy.index), fmt::format("{} cannot be read", path));
  return *text;
}

// A program word rewritten in place: a JSON string or a shell word.
Edit replaceWord(const SourceWord& word, bool json, std::string_view value) {
  return {word.range, json ? jsonQuote(value) : std::string(value)};
}

// System directories that hold more than the app: copying them is not copying the app.
void checkAppDirectory(const Job& job) {
  constexpr std::string_view kSystemDirectories[] = {
      "/",    "/usr",     "/usr/local", "/usr/src", "/usr/share", "/usr/lib", "/opt", "/etc",
      "/var", "/var/lib", "/home",      "/root",    "/tmp",       "/bin",     "/lib"};
  if (isOneOf(job.facts.workdir, kSystemDirectories)) {
    notSplit(job.offset(job.stage.from),
             fmt::format("the app lives in {}, which holds more than the app: set a WORKDIR of its own",
                         job.facts.workdir));
  }
}

// ------------------------------------------------------------ Python

// Packages that compile against system libraries the full image has and the slim one lacks.
constexpr std::string_view kNativePythonPackages[] = {"psycopg2",   "mysqlclient", "pyodbc", "python-ldap",
                                                      "pycurl",     "gdal",        "uwsgi",  "mod-wsgi",
                                                      "pygraphviz", "pyaudio"};

std::string regexEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

bool mentionsPackage(const std::string& text, std::string_view package) {
  std::regex pattern(fmt::format("(^|[\\s\"'])(?:{})($|[^A-Za-z0-9_.-])", regexEscape(package)),
                     std::regex::icase | std::regex::multiline);
  return std::regex_search(text, pattern);
}

void checkNativeLibraries(const Job& job) {
  if (job.runtimeChosen) return;
  for (const std::string& path : job.context.files()) {
    std::string name(baseName(path));
    bool manifest = (name.starts_with("requirements") && name.ends_with(".txt")) || name == "poetry.lock" ||
                    name == "pyproject.toml";
    if (!manifest || job.context.dockerignore().excludes(path)) continue;
    std::string text = job.context.read(path).value_or("");
    for (std::string_view package : kNativePythonPackages) {
      if (mentionsPackage(text, package)) {
        notSplit(job.offset(job.stage.from),
                 fmt::format("{} needs {}, which builds against system libraries that {} lacks", path,
                             package, job.runtime));
      }
    }
  }
}

// The lines of each `[table]` (or `[[table]]`) of a TOML text, in order.
std::vector<std::string> tomlTables(std::string_view text, std::string_view header) {
  std::vector<std::string> tables;
  bool inside = false;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(at, end - at));
    at = end + 1;
    std::string trimmed = line.substr(0, line.find('#'));
    trimmed.erase(0, trimmed.find_first_not_of(" \t\r"));
    trimmed.erase(trimmed.find_last_not_of(" \t\r") + 1);
    if (trimmed.starts_with("[")) {
      inside = trimmed == header;
      if (inside) tables.emplace_back();
      continue;
    }
    if (inside) tables.back() += line + "\n";
  }
  return tables;
}

std::optional<std::string> tomlString(std::string_view table, std::string_view key) {
  std::regex pattern(fmt::format("(^|\\n)[ \\t]*{}[ \\t]*=[ \\t]*[\"']([^\"']*)[\"']", std::string(key)));
  std::smatch match;
  std::string text(table);
  if (std::regex_search(text, match, pattern)) return match[2].str();
  return std::nullopt;
}

// Does pyproject.toml install `program` with the wheel: a dependency or a script?
bool declaresProgram(std::string_view pyproject, std::string_view program) {
  for (std::string_view table :
       {"[tool.poetry.dependencies]", "[tool.poetry.scripts]", "[project.scripts]", "[project]"}) {
    for (const std::string& text : tomlTables(pyproject, table)) {
      if (mentionsPackage(text, program)) return true;
    }
  }
  return false;
}

// Poetry: `poetry run X` -> `X` in every command of the instruction.
std::vector<Edit> withoutPoetryRun(const Job& job, size_t index) {
  std::vector<Edit> edits;
  for (const SourceCommand& command : analysedCommandLine(job, index).commands) {
    size_t at = programIndex(command);
    if (command.arg(at) != "poetry" || command.arg(at + 1) != "run") continue;
    if (command.words.size() < at + 3) notSplit(job.offset(index), "`poetry run` names no program");
    edits.push_back({{command.words[at].range.begin, command.words[at + 2].range.begin}, ""});
  }
  return edits;
}

// The wheel holds the package, not the files beside it: a command that
// runs a script of the source tree would not find it.
void checkRunsNoSourceFile(const Job& job, size_t index) {
  for (const SourceCommand& command : analysedCommandLine(job, index).commands) {
    for (size_t i = programIndex(command); i < command.words.size(); ++i) {
      const std::string& word = command.words[i].value;
      bool script = !word.starts_with("-") && (word.ends_with(".py") || word.ends_with(".sh"));
      bool path = i == programIndex(command) && (word.starts_with("./") || isUnder(word, job.facts.workdir));
      if (script || path) {
        notSplit(job.offset(index),
                 fmt::format("the {} runs {} from the source tree, and the wheel ships only the "
                             "package",
                             job.instruction(index).keyword, word));
      }
    }
  }
}

std::string poetryProgram(const Job& job) {
  CommandLine line = analysedCommandLine(job, job.runner());
  if (line.commands.empty()) notSplit(job.offset(job.runner()), "the app's command is empty");
  const SourceCommand& command = line.commands[0];
  size_t at = programIndex(command);
  if (command.arg(at) == "poetry" && command.arg(at + 1) == "run") at += 2;
  return command.arg(at);
}

// The dist directory of an existing `poetry build` that makes a wheel.
std::optional<std::string> existingWheelDirectory(const Job& job) {
  for (const StageCommand* build : commandsOf(job, Tool::Poetry, Role::Build)) {
    const SourceCommand& command = build->command;
    std::vector<std::string> formats;
    std::string output = "dist";
    for (size_t i = 2; i < command.words.size(); ++i) {
      std::string word = command.words[i].value;
      auto value = [&](std::string_view option) -> std::optional<std::string> {
        if (word == option && i + 1 < command.words.size()) return command.words[++i].value;
        if (word.starts_with(std::string(option) + "=")) return word.substr(option.size() + 1);
        return std::nullopt;
      };
      if (auto format = value("--format"))
        formats.push_back(*format);
      else if (auto shortFormat = value("-f"))
        formats.push_back(*shortFormat);
      else if (auto dir = value("--output"))
        output = *dir;
      else if (auto shortDir = value("-o"))
        output = *shortDir;
    }
    if (formats.empty() || isOneOf(std::string("wheel"), formats))
      return model::resolvePath(build->workdir, output);
  }
  return std::nullopt;
}

// Writes the wheel's dependencies (its Requires-Dist metadata) to
// DIST/requirements.txt. The production stage installs them before the wheel:
// the file's content only changes with the dependencies, so a source edit,
// which changes the wheel, leaves the dependency layer cached.
std::string wheelRequirementsStep(const Job& job, const std::string& dist) {
  std::string next = std::string(" ") + job.file.escape + job.style.newline() + "    ";
  std::string script = fmt::format(
      "import email, glob, zipfile;{0}wheel = zipfile.ZipFile(glob.glob('{1}/*.whl')[0]);{0}"
      "metadata = next(n for n in wheel.namelist() if n.endswith('.dist-info/METADATA'));{0}"
      "print(*email.message_from_bytes(wheel.read(metadata)).get_all('Requires-Dist', []), sep=chr(10))",
      next, dist);
  return job.line(job.facts.lastBuildStep, "RUN",
                  fmt::format("python -c \"{}\"{}> {}/requirements.txt", script, next, dist));
}

Plan poetryPlan(const Job& job) {
  const std::string& app = job.facts.workdir;
  for (const StageCommand& command : job.facts.commands) {
    if (command.kind.tool == Tool::Poetry && command.kind.role != Role::Setup && command.workdir != app) {
      notSplit(job.offset(command.index),
               fmt::format("poetry runs in {}, not in the app directory {}", command.workdir, app));
    }
  }
  const DirectoryCopy& source = copyHolding(job, app, "pyproject.toml");
  std::string pyproject = readManifest(job, source, "pyproject.toml");
  if (std::regex_search(pyproject, std::regex("package-mode\\s*=\\s*false"))) {
    notSplit(job.offset(source.index),
             "pyproject.toml sets package-mode = false: poetry build makes no wheel");
  }
  std::string localDist = engine::contextPath(source.source, "dist");
  if (job.context.isDirectory(localDist) && !job.context.dockerignore().excludes(localDist)) {
    notSplit(job.offset(source.index),
             fmt::format("{} is in the build context and would mix old wheels into the image (add it to "
                         ".dockerignore)",
                         localDist));
  }
  checkNativeLibraries(job);

  Plan plan;
  std::string program = poetryProgram(job);
  if (!engine::isPythonProgram(program) && !declaresProgram(pyproject, program)) {
    notSplit(
        job.offset(job.runner()),
        fmt::format("the app runs {}, which pyproject.toml does not declare as a dependency or script, so "
                    "the wheel would not install it",
                    program));
  }
  for (size_t index : runtimeCommands(job)) {
    checkRunsNoSourceFile(job, index);
    plan.rewrites[index] = withoutPoetryRun(job, index);
  }
  std::optional<std::string> dist = existingWheelDirectory(job);
  std::string buildSteps;
  if (!dist) {
    buildSteps = job.line(job.facts.lastBuildStep, "RUN", "poetry build --format wheel");
    dist = model::resolvePath(app, "dist");
  }
  buildSteps += wheelRequirementsStep(job, *dist);
  plan.buildEdits.push_back(
      engine::insertAfter(job.file, job.instruction(job.facts.lastBuildStep), buildSteps));
  plan.productionSteps =
      job.productionLine(
          "COPY", fmt::format("--from={} {}/requirements.txt /tmp/requirements.txt", job.buildStage, *dist)) +
      job.productionLine("RUN",
                         "pip install --no-cache-dir -r /tmp/requirements.txt && rm /tmp/requirements.txt") +
      job.productionLine("COPY", fmt::format("--from={} {}/*.whl /tmp/", job.buildStage, *dist)) +
      job.productionLine("RUN", "pip install --no-cache-dir --no-deps /tmp/*.whl && rm /tmp/*.whl");
  plan.summary = fmt::format(
      "{} gets the wheel and, in a layer of their own that a source edit does not "
      "invalidate, its dependencies; without Poetry, the compilers and the source",
      job.runtime);
  return plan;
}

constexpr std::string_view kVirtualenv = "/opt/venv";

// A blank line after lines inserted above an instruction that starts a paragraph.
std::string paragraphEnd(const Job& job, size_t index) {
  return engine::followsBlankLine(job.file, job.instruction(index)) ? job.style.newline() : "";
}

bool isContextCopy(const Instruction& instruction) {
  return (instruction.is("copy") || instruction.is("add")) && !instruction.flag("from");
}

void checkPipInstallsIntoVirtualenv(const Job& job) {
  for (const StageCommand* pip : commandsOf(job, Tool::Pip, Role::Install)) {
    if (hasOption(pip->command, {"--user", "-t", "--target", "--prefix", "--root"})) {
      notSplit(job.offset(pip->index),
               fmt::format("`{}` installs outside a virtualenv", shortened(pip->command.text)));
    }
  }
}

// What the production stage leaves behind in the build stage (nothing: no reason to split).
std::vector<std::string> pipLeavesOut(const Job& job) {
  std::vector<std::string> dropped = baseImageLeftOut(job);
  bool tools = std::any_of(job.facts.commands.begin(), job.facts.commands.end(), [](const StageCommand& c) {
    return c.kind.role == Role::Setup && c.kind.detail.empty();
  });
  if (tools) dropped.push_back("the build-only tools");
  bool cached = !envValue(job, "PIP_NO_CACHE_DIR") &&
                std::any_of(job.facts.commands.begin(), job.facts.commands.end(), [](const StageCommand& c) {
                  bool pipInstall =
                      c.kind.role == Role::Install || (c.kind.role == Role::Setup && c.kind.detail.empty());
                  return c.kind.tool == Tool::Pip && pipInstall && !hasOption(c.command, {"--no-cache-dir"});
                });
  if (cached) dropped.push_back("pip's download cache");
  return dropped;
}

Plan pipPlan(const Job& job) {
  if (pipLeavesOut(job).empty()) {
    notSplit(job.offset(job.stage.from),
             fmt::format("nothing to gain: {} is already lean, and the build only installs "
                         "dependencies, without a download cache",
                         job.runtime));
  }
  checkAppDirectory(job);
  checkPipInstallsIntoVirtualenv(job);
  checkNativeLibraries(job);
  const std::string& app = job.facts.workdir;
  Plan plan;
  std::string venv(kVirtualenv);
  bool created = false;
  auto firstInstall = std::find_if(
      job.facts.commands.begin(), job.facts.commands.end(),
      [](const StageCommand& c) { return c.kind.tool == Tool::Pip && c.kind.role == Role::Install; });
  auto existing =
      std::find_if(job.facts.commands.begin(), job.facts.commands.end(), [](const StageCommand& c) {
        return c.kind.tool == Tool::Pip && c.kind.role == Role::Setup && !c.kind.detail.empty();
      });
  if (existing != job.facts.commands.end()) {
    if (firstInstall < existing) {
      notSplit(job.offset(firstInstall->index), "pip installs packages before the virtualenv exists");
    }
    venv = model::resolvePath(existing->workdir, existing->kind.detail);
  } else {
    // above the COPYs right before the install: the virtualenv does not depend on them
    size_t at = firstInstall->index;
    while (at - 1 > job.stage.from && isContextCopy(job.instruction(at - 1))) --at;
    std::string lines = job.line(at, "RUN", fmt::format("python -m venv {}", venv)) +
                        job.line(at, "ENV", fmt::format("PATH=\"{}/bin:$PATH\"", venv));
    plan.buildEdits.push_back(
        engine::insertBefore(job.file, job.instruction(at), lines + paragraphEnd(job, at)));
    created = true;
  }
  if (!isUnder(venv, app))
    plan.productionSteps +=
        job.productionLine("COPY", fmt::format("--from={} {} {}", job.buildStage, venv, venv));
  if (created) plan.productionSteps += job.productionLine("ENV", fmt::format("PATH=\"{}/bin:$PATH\"", venv));
  plan.productionSteps +=
      job.productionLine("COPY", fmt::format("--from={} {} {}", job.buildStage, app, app));
  plan.summary = fmt::format("{} gets the virtualenv and the app, without {}", job.runtime,
                             fmt::join(pipLeavesOut(job), " and "));
  return plan;
}

// ------------------------------------------------------------ Node

int nodeMajor(const BaseImage& base) {
  std::string digits;
  for (char c : base.image.tag) {
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    digits += c;
  }
  return digits.empty() || digits.size() > 3 ? 0 : std::stoi(digits);
}

std::string productionInstall(const Job& job, bool locked) {
  switch (job.ecosystem) {
    case Tool::Yarn:
      return locked ? "yarn install --production --frozen-lockfile" : "yarn install --production";
    case Tool::Pnpm:
      return locked ? "pnpm install --prod --frozen-lockfile" : "pnpm install --prod";
    default: {
      int major = nodeMajor(job.base);
      std::string omitDev = major > 0 && major < 15 ? "--production" : "--omit=dev";  // npm 6 and older
      return fmt::format("{} {}", locked ? "npm ci" : "npm install", omitDev);
    }
  }
}

std::string_view lockFileOf(Tool tool) {
  switch (tool) {
    case Tool::Yarn:
      return "yarn.lock";
    case Tool::Pnpm:
      return "pnpm-lock.yaml";
    default:
      return "package-lock.json";
  }
}

engine::Ecosystem engineEcosystem(Tool tool) {
  switch (tool) {
    case Tool::Yarn:
      return engine::Ecosystem::Yarn;
    case Tool::Pnpm:
      return engine::Ecosystem::Pnpm;
    default:
      return engine::Ecosystem::Npm;
  }
}

nlohmann::json parsePackageJson(const Job& job, const DirectoryCopy& source) {
  std::string text = readManifest(job, source, "package.json");
  nlohmann::json package = nlohmann::json::parse(text, nullptr, false);
  if (!package.is_object()) notSplit(job.offset(source.index), "package.json is not a JSON object");
  return package;
}

std::string packageString(const nlohmann::json& package, std::string_view key, std::string_view inner = "") {
  const nlohmann::json* value = &package;
  for (std::string_view part : {key, inner}) {
    if (part.empty()) continue;
    if (!value->is_object() || !value->contains(part)) return "";
    value = &(*value)[std::string(part)];
  }
  return value->is_string() ? value->get<std::string>() : "";
}

// Does package.json list `program` (a package, or the last part of a scoped one) under `section`?
bool listsPackage(const nlohmann::json& package, std::string_view section, std::string_view program) {
  const auto list = package.find(section);
  if (list == package.end() || !list->is_object()) return false;
  for (const auto& [name, version] : list->items()) {
    if (name == program || baseName(name) == program) return true;
  }
  return false;
}

bool isDevDependency(const nlohmann::json& package, std::string_view program) {
  return listsPackage(package, "devDependencies", program) && !listsPackage(package, "dependencies", program);
}

// The words of the command that starts the app: the runner's own, or,
// through `npm start` / `yarn start` / `npm run X`, the first command of
// that package.json script.
std::vector<std::string> startWords(const Job& job, const nlohmann::json& package) {
  CommandLine line = analysedCommandLine(job, job.runner());
  if (line.commands.empty()) return {};
  std::vector<std::string> words = valuesOf(line.commands[0]);
  words.erase(words.begin(), words.begin() + static_cast<long>(programIndex(line.commands[0])));
  if (words.empty() || !isOneOf(words[0], std::array<std::string_view, 3>{"npm", "yarn", "pnpm"}))
    return words;
  std::vector<std::string> args = operands(words, 1);
  std::string script = args.empty() ? "start" : args[0];
  if ((script == "run" || script == "run-script") && args.size() > 1) script = args[1];
  std::string text = packageString(package, "scripts", script);
  if (text.empty())
    return script == "start" ? std::vector<std::string>{"node", "server.js"} : std::vector<std::string>{};
  shell::Script parsed = shell::parseScript(text);
  if (parsed.commands.empty()) return {};
  std::vector<std::string> scriptWords;
  for (const shell::Word& word : parsed.commands[0].words) scriptWords.push_back(word.value);
  return scriptWords;
}

std::string startProgram(const std::vector<std::string>& words) {
  if (words.empty()) return "";
  return words[0] == "npx" && words.size() > 1 ? words[1] : std::string(baseName(words[0]));
}

std::optional<std::string> firstComponent(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  return std::string(path.substr(0, slash));
}

std::optional<std::string> optionValue(const shell::Command& command, std::string_view option) {
  for (size_t i = 0; i < command.words.size(); ++i) {
    const std::string& word = command.words[i].value;
    if (word == option && i + 1 < command.words.size()) return command.words[i + 1].value;
    if (word.starts_with(std::string(option) + "=")) return word.substr(option.size() + 1);
  }
  return std::nullopt;
}

std::optional<std::string> tsconfigOutDir(const Job& job, const DirectoryCopy& source) {
  auto text = job.context.read(engine::contextPath(source.source, "tsconfig.json"));
  if (!text) return std::nullopt;
  nlohmann::json config = nlohmann::json::parse(*text, nullptr, false, true);
  std::string outDir = config.is_object() ? packageString(config, "compilerOptions", "outDir") : "";
  if (outDir.empty()) return std::nullopt;
  return outDir;
}

// Where the build script writes, by the tool it runs.
std::optional<std::string> buildScriptOutput(const Job& job, const DirectoryCopy& source,
                                             std::string_view script) {
  for (const shell::Command& command : shell::parseScript(script).commands) {
    std::string tool = command.name();
    std::string sub = command.words.size() > 1 ? command.words[1].value : "";
    if (tool == "tsc") {
      if (auto dir = optionValue(command, "--outDir")) return dir;
      return tsconfigOutDir(job, source);
    }
    if (tool == "next" && sub == "build") return ".next";
    if (tool == "vite" && sub == "build") return optionValue(command, "--outDir").value_or("dist");
    if (tool == "react-scripts" && sub == "build") return "build";
    if ((tool == "nest" || tool == "ng") && sub == "build") return "dist";
  }
  return std::nullopt;
}

// The directory `npm run build` fills: named by the script the app starts
// (`node dist/server.js`), by package.json "main", or by the build tool.
std::string buildOutput(const Job& job, const DirectoryCopy& source, const nlohmann::json& package,
                        const std::vector<std::string>& start) {
  std::optional<std::string> dir;
  if (startProgram(start) == "node") {
    std::vector<std::string> args = operands(start, 1, {"-r", "--require"});
    if (!args.empty()) dir = firstComponent(args[0]);
  }
  if (!dir) dir = firstComponent(packageString(package, "main"));
  if (!dir) dir = buildScriptOutput(job, source, packageString(package, "scripts", "build"));
  if (dir) {
    std::string relative = model::resolvePath("/", *dir).substr(1);
    if (!relative.empty() && !isOneOf(relative, std::array<std::string_view, 2>{"node_modules", "src"})) {
      return relative;
    }
  }
  notSplit(job.offset(job.runner()), "dfopt cannot tell which directory the build script writes");
}

// pnpm is not in node images: the production stage sets it up as the build stage did.
std::string pnpmSetup(const Job& job) {
  std::vector<std::string> commands;
  for (const StageCommand* command : commandsOf(job, Tool::Pnpm, Role::Setup))
    commands.push_back(command->command.text);
  if (commands.empty())
    notSplit(job.offset(job.stage.from), "dfopt cannot tell how the build stage installs pnpm");
  return job.productionLine("RUN", fmt::format("{}", fmt::join(commands, " && ")));
}

void checkYarnClassic(const Job& job, const DirectoryCopy& source, const nlohmann::json& package) {
  std::string manager = packageString(package, "packageManager");
  bool berry = job.context.exists(engine::contextPath(source.source, ".yarnrc.yml")) ||
               (manager.starts_with("yarn@") && !manager.starts_with("yarn@1."));
  if (berry)
    notSplit(job.offset(source.index), "Yarn 2+ has no `install --production`; dfopt knows only Yarn 1");
}

Plan nodePlan(const Job& job) {
  checkAppDirectory(job);
  const std::string& app = job.facts.workdir;
  for (const StageCommand& command : job.facts.commands) {
    bool step = command.kind.role == Role::Install || command.kind.role == Role::Build;
    if (step && command.workdir != app) {
      notSplit(job.offset(command.index), fmt::format("`{}` runs in {}, not in the app directory {}",
                                                      shortened(command.command.text), command.workdir, app));
    }
  }
  const DirectoryCopy& source = copyHolding(job, app, "package.json");
  nlohmann::json package = parsePackageJson(job, source);
  if (job.ecosystem == Tool::Yarn) checkYarnClassic(job, source, package);
  std::vector<std::string> start = startWords(job, package);
  std::string program = startProgram(start);
  if (isDevDependency(package, program)) {
    notSplit(job.offset(job.runner()),
             fmt::format("the app starts with {}, a devDependency that the production install leaves out",
                         program));
  }
  bool builds = !commandsOf(job, job.ecosystem, Role::Build).empty();
  std::vector<std::string> dropped = baseImageLeftOut(job);
  if (package.contains("devDependencies") && !package["devDependencies"].empty())
    dropped.push_back("the devDependencies");
  if (dropped.empty()) {
    notSplit(job.offset(job.stage.from),
             fmt::format("nothing to gain: package.json has no devDependencies and {} is "
                         "already lean",
                         job.runtime));
  }

  std::vector<std::string> manifests;
  bool locked = false;
  for (const std::string& path :
       engine::existingManifests(job.context, source.source, engineEcosystem(job.ecosystem))) {
    if (job.context.dockerignore().excludes(path)) continue;
    manifests.push_back(path);
    locked = locked || baseName(path) == lockFileOf(job.ecosystem);
  }
  std::string flags = source.flags.empty() ? "" : source.flags + " ";
  Plan plan;
  if (job.ecosystem == Tool::Pnpm) plan.productionSteps += pnpmSetup(job);
  plan.productionSteps +=
      job.productionLine("COPY", fmt::format("{}{} ./", flags, fmt::join(manifests, " ")));
  plan.productionSteps += job.productionLine("RUN", productionInstall(job, locked));
  plan.productionSteps += job.productionLine("COPY", fmt::format("{}{} .", flags, source.written));
  if (builds) {
    std::string output = buildOutput(job, source, package, start);
    const model::Flag* chown = job.instruction(source.index).flag("chown");
    std::string owner = chown ? fmt::format("--chown={} ", chown->value) : "";
    plan.productionSteps += job.productionLine(
        "COPY",
        fmt::format("--from={} {}{} ./{}", job.buildStage, owner, model::resolvePath(app, output), output));
  }
  plan.summary = fmt::format("{} gets the production dependencies{}, without {}", job.runtime,
                             builds ? " and the build output" : "", fmt::join(dropped, " and "));
  return plan;
}

// ------------------------------------------------------------ compiled programs

constexpr std::string_view kPathDirectories[] = {
    "/usr/local/sbin", "/usr/local/bin",    "/usr/sbin",           "/usr/bin", "/sbin", "/bin",
    "/go/bin",         "/usr/local/go/bin", "/usr/local/cargo/bin"};

// Does `program`, run from `workdir`, start the file at `path`?
bool runsFile(std::string_view program, std::string_view workdir, std::string_view path) {
  if (program.find('/') == std::string_view::npos) {
    return baseName(path) == program && isOneOf(dirName(path), kPathDirectories);
  }
  return model::resolvePath(workdir, program) == path;
}

// ENTRYPOINT/CMD/HEALTHCHECK edits so the command starts `newProgram`
// instead of the file `built`. With `exec` (a runtime without a shell) a
// plain shell-form command becomes exec form, and every command must run
// the program; otherwise one that runs something else stays as written.
std::vector<Edit> programRewrite(const Job& job, size_t index, std::string_view built,
                                 std::string_view newProgram, bool exec) {
  CommandLine line = analysedCommandLine(job, index);
  if (line.commands.empty()) return {};
  const SourceCommand& command = line.commands[0];
  size_t at = programIndex(command);
  std::string workdir = workdirAt(job.file, index);
  bool runsBuilt = at < command.words.size() && command.words[at].plain &&
                   runsFile(command.words[at].value, workdir, built);
  bool argumentsOnly = job.instruction(index).is("cmd") && job.facts.entrypoint;
  if (!runsBuilt) {
    if (argumentsOnly && line.json) return {};
    std::string_view keyword = job.instruction(index).keyword;
    if (exec)
      notSplit(job.offset(index),
               fmt::format("the {} runs {}, and the production image holds only the program", keyword,
                           command.text));
    if (!argumentsOnly && index == job.runner()) {
      notSplit(job.offset(index),
               fmt::format("the {} does not start {}, the program the build makes", keyword, built));
    }
    return {};
  }
  if (line.json || !exec) return {replaceWord(command.words[at], line.json, newProgram)};
  bool plain =
      line.commands.size() == 1 && command.assignments.empty() && at == 0 &&
      std::all_of(command.words.begin(), command.words.end(), [](const SourceWord& w) { return w.plain; });
  if (!plain) {
    notSplit(job.offset(index), fmt::format("the {} needs a shell, which {} does not have",
                                            job.instruction(index).keyword, job.runtime));
  }
  std::vector<std::string> values{std::string(newProgram)};
  for (size_t i = 1; i < command.words.size(); ++i) values.push_back(command.words[i].value);
  return {{line.range, jsonArray(values)}};
}

struct GoBuild {
  const StageCommand* command;
  std::optional<std::string> output;  // -o as written
  std::vector<std::string> packages;
};

GoBuild parseGoBuild(const Job& job, const StageCommand& build) {
  static constexpr std::string_view kBoolFlags[] = {"a",     "n",          "race", "msan",     "asan",
                                                    "v",     "work",       "x",    "trimpath", "linkshared",
                                                    "cover", "modcacherw", "i"};
  GoBuild parsed{&build, std::nullopt, {}};
  const auto& words = build.command.words;
  for (size_t i = 2; i < words.size(); ++i) {
    std::string word = words[i].value;
    if (!word.starts_with("-")) {
      parsed.packages.push_back(word);
      continue;
    }
    std::string name = word.substr(word.find_first_not_of('-'));
    std::optional<std::string> value;
    if (size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.erase(equals);
    } else if (!isOneOf(name, kBoolFlags) && i + 1 < words.size()) {
      value = words[++i].value;
    }
    if (name == "o") parsed.output = value;
    if (name == "C" || (name == "buildmode" && value != "exe" && value != "default")) {
      notSplit(job.offset(build.index),
               fmt::format("`{}` is a go build dfopt does not follow", shortened(build.command.text)));
    }
  }
  return parsed;
}

// `module example.com/hello/v2` -> "hello", as go build names the program.
std::optional<std::string> moduleProgramName(std::string_view goMod) {
  static const std::regex module("(^|\\n)\\s*module\\s+\"?([^\\s\"]+)");
  std::smatch match;
  std::string text(goMod);
  if (!std::regex_search(text, match, module)) return std::nullopt;
  std::string path = match[2].str();
  std::string last(baseName(path));
  if (last.size() > 1 && last[0] == 'v' && isDigits(last.substr(1)) && contains(path, "/"))
    last = baseName(dirName(path));
  return last;
}

// Where go build writes when it has no -o: the working directory, named
// after the package (or the module, or the first .go file).
std::optional<std::string> goDefaultOutput(const Job& job, const GoBuild& build) {
  const std::string& workdir = build.command->workdir;
  std::string package = build.packages.empty() ? "." : build.packages[0];
  if (package.ends_with(".go"))
    return model::resolvePath(workdir, baseName(package).substr(0, baseName(package).size() - 3));
  if (build.packages.size() > 1 || contains(package, "...")) return std::nullopt;
  std::string trimmed = package;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  if (trimmed != "." && trimmed != "./") return model::resolvePath(workdir, baseName(trimmed));
  for (const DirectoryCopy& copy : job.facts.directoryCopies) {
    if (copy.destination != workdir) continue;
    if (auto goMod = job.context.read(engine::contextPath(copy.source, "go.mod"))) {
      if (auto name = moduleProgramName(*goMod)) return model::resolvePath(workdir, *name);
    }
  }
  return std::nullopt;
}

// Where the program the app runs comes from: the go build whose output it
// starts, and that output's path.
std::pair<GoBuild, std::string> goBuildOfProgram(const Job& job) {
  SourceWord program = runnerProgram(job);
  std::string workdir = workdirAt(job.file, job.runner());
  std::vector<std::string> outputs;
  for (const StageCommand* command : commandsOf(job, Tool::Go, Role::Build)) {
    GoBuild build = parseGoBuild(job, *command);
    std::optional<std::string> output;
    if (build.output) {
      if (model::hasVariable(*build.output) || build.output->ends_with("/")) continue;
      output = model::resolvePath(command->workdir, *build.output);
    } else {
      output = goDefaultOutput(job, build);
    }
    if (!output) continue;
    if (program.plain && runsFile(program.value, workdir, *output)) return {build, *output};
    outputs.push_back(*output);
  }
  notSplit(
      job.offset(job.runner()),
      fmt::format("the {} does not start a program go build makes{}", job.instruction(job.runner()).keyword,
                  outputs.empty() ? "" : fmt::format(" ({})", fmt::join(outputs, ", "))));
}

constexpr std::string_view kGoOutput = "/out/app";
constexpr std::string_view kGoProgram = "/app";

Plan goPlan(const Job& job) {
  auto [build, output] = goBuildOfProgram(job);
  const StageCommand& command = *build.command;
  Plan plan;
  bool cgoSet = false;
  for (const SourceWord& assignment : command.command.assignments) {
    if (!assignment.value.starts_with("CGO_ENABLED=")) continue;
    if (assignment.value != "CGO_ENABLED=0") {
      notSplit(job.offset(command.index),
               "it builds with cgo, and the distroless runtime needs a static binary");
    }
    cgoSet = true;
  }
  std::optional<std::string> cgoEnv = envValue(job, "CGO_ENABLED");
  if (cgoEnv && cgoEnv != "0") {
    notSplit(job.offset(job.stage.from),
             "it builds with cgo, and the distroless runtime needs a static binary");
  }
  cgoSet = cgoSet || cgoEnv;
  bool addOutput = !build.output;
  if ((addOutput || !cgoSet) && job.instruction(command.index).jsonForm) {
    notSplit(job.offset(command.index), "the exec-form go build cannot take CGO_ENABLED=0 and -o");
  }
  if (!cgoSet)
    plan.buildEdits.push_back({{command.command.range.begin, command.command.range.begin}, "CGO_ENABLED=0 "});
  if (addOutput) {
    uint32_t at = command.command.words[1].range.end;
    plan.buildEdits.push_back({{at, at}, fmt::format(" -o {}", kGoOutput)});
  }
  std::string artifact = addOutput ? std::string(kGoOutput) : output;
  for (size_t index : runtimeCommands(job))
    plan.rewrites[index] = programRewrite(job, index, output, kGoProgram, true);
  plan.workdir = false;
  plan.productionSteps =
      job.productionLine("COPY", fmt::format("--from={} {} {}", job.buildStage, artifact, kGoProgram));
  plan.summary =
      fmt::format("{} gets only the static binary, without the Go tool chain and the source", job.runtime);
  return plan;
}

// The jar `java -jar` starts, from the runner.
SourceWord runnerJar(const Job& job, bool& json) {
  CommandLine line = analysedCommandLine(job, job.runner());
  json = line.json;
  for (const SourceCommand& command : line.commands) {
    if (command.name() != "java") continue;
    for (size_t i = 1; i + 1 < command.words.size(); ++i) {
      if (command.words[i].value == "-jar") return command.words[i + 1];
    }
  }
  notSplit(job.offset(job.runner()), "the app does not start with `java -jar`, and dfopt ships only the jar");
}

Plan javaPlan(const Job& job) {
  bool maven = job.ecosystem == Tool::Maven;
  std::string_view outputDir = maven ? "target" : "build/libs";
  bool json = false;
  SourceWord jar = runnerJar(job, json);
  if (!jar.plain || hasGlob(jar.value)) {
    notSplit(
        job.offset(job.runner()),
        fmt::format("the jar {} is not a plain path, and may stand for several jars: name the one to run",
                    jar.value));
  }
  std::string jarPath = model::resolvePath(workdirAt(job.file, job.runner()), jar.value);
  const StageCommand* producer = nullptr;
  for (const StageCommand* build : commandsOf(job, job.ecosystem, Role::Build)) {
    bool elsewhere = maven ? hasOption(build->command, {"-f", "--file", "-pl", "--projects"})
                           : hasOption(build->command, {"-p", "--project-dir", "-b", "--build-file"});
    if (elsewhere) {
      notSplit(job.offset(build->index),
               fmt::format("`{}` builds another directory", shortened(build->command.text)));
    }
    if (dirName(jarPath) == model::resolvePath(build->workdir, outputDir)) producer = build;
  }
  if (!producer) {
    notSplit(job.offset(job.runner()), fmt::format("{} is not a jar that {} builds (in {}/)", jarPath,
                                                   toolName(job.ecosystem), outputDir));
  }
  Plan plan;
  plan.rewrites[job.runner()] = {replaceWord(jar, json, "app.jar")};
  plan.productionSteps =
      job.productionLine("COPY", fmt::format("--from={} {} app.jar", job.buildStage, jarPath));
  plan.summary = fmt::format("{} gets only the jar, without the JDK, {} and the source", job.runtime,
                             toolName(job.ecosystem));
  return plan;
}

// Names of the programs a Cargo.toml builds: its [[bin]] targets and the package.
std::vector<std::string> cargoPrograms(std::string_view manifest) {
  std::vector<std::string> names;
  for (const std::string& bin : tomlTables(manifest, "[[bin]]")) {
    if (auto name = tomlString(bin, "name")) names.push_back(*name);
  }
  for (const std::string& package : tomlTables(manifest, "[package]")) {
    if (auto name = tomlString(package, "name")) names.push_back(*name);
  }
  return names;
}

// The directory `cargo build` / `cargo install --path .` puts programs in.
std::string cargoOutputDirectory(const Job& job, const StageCommand& build) {
  const SourceCommand& command = build.command;
  if (hasOption(command, {"--target-dir", "--manifest-path", "-p", "--package", "--root"}) ||
      envValue(job, "CARGO_TARGET_DIR") || contains(command.text, "CARGO_TARGET_DIR")) {
    notSplit(job.offset(build.index),
             fmt::format("`{}` builds elsewhere than target/", shortened(command.text)));
  }
  if (command.arg(1) == "install") return "/usr/local/cargo/bin";
  std::string profile = hasOption(command, {"--release", "-r"}) ? "release" : "debug";
  std::string target;
  for (size_t i = 2; i + 1 < command.words.size(); ++i) {
    if (command.words[i].value == "--profile")
      profile = command.words[i + 1].value == "dev" ? "debug" : command.words[i + 1].value;
    if (command.words[i].value == "--target") target = command.words[i + 1].value + "/";
  }
  return model::resolvePath(build.workdir, fmt::format("target/{}{}", target, profile));
}

void checkNoOpenSsl(const Job& job, const DirectoryCopy& source) {
  if (job.runtimeChosen) return;
  auto lock = job.context.read(engine::contextPath(source.source, "Cargo.lock"));
  if (lock && contains(*lock, "name = \"openssl-sys\"")) {
    notSplit(job.offset(job.stage.from),
             fmt::format("the program links OpenSSL (openssl-sys in Cargo.lock), which {} "
                         "lacks",
                         job.runtime));
  }
}

Plan cargoPlan(const Job& job) {
  SourceWord program = runnerProgram(job);
  std::string workdir = workdirAt(job.file, job.runner());
  for (const StageCommand* build : commandsOf(job, Tool::Cargo, Role::Build)) {
    std::string directory = cargoOutputDirectory(job, *build);
    const DirectoryCopy& source = copyHolding(job, build->workdir, "Cargo.toml");
    std::vector<std::string> names = cargoPrograms(readManifest(job, source, "Cargo.toml"));
    std::string name(baseName(program.value));
    if (!program.plain || !isOneOf(name, names) || !runsFile(program.value, workdir, directory + "/" + name))
      continue;
    checkNoOpenSsl(job, source);
    std::string artifact = directory + "/" + name;
    Plan plan;
    bool exec = !runtimeHasShell(job);
    for (size_t index : runtimeCommands(job))
      plan.rewrites[index] = programRewrite(job, index, artifact, name, exec);
    plan.workdir = false;
    plan.productionSteps = job.productionLine(
        "COPY", fmt::format("--from={} {} /usr/local/bin/{}", job.buildStage, artifact, name));
    plan.summary =
        fmt::format("{} gets only the program, without the Rust tool chain and the source", job.runtime);
    return plan;
  }
  notSplit(job.offset(job.runner()), fmt::format("the {} does not start a program cargo builds",
                                                 job.instruction(job.runner()).keyword));
}

Plan planFor(const Job& job) {
  // the Go and Cargo recipes rewrite the commands into exec form themselves
  if (job.ecosystem != Tool::Go && job.ecosystem != Tool::Cargo) checkShellForms(job);
  switch (job.ecosystem) {
    case Tool::Poetry:
      return poetryPlan(job);
    case Tool::Pip:
      return pipPlan(job);
    case Tool::Npm:
    case Tool::Yarn:
    case Tool::Pnpm:
      return nodePlan(job);
    case Tool::Go:
      return goPlan(job);
    case Tool::Maven:
    case Tool::Gradle:
      return javaPlan(job);
    case Tool::Cargo:
      return cargoPlan(job);
    default:
      notSplit(job.offset(job.stage.from), "no artifact to ship");
  }
}

// ------------------------------------------------------------ users

bool isRoot(std::string_view user) {
  std::string name(user.substr(0, user.find(':')));
  return name == "root" || name == "0";
}

// Can the production stage run as `user`? Numeric ids always; names only
// when the runtime image itself has them.
bool userExistsIn(std::string_view user, std::string_view runtime) {
  std::string name(user.substr(0, user.find(':')));
  if (isDigits(name))
    return user.find(':') == std::string_view::npos || isDigits(user.substr(user.find(':') + 1));
  if (name == "nobody") return !contains(runtime, "scratch");
  if (name == "node") return engine::parseImageReference(runtime).officialName() == "node";
  if (name == "nonroot") return contains(runtime, "distroless");
  return false;
}

// The USER the production stage needs written (nothing when a moved USER
// already says it, or the app runs as root).
std::optional<std::string> userToWrite(const Job& job, const std::vector<size_t>& moved) {
  std::string user = model::userAtEnd(job.file, job.stage);
  if (user.empty() || isRoot(user)) return std::nullopt;
  size_t last = job.stage.from;
  for (size_t i = job.stage.from + 1; i < job.stage.end; ++i) {
    if (job.instruction(i).is("user")) last = i;
  }
  if (!userExistsIn(user, job.runtime) && !job.runtimeChosen) {
    notSplit(job.offset(last), fmt::format("the app runs as {}, which {} does not have", user, job.runtime));
  }
  if (std::find(moved.begin(), moved.end(), last) != moved.end()) return std::nullopt;
  return user;
}

// ------------------------------------------------------------ edits

// Removes a moved instruction with its comments; below a blank line, the
// blank lines after it go too, so no run of blank lines is left behind.
Edit removeMoved(const Dockerfile& file, const Instruction& instruction) {
  Edit edit = engine::removeBlock(file, instruction);
  const std::string& bytes = file.source->bytes();
  bool blankAbove = engine::followsBlankLine(file, instruction);
  while (blankAbove && engine::isBlankLine(bytes, edit.range.end)) {
    edit.range.end = engine::nextLineStart(bytes, edit.range.end);
  }
  return edit;
}

std::string rewrittenBlock(const Dockerfile& file, const Instruction& instruction, std::vector<Edit> edits) {
  uint32_t begin = engine::blockStart(file, instruction);
  for (Edit& edit : edits) {
    edit.range.begin -= begin;
    edit.range.end -= begin;
  }
  return *engine::applyEdits(engine::blockText(file, instruction), std::move(edits));
}

bool movesToProduction(const Job& job, size_t index) {
  const Instruction& instruction = job.instruction(index);
  static constexpr std::string_view kRuntimeOnly[] = {"cmd",         "entrypoint", "expose",
                                                      "healthcheck", "stopsignal", "volume"};
  if (isOneOf(instruction.command, kRuntimeOnly)) return true;
  return instruction.is("user") && index > job.facts.lastBuildStep;
}

bool usesVariable(std::string_view text, std::string_view name) {
  std::regex pattern(fmt::format("\\$(\\{{)?{}([^A-Za-z0-9_]|$)", regexEscape(name)));
  return std::regex_search(std::string(text), pattern);
}

// Variables only the build tool chains read; the production stage has none of those tools.
bool isToolChainVariable(std::string_view name) {
  constexpr std::string_view kNames[] = {"GOFLAGS", "GOPROXY",  "GOPRIVATE",  "GONOSUMDB",   "GONOPROXY",
                                         "GOSUMDB", "GOOS",     "GOARCH",     "GOARM",       "GOAMD64",
                                         "GOPATH",  "GOCACHE",  "GOMODCACHE", "GO111MODULE", "GOTOOLCHAIN",
                                         "GOBIN",   "RUSTFLAGS"};
  constexpr std::string_view kPrefixes[] = {"CGO_", "CARGO_", "RUSTUP_", "MAVEN_", "GRADLE_", "POETRY_"};
  return isOneOf(name, kNames) ||
         std::any_of(std::begin(kPrefixes), std::end(kPrefixes),
                     [&](std::string_view prefix) { return name.starts_with(prefix); });
}

bool setsOnlyToolChainVariables(const Instruction& env) {
  const auto& parts = env.buildkit.next;
  for (size_t k = 0; k < parts.size(); k += 3) {
    if (!isToolChainVariable(parts[k].value)) return false;
  }
  return !parts.empty();
}

// ENV, LABEL and MAINTAINER instructions are copied (not the ENVs only
// the build tools read); an ARG too when a copied or moved instruction
// uses it.
std::vector<size_t> copiedToProduction(const Job& job, const std::vector<size_t>& moved) {
  std::vector<size_t> copied;
  for (size_t i = job.stage.from + 1; i < job.stage.end; ++i) {
    const Instruction& instruction = job.instruction(i);
    if (instruction.is("env") && setsOnlyToolChainVariables(instruction)) continue;
    if (instruction.is("env") || instruction.is("label") || instruction.is("maintainer")) copied.push_back(i);
  }
  std::vector<size_t> users = copied;
  users.insert(users.end(), moved.begin(), moved.end());
  for (size_t i = job.stage.from + 1; i < job.stage.end; ++i) {
    const Instruction& arg = job.instruction(i);
    if (!arg.is("arg")) continue;
    bool used = std::any_of(arg.buildkit.next.begin(), arg.buildkit.next.end(), [&](const auto& node) {
      std::string name = node.value.substr(0, node.value.find('='));
      return std::any_of(users.begin(), users.end(), [&](size_t user) {
        return user > i && usesVariable(job.instruction(user).line.text, name);
      });
    });
    if (used) copied.push_back(i);
  }
  std::sort(copied.begin(), copied.end());
  return copied;
}

// The blank line between the stages, judged on the build stage as edited.
std::string separatorBefore(const Job& job, const std::vector<Edit>& buildEdits) {
  std::string built = engine::applyEdits(job.file.source->bytes(), buildEdits).value_or("");
  const std::string& newline = job.style.newline();
  if (built.empty()) return "";
  if (built.back() != '\n') return newline + newline;
  uint32_t lastLine = engine::lineStart(built, static_cast<uint32_t>(built.size() - 1));
  return engine::isBlankLine(built, lastLine) ? "" : newline;
}

std::string productionStage(const Job& job, const Plan& plan, const std::vector<size_t>& copied,
                            const std::vector<size_t>& moved) {
  const engine::Style& style = job.style;
  const Instruction& from = job.instruction(job.stage.from);
  std::string platform;
  if (const model::Flag* flag = from.flag("platform")) {
    platform = job.file.source->bytes().substr(flag->range.begin, flag->range.size()) + " ";
  }
  std::string text =
      job.indentation(job.stage.from) +
      style.line("FROM", fmt::format("{}{} {} production", platform, job.runtime, style.keyword("AS")));
  for (size_t index : copied) text += engine::blockText(job.file, job.instruction(index));
  if (plan.workdir) text += job.productionLine("WORKDIR", job.facts.workdir);
  text += plan.productionSteps;
  if (auto user = userToWrite(job, moved)) text += job.productionLine("USER", *user);
  for (size_t index : moved) {
    auto rewrite = plan.rewrites.find(index);
    text += rewrite == plan.rewrites.end()
                ? engine::blockText(job.file, job.instruction(index))
                : rewrittenBlock(job.file, job.instruction(index), rewrite->second);
  }
  return text;
}

std::vector<Edit> splitEdits(const Job& job, const Plan& plan) {
  std::vector<Edit> edits;
  const Instruction& from = job.instruction(job.stage.from);
  if (job.stage.name.empty()) {
    uint32_t at = from.arguments[0].range.end;
    edits.push_back({{at, at}, fmt::format(" {} {}", job.style.keyword("AS"), job.buildStage)});
  }
  // insertions first: one at the same offset as a removal must come before it
  edits.insert(edits.end(), plan.buildEdits.begin(), plan.buildEdits.end());
  std::vector<size_t> moved;
  for (size_t i = job.stage.from + 1; i < job.stage.end; ++i) {
    if (!movesToProduction(job, i)) continue;
    moved.push_back(i);
    edits.push_back(removeMoved(job.file, job.instruction(i)));
  }
  std::string production = productionStage(job, plan, copiedToProduction(job, moved), moved);
  uint32_t end = static_cast<uint32_t>(job.file.source->bytes().size());
  edits.push_back({{end, end}, separatorBefore(job, edits) + production});
  return edits;
}

// ------------------------------------------------------------ the transform

engine::Finding splitStage(const Dockerfile& file, const context::BuildContext& context,
                           const engine::Options& options) {
  const model::Stage& stage = file.stages.front();
  if (lower(stage.name) == "production")
    notSplit(offsetOf(file, stage.from), "the only stage is already named production");
  BaseImage base = baseImageOf(file, stage);
  StageFacts facts = analyseStage(file, context, stage);
  if (!facts.cmd && !facts.entrypoint) {
    notSplit(offsetOf(file, stage.from),
             "no CMD or ENTRYPOINT says what the production image runs (a base or "
             "tool image keeps its tool chain)");
  }
  Tool ecosystem = ecosystemOf(file, stage, facts);
  if (familyOf(ecosystem) != base.family) {
    notSplit(offsetOf(file, stage.from), fmt::format("it builds with {} on {}, an image of another language",
                                                     toolName(ecosystem), base.expanded));
  }
  std::string runtime = runtimeImageOf(file, stage, base, options);
  Job job{file,
          context,
          engine::Style(file),
          stage,
          std::move(facts),
          ecosystem,
          std::move(base),
          runtime,
          !options.runtimeImage.empty(),
          stage.name.empty() ? "build" : stage.name};
  checkHealthcheckTools(job);
  Plan plan = planFor(job);
  engine::Finding finding;
  finding.offset = job.offset(stage.from);
  finding.message = fmt::format("split into a build stage and a production stage: {}", plan.summary);
  finding.edits = splitEdits(job, plan);
  return finding;
}

class MultiStage final : public engine::Transform {
 public:
  std::string_view name() const override { return "multi-stage"; }

  engine::Result run(const Dockerfile& file, const context::BuildContext& context,
                     const engine::Options& options) const override {
    engine::Result result;
    if (file.stages.empty()) return result;
    if (file.stages.size() > 1) {
      result.findings.push_back(
          {"",
           offsetOf(file, file.stages.back().from),
           engine::Severity::Info,
           fmt::format("not split: already multi-stage ({} stages)", file.stages.size()),
           {},
           {}});
      return result;
    }
    try {
      result.findings.push_back(splitStage(file, context, options));
    } catch (const NotSplit& skip) {
      result.findings.push_back(
          {"", skip.offset, engine::Severity::Info, "not split: " + skip.reason, {}, {}});
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<engine::Transform> makeMultiStage() { return std::make_unique<MultiStage>(); }

}  // namespace dfopt::transforms
