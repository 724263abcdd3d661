#include "transforms/secrets/move.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "engine/image_reference.h"
#include "engine/instruction_commands.h"
#include "engine/line_mention.h"
#include "model/queries.h"
#include "model/variables.h"
#include "transforms/secrets/declarations.h"
#include "util/text.h"

namespace dfopt::transforms::secrets {
namespace {

// Does the frontend image `docker/dockerfile:TAG` have the secret mount's
// env= option (1.10.0)? "1", "latest", "labs" and no tag follow the newest.
bool tagHasEnvOption(std::string_view tag) {
  if (tag.empty() || tag == "latest" || tag == "labs" || tag == "master") return true;
  int major = 0;
  auto [rest, error] = std::from_chars(tag.data(), tag.data() + tag.size(), major);
  if (error != std::errc() || major != 1) return false;
  if (rest == tag.data() + tag.size() || *rest != '.') return true;  // "1", "1-labs"
  int minor = 0;
  auto [end, minorError] = std::from_chars(rest + 1, tag.data() + tag.size(), minor);
  return minorError == std::errc() && minor >= 10;
}

// The stages that see an ENV of `stage`: itself and those built FROM it.
std::vector<size_t> inheritingStages(const model::Dockerfile& file, size_t stage) {
  std::vector<size_t> stages{stage};
  for (const model::Stage& later : file.stages) {
    if (later.index <= stage) continue;
    const model::Stage* parent = model::findStage(file, later.baseImage);
    if (parent && parent->index < later.index &&
        std::find(stages.begin(), stages.end(), parent->index) != stages.end()) {
      stages.push_back(later.index);
    }
  }
  return stages;
}

bool mentions(const model::Instruction& instruction, const std::string& name) {
  auto named = [&](std::string_view text) {
    std::vector<std::string> names = model::variableNames(text);
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  return named(instruction.line.text) ||
         std::any_of(instruction.heredocs.begin(), instruction.heredocs.end(),
                     [&](const model::Heredoc& heredoc) { return named(heredoc.content); });
}

// The declaration of `name` that instruction `index` makes, if it is an
// ARG or ENV that declares it.
std::optional<Declaration> declarationNamed(const model::Dockerfile& file, size_t index,
                                            const std::string& name) {
  const model::Instruction& instruction = file.instructions[index];
  if (!instruction.is("arg") && !instruction.is("env")) return std::nullopt;
  for (Declaration& other : declarationsOf(file, index)) {
    if (other.name == name) return std::move(other);
  }
  return std::nullopt;
}

// Does instruction `index` set `name` anew, without reading it: an ENV
// with a value for it that names no variable of that name? From there on,
// its stage and the stages built from it see that value instead.
bool overrides(const model::Dockerfile& file, size_t index, const std::string& name) {
  const model::Instruction& instruction = file.instructions[index];
  if (!instruction.is("env") || mentions(instruction, name)) return false;
  std::optional<Declaration> other = declarationNamed(file, index, name);
  return other && other->value;
}

// The ENV of the declaration's own stage that sets it anew, if any.
std::optional<size_t> overrideOf(const model::Dockerfile& file, const Declaration& declaration) {
  if (declaration.kind != "ENV") return std::nullopt;
  const model::Stage* stage = model::stageOf(file, declaration.instruction);
  for (size_t i = declaration.instruction + 1; i < stage->end; ++i) {
    if (overrides(file, i, declaration.name)) return i;
  }
  return std::nullopt;
}

// The instructions after the declaration that see the variable: up to
// `setAgain`, its overrideOf (each of several ENVs of one name then has a
// scope of its own, and all are moved in one pass, where a refusal of all
// but the last took a pass each).
std::vector<size_t> scopeOf(const model::Dockerfile& file, const Declaration& declaration,
                            std::optional<size_t> setAgain) {
  const model::Stage* stage = model::stageOf(file, declaration.instruction);
  bool env = declaration.kind == "ENV";
  std::vector<size_t> scope;
  for (size_t i = declaration.instruction + 1; i < (setAgain ? *setAgain : stage->end); ++i)
    scope.push_back(i);
  if (setAgain) return scope;
  if (env) {
    for (size_t index : inheritingStages(file, stage->index)) {
      if (index == stage->index) continue;
      for (size_t i = file.stages[index].from + 1; i < file.stages[index].end; ++i) scope.push_back(i);
    }
  }
  return scope;
}

// Could a RUN step read a variable without naming it? Only when a command
// runs a program other than those known to read no credentials from the
// environment (file and user tools, the system package managers, echo).
bool mayReadEnvironment(const model::Instruction& run) {
  static constexpr std::string_view blind[] = {
      "chown",    "chmod",   "chgrp",    "mkdir",   "rm",       "rmdir",   "cp",   "mv",     "ln",
      "touch",    "useradd", "groupadd", "adduser", "addgroup", "usermod", "echo", "printf", "true",
      "ls",       "cd",      "set",      "export",  "apt-get",  "apt",     "apk",  "yum",    "dnf",
      "microdnf", "tar",     "unzip",    "gzip",    "sed",      "test",    "["};
  for (const engine::CommandWords& words : engine::commandsOf(run)) {
    if (!words.empty() && !text::isOneOf(text::baseName(words[0]), blind)) return true;
  }
  return false;
}

bool hasSecretMount(const model::Instruction& run, const std::string& name) {
  return std::any_of(run.flags.begin(), run.flags.end(), [&](const model::Flag& flag) {
    return flag.name == "mount" && text::contains(flag.value, "type=secret") &&
           text::contains(flag.value + ",", "id=" + name + ",");
  });
}

}  // namespace

MountForm mountFormOf(const model::Dockerfile& file) {
  const model::Directive* syntax = file.directive("syntax");
  if (!syntax) return MountForm::File;
  engine::ImageReference image = engine::parseImageReference(syntax->value);
  std::string path = text::lower(image.path);
  if (path != "docker/dockerfile" && path != "docker/dockerfile-upstream") return MountForm::File;
  if (image.registry != "" && image.registry != "docker.io") return MountForm::File;
  return tagHasEnvOption(image.tag) ? MountForm::Env : MountForm::File;
}

bool reachesFinalImage(const model::Dockerfile& file, const Declaration& declaration) {
  if (declaration.kind != "ENV") return false;
  std::vector<size_t> stages = inheritingStages(file, model::stageOf(file, declaration.instruction)->index);
  return std::find(stages.begin(), stages.end(), file.stages.size() - 1) != stages.end();
}

Move planMove(const model::Dockerfile& file, const Declaration& declaration, MountForm form) {
  Move move;
  if (!declaration.removal) {
    move.refusal = "dfopt cannot tell its words apart in this instruction";
    return move;
  }
  std::vector<size_t> named;
  std::vector<size_t> runs;
  std::optional<size_t> setAgain = overrideOf(file, declaration);
  if (setAgain) move.setAgainOn = engine::lineMention(file.instructions[*setAgain].range.begin);
  for (size_t index : scopeOf(file, declaration, setAgain)) {
    const model::Instruction& instruction = file.instructions[index];
    std::string line = engine::lineMention(instruction.range.begin);
    if (declarationNamed(file, index, declaration.name)) {
      move.refusal = fmt::format("line {} declares it again", line);
      return move;
    }
    bool isRun = instruction.is("run");
    if (mentions(instruction, declaration.name) && !isRun) {
      move.refusal = fmt::format("{} on line {} uses it, and a secret mount reaches only RUN steps",
                                 text::upper(instruction.command), line);
      return move;
    }
    if (!isRun) continue;
    if (mentions(instruction, declaration.name)) {
      named.push_back(index);
    } else if (mayReadEnvironment(instruction)) {
      runs.push_back(index);
    }
  }
  move.everyRun = named.empty();
  if (!move.everyRun) runs = named;
  move.runs = runs.size();
  move.edits.push_back(*declaration.removal);
  const std::string& name = declaration.name;
  for (size_t index : runs) {
    const model::Instruction& run = file.instructions[index];
    if (hasSecretMount(run, name)) continue;
    if (form == MountForm::Env) {
      move.edits.push_back({{run.keywordRange.end, run.keywordRange.end},
                            fmt::format(" --mount=type=secret,id={0},env={0}", name)});
      continue;
    }
    if (run.jsonForm || !run.heredocs.empty()) {
      move.refusal = fmt::format(
          "the RUN on line {} is {}, and without the mount's env= option (Dockerfile 1.10, "
          "`# syntax=docker/dockerfile:1`) the secret is read from a file by the shell",
          engine::lineMention(run.range.begin), run.jsonForm ? "in exec form" : "a here-document");
      move.edits.clear();
      return move;
    }
    move.edits.push_back(
        {{run.keywordRange.end, run.keywordRange.end}, fmt::format(" --mount=type=secret,id={}", name)});
    move.edits.push_back({{run.argumentsRange.begin, run.argumentsRange.begin},
                          fmt::format("export {0}=\"$(cat /run/secrets/{0})\" && ", name)});
  }
  return move;
}

}  // namespace dfopt::transforms::secrets
