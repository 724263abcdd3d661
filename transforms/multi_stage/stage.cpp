// Reading the stage: what its RUNs do, which context directories it copies
// where, where the app lives and how it starts.
#include <fmt/format.h>

#include "model/queries.h"
#include "model/variables.h"
#include "transforms/multi_stage/job.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::isUnder;

std::string expandOrFail(const Dockerfile& file, size_t index, std::string_view word, std::string_view what) {
  std::string value = model::unquoteValue(word);
  if (!model::hasVariable(value)) return value;
  auto expanded = model::expandVariables(value, model::variablesBefore(file, index));
  if (!expanded)
    notSplit(offsetOf(file, index), fmt::format("{} {} uses a variable with no known value", what, word));
  return *expanded;
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
  const CommandLine& line = commandLineOf(run);
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

}  // namespace

uint32_t offsetOf(const Dockerfile& file, size_t index) {
  return file.instructions[index].keywordRange.begin;
}

std::string workdirAt(const Dockerfile& file, size_t index) {
  auto workdir = model::workdirBefore(file, index);
  if (!workdir) notSplit(offsetOf(file, index), "the WORKDIR uses a variable with no known value");
  return *workdir;
}

StageFacts analyseStage(const Dockerfile& file, const context::BuildContext& context,
                        const model::Stage& stage) {
  StageFacts facts;
  facts.workdir = workdirAtEnd(file, stage);
  size_t commands = 0;  // sized once: a stage may run a hundred thousand commands
  for (size_t i = stage.from + 1; i < stage.end; ++i) {
    if (file.instructions[i].is("run")) commands += commandLineOf(file.instructions[i]).commands.size();
  }
  facts.commands.reserve(commands);
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

}  // namespace dfopt::transforms::multi_stage
