// The Poetry recipe: the build stage makes a wheel and installs the locked
// main dependencies into a virtualenv of their own, right after the first
// `poetry install` (where only the manifests are there when deps-first has
// run); the production stage gets that virtualenv and the wheel, without
// Poetry. The virtualenv changes only with pyproject.toml and poetry.lock,
// so a source edit leaves its copy cached.
#include <algorithm>

#include <fmt/format.h>

#include "engine/ecosystem.h"
#include "engine/instruction_edits.h"
#include "engine/package_commands.h"
#include "engine/poetry_version.h"
#include "model/queries.h"
#include "transforms/multi_stage/manifests.h"
#include "transforms/multi_stage/python.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::isOneOf;
using text::isUnder;

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

// Where the locked dependencies are installed: right after the first
// `poetry install`, when Poetry and the manifests are there; after the last
// build step when the stage has no install.
size_t lockedInstallAnchor(const Job& job) {
  std::vector<const StageCommand*> installs = commandsOf(job, Tool::Poetry, Role::Install);
  return installs.empty() ? job.facts.lastBuildStep : installs.front()->index;
}

// Poetry installs into the virtualenv VIRTUAL_ENV names (every version from
// 1.0 honours it), so the main dependencies get a virtualenv of their own
// whatever the project's settings, with the options the stage's Poetry understands.
std::string lockedInstallStep(const Job& job, size_t anchor, std::string_view lockText) {
  std::string only = engine::poetryMainOnlyOption(job.file, job.stage.from, job.stage.end, lockText);
  return job.line(
      anchor, "RUN",
      fmt::format("python -m venv {0} && VIRTUAL_ENV={0} poetry install {1} --no-root", kVirtualenv, only));
}

}  // namespace

Plan poetryPlan(const Job& job) {
  const std::string& app = job.facts.workdir;
  for (const StageCommand& command : job.facts.commands) {
    if (command.kind.tool == Tool::Poetry && command.kind.role != Role::Setup && command.workdir != app) {
      notSplit(job.offset(command.index),
               fmt::format("poetry runs in {}, not in the app directory {}", command.workdir, app));
    }
  }
  const DirectoryCopy& source = copyHolding(job, app, "pyproject.toml");
  toml::table pyproject = readTomlManifest(job, source, "pyproject.toml");
  if (!pyproject.at_path("tool.poetry.package-mode").value_or(true)) {
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
  std::optional<std::string> lock = job.context.read(engine::contextPath(source.source, "poetry.lock"));
  size_t anchor = lockedInstallAnchor(job);
  std::string lockedInstall = lockedInstallStep(job, anchor, lock.value_or(""));
  std::optional<std::string> dist = existingWheelDirectory(job);
  if (!dist) {
    std::string build = job.line(job.facts.lastBuildStep, "RUN", "poetry build --format wheel");
    if (anchor == job.facts.lastBuildStep) {
      lockedInstall += build;
    } else {
      plan.buildEdits.push_back(
          engine::insertAfter(job.file, job.instruction(job.facts.lastBuildStep), build));
    }
    dist = model::resolvePath(app, "dist");
  }
  plan.buildEdits.push_back(engine::insertAfter(job.file, job.instruction(anchor), lockedInstall));
  std::string venv(kVirtualenv);
  plan.productionSteps =
      job.productionLine("COPY", fmt::format("--from={} {} {}", job.buildStage, venv, venv)) +
      job.productionLine("ENV", fmt::format("PATH=\"{}/bin:$PATH\"", venv)) +
      job.productionLine("COPY", fmt::format("--from={} {}/*.whl /tmp/", job.buildStage, *dist)) +
      job.productionLine("RUN", fmt::format("{} install --no-cache-dir --no-deps /tmp/*.whl && rm /tmp/*.whl",
                                            virtualenvPip(job, venv)));
  plan.summary = fmt::format(
      "{} gets the wheel and, in a virtualenv {}, the main dependencies {}; without Poetry, the compilers "
      "and the source",
      job.runtime, anchor < source.index ? "that a source edit does not invalidate" : "of their own",
      lock ? "at the versions poetry.lock pins" : "Poetry resolves");
  return plan;
}

}  // namespace dfopt::transforms::multi_stage
