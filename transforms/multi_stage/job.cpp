// What the recipes ask of the job: its ENV values, the commands that start
// the app, the runtime image's shell, the steps of a tool.
#include <algorithm>

#include <fmt/format.h>

#include "model/variables.h"
#include "transforms/multi_stage/job.h"

namespace dfopt::transforms::multi_stage {

using text::contains;
using text::isOneOf;

std::optional<std::string> stageEnvValue(const Dockerfile& file, const model::Stage& stage,
                                         std::string_view name) {
  std::optional<std::string> value;
  for (size_t i = stage.from + 1; i < stage.end; ++i) {
    const Instruction& env = file.instructions[i];
    if (!env.is("env")) continue;
    const auto& parts = env.buildkit.next;
    for (size_t k = 0; k + 1 < parts.size(); k += 3) {
      if (parts[k].value == name) value = model::unquoteValue(parts[k + 1].value);
    }
  }
  return value;
}

std::optional<std::string> envValue(const Job& job, std::string_view name) {
  return stageEnvValue(job.file, job.stage, name);
}

std::vector<size_t> runtimeCommands(const Job& job) {
  std::vector<size_t> out = job.facts.healthchecks;
  if (job.facts.entrypoint) out.push_back(*job.facts.entrypoint);
  if (job.facts.cmd) out.push_back(*job.facts.cmd);
  std::sort(out.begin(), out.end());
  return out;
}

const CommandLine& analysedCommandLine(const Job& job, size_t index) {
  const CommandLine& line = commandLineOf(job.instruction(index));
  if (!line.complexReason.empty()) {
    notSplit(job.offset(index), fmt::format("the {} uses {}, which dfopt does not analyse",
                                            job.instruction(index).keyword, line.complexReason));
  }
  return line;
}

SourceWord runnerProgram(const Job& job) {
  CommandLine line = analysedCommandLine(job, job.runner());
  if (line.commands.empty() || line.commands[0].words.size() <= programIndex(line.commands[0])) {
    notSplit(job.offset(job.runner()), "the app's command is empty");
  }
  const SourceCommand& command = line.commands[0];
  return command.words[programIndex(command)];
}

bool runtimeHasShell(const Job& job) {
  engine::ImageReference image = engine::parseImageReference(job.runtime);
  return !contains(image.path, "distroless") && image.registry != "cgr.dev" && job.runtime != "scratch";
}

std::vector<std::string> baseImageLeftOut(const Job& job) {
  if (job.runtime == job.base.expanded) return {};
  if (!job.base.official) return {fmt::format("the tool chain of {}", job.base.expanded)};
  return {fmt::format("the compilers and headers of {}", job.base.expanded)};
}

std::vector<const StageCommand*> commandsOf(const Job& job, Tool tool, Role role) {
  std::vector<const StageCommand*> out;
  for (const StageCommand& command : job.facts.commands) {
    if (command.kind.tool == tool && command.kind.role == role) out.push_back(&command);
  }
  return out;
}

Edit replaceWord(const SourceWord& word, bool json, std::string_view value) {
  return {word.range, json ? jsonQuote(value) : std::string(value)};
}

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

}  // namespace dfopt::transforms::multi_stage
