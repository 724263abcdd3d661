#include "engine/poetry_version.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "engine/image_reference.h"
#include "engine/line_mention.h"
#include "model/variables.h"
#include "shell/script.h"
#include "util/text.h"

namespace dfopt::engine {
namespace {

std::optional<int> number(std::string_view& text) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data()) return std::nullopt;
  text.remove_prefix(end - text.data());
  return value;
}

std::string scriptOf(const model::Instruction& run) {
  std::string script;
  for (const model::Heredoc& heredoc : run.heredocs) script += heredoc.content;
  return run.heredocs.empty() ? std::string(run.argumentsText()) : script;
}

// `poetry==1.8.3`, `poetry[plugin]===2.0`: the version after the name.
std::optional<std::string_view> pinnedRequirement(std::string_view word) {
  if (!text::lower(word).starts_with("poetry")) return std::nullopt;
  word.remove_prefix(6);
  if (word.starts_with('[')) word.remove_prefix(std::min(word.find(']') + 1, word.size()));
  if (!word.starts_with("==")) return std::nullopt;
  word.remove_prefix(word.starts_with("===") ? 3 : 2);
  return word;
}

bool installsPoetry(const shell::Command& command) {
  bool installer = false;
  for (const shell::Word& word : command.words) {
    if (word.value.find("install.python-poetry.org") != std::string::npos) return true;
    if (word.value == "install") installer = true;
    if (installer && text::lower(word.value) == "poetry") return true;
  }
  return false;
}

struct StageEvidence {
  std::optional<PoetryVersion> pinned;
  std::string legacyInstaller;  // get-poetry.py, which installs Poetry 1.1 at most
  std::string unpinnedInstall;
  std::optional<bool> usesNoDev;  // true: --no-dev; false: --only/--without/--with
};

std::string shortCommand(const shell::Command& command) {
  std::string text;
  for (const shell::Word& word : command.words) {
    if (text.size() > 40) return text + " ...";
    text += (text.empty() ? "" : " ") + word.value;
  }
  return text;
}

// `versionVariable`: an ARG or ENV POETRY_VERSION is in scope, which the
// official installer reads even when its value is only known at build time.
void readCommand(const shell::Command& command, std::string_view line, bool versionVariable,
                 StageEvidence& evidence) {
  for (const shell::Word& assignment : command.assignments) {
    if (!assignment.value.starts_with("POETRY_VERSION=")) continue;
    if (auto version = parsePoetryVersion(assignment.value.substr(15))) {
      version->evidence = fmt::format("{} (line {})", assignment.value, line);
      evidence.pinned = version;
    }
  }
  bool poetryInstall = command.words.size() > 1 && text::baseName(command.words[0].value) == "poetry" &&
                       command.words[1].value == "install";
  for (const shell::Word& word : command.words) {
    if (auto pinned = pinnedRequirement(word.value)) {
      if (auto version = parsePoetryVersion(*pinned)) {
        version->evidence = fmt::format("{} (line {})", word.value, line);
        evidence.pinned = version;
      }
    }
    if (!poetryInstall) continue;
    if (word.value == "--no-dev") evidence.usesNoDev = true;
    if (text::isOneOf(word.value, {"--only", "--without", "--with"}) || word.value.starts_with("--only=") ||
        word.value.starts_with("--without=") || word.value.starts_with("--with="))
      evidence.usesNoDev = false;
  }
  bool officialInstaller =
      std::any_of(command.words.begin(), command.words.end(), [](const shell::Word& word) {
        return word.value.find("install.python-poetry.org") != std::string::npos;
      });
  if (installsPoetry(command) && !(officialInstaller && versionVariable))
    evidence.unpinnedInstall = fmt::format("{} (line {})", shortCommand(command), line);
  for (const shell::Word& word : command.words) {
    if (word.value.find("get-poetry.py") != std::string::npos)
      evidence.legacyInstaller = fmt::format("get-poetry.py (line {})", line);
  }
}

StageEvidence readStage(const model::Dockerfile& file, size_t from, size_t end) {
  StageEvidence evidence;
  for (size_t index = from; index < end && index < file.instructions.size(); ++index) {
    const model::Instruction& instruction = file.instructions[index];
    std::string line = lineMention(instruction.range.begin);
    bool declares = instruction.argumentsText().find("POETRY_VERSION") != std::string::npos;
    if ((instruction.is("env") || instruction.is("arg")) && declares) {
      model::Variables variables = model::variablesBefore(file, index + 1);
      auto value = variables.find("POETRY_VERSION");
      if (value != variables.end() && value->second) {
        if (auto version = parsePoetryVersion(*value->second)) {
          version->evidence = fmt::format("{} POETRY_VERSION={} (line {})", text::upper(instruction.command),
                                          *value->second, line);
          evidence.pinned = version;
        }
      }
    }
    if (!instruction.is("run")) continue;
    bool versionVariable = model::variablesBefore(file, index).count("POETRY_VERSION") > 0;
    std::shared_ptr<const shell::Script> script = shell::parseScriptShared(scriptOf(instruction));
    for (const shell::Command& command : script->commands)
      readCommand(command, line, versionVariable, evidence);
  }
  return evidence;
}

}  // namespace

std::optional<PoetryVersion> parsePoetryVersion(std::string_view text) {
  std::string_view rest = text;
  auto major = number(rest);
  if (!major || !rest.starts_with('.')) return std::nullopt;
  rest.remove_prefix(1);
  auto minor = number(rest);
  if (!minor) return std::nullopt;
  return PoetryVersion{*major, *minor, std::string(text)};
}

StagePoetry stagePoetry(const model::Dockerfile& file, size_t from, size_t end) {
  StageEvidence evidence = readStage(file, from, end);
  if (evidence.pinned) return {PoetrySource::Pinned, evidence.pinned, evidence.pinned->evidence};
  if (!evidence.legacyInstaller.empty()) return {PoetrySource::LegacyInstaller, {}, evidence.legacyInstaller};
  if (!evidence.unpinnedInstall.empty()) return {PoetrySource::UnpinnedInstall, {}, evidence.unpinnedInstall};
  if (from < file.instructions.size() && file.instructions[from].is("from") &&
      !file.instructions[from].arguments.empty()) {
    const std::string& image = file.instructions[from].arguments[0].text;
    if (auto version = poetryImageVersion(image)) {
      version->evidence =
          fmt::format("the image {} (line {})", image, lineMention(file.instructions[from].range.begin));
      return {PoetrySource::Pinned, version, version->evidence};
    }
  }
  return {};
}

std::optional<PoetryVersion> poetryImageVersion(std::string_view image) {
  ImageReference reference = parseImageReference(image);
  if (text::lower(text::baseName(reference.path)).find("poetry") == std::string::npos) return std::nullopt;
  // Tags hold the Python version too (`3.11-slim-1.8.3`, `1.8.3-py3.11`): Poetry's is 1.x or 2.x.
  std::optional<PoetryVersion> found;
  std::string_view tag = reference.tag;
  while (!tag.empty()) {
    std::string_view part = tag.substr(0, tag.find('-'));
    tag.remove_prefix(std::min(tag.size(), part.size() + 1));
    auto version = parsePoetryVersion(part);
    if (!version || version->major < 1 || version->major > 2) continue;
    if (found) return std::nullopt;  // two candidates: not sure which
    found = version;
  }
  return found;
}

std::optional<PoetryVersion> lockPoetryVersion(std::string_view lockText) {
  constexpr std::string_view kGenerated = "@generated by Poetry ";
  size_t firstLineEnd = lockText.find('\n');
  std::string_view firstLine = lockText.substr(0, firstLineEnd);
  if (size_t at = firstLine.find(kGenerated); at != std::string_view::npos) {
    if (auto version = parsePoetryVersion(firstLine.substr(at + kGenerated.size()))) {
      version->evidence =
          fmt::format("poetry.lock was written by Poetry {}.{}", version->major, version->minor);
      return version;
    }
  }
  constexpr std::string_view kLockVersion = "lock-version = \"";
  size_t at = lockText.rfind(kLockVersion);
  if (at == std::string_view::npos) return std::nullopt;
  auto format = parsePoetryVersion(lockText.substr(at + kLockVersion.size()));
  if (!format) return std::nullopt;
  PoetryVersion writer{1, 0, ""};
  if (format->atLeast(2, 1))
    writer = {2, 0, ""};
  else if (format->atLeast(2, 0))
    writer = {1, 3, ""};
  writer.evidence = fmt::format("poetry.lock has lock-version {}.{}", format->major, format->minor);
  return writer;
}

std::string poetryMainOnlyOption(const model::Dockerfile& file, size_t from, size_t end,
                                 std::string_view lockText) {
  StageEvidence evidence = readStage(file, from, end);
  std::optional<bool> noDev;
  if (evidence.pinned)
    noDev = !evidence.pinned->atLeast(1, 2);
  else if (evidence.usesNoDev)
    noDev = *evidence.usesNoDev;
  else if (!evidence.legacyInstaller.empty())
    noDev = true;
  else if (!evidence.unpinnedInstall.empty())
    noDev = false;
  else if (auto writer = lockPoetryVersion(lockText))
    noDev = !writer->atLeast(1, 2);
  return noDev.value_or(false) ? "--no-dev" : "--only main";
}

}  // namespace dfopt::engine
