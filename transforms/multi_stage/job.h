#pragma once
// What the parts of multi-stage share: the facts the analysis gathers about
// the stage, its base image, the Job each ecosystem's plan works from and
// the Plan it returns. Any step that finds the stage cannot be split safely
// throws NotSplit with the reason.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context/build_context.h"
#include "engine/edit.h"
#include "engine/image_reference.h"
#include "engine/style.h"
#include "engine/transform.h"
#include "model/dockerfile.h"
#include "transforms/multi_stage/classify.h"

namespace dfopt::transforms::multi_stage {

using engine::Edit;
using model::Dockerfile;
using model::Instruction;

// Thrown anywhere in the analysis when the stage cannot be split safely;
// becomes an info finding at `offset`.
struct NotSplit {
  uint32_t offset;
  std::string reason;
};

[[noreturn]] inline void notSplit(uint32_t offset, std::string reason) {
  throw NotSplit{offset, std::move(reason)};
}

// ------------------------------------------------------------ the stage (stage.cpp)

struct StageCommand {
  size_t index;                  // its RUN
  std::string workdir;           // where it runs
  const SourceCommand& command;  // in its RUN's commandLineOf(), kept with the model
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

// What the stage does, from its instructions: the commands of its RUNs, its
// directory copies, where the app lives and how it starts.
StageFacts analyseStage(const Dockerfile& file, const context::BuildContext& context,
                        const model::Stage& stage);

uint32_t offsetOf(const Dockerfile& file, size_t index);

// The working directory of instruction `index`.
std::string workdirAt(const Dockerfile& file, size_t index);

// ------------------------------------------------------------ images (images.cpp)

enum class Family { Python, Node, Go, Java, Rust };

Family familyOf(Tool tool);

struct BaseImage {
  std::string written;           // as in FROM
  std::string expanded;          // variables replaced
  std::string like;              // the image it behaves as (.dfopt.yaml's base-images), else `expanded`
  engine::ImageReference image;  // of `like`
  // An official language image (python, node...); else the reader's own
  // image, whose language is the one of the tool chain the stage runs.
  bool official = true;
  Family family = Family::Python;
};

// The stage's base image, its language when it is an official language image.
BaseImage baseImageOf(const Dockerfile& file, const model::Stage& stage, const engine::BaseImages& known);

struct RuntimeImage {
  std::string image;
  std::string chosenFrom;  // for an image that is not official: what told the version
};

// The runtime image as it will be written: derived from the base image's
// text with its variables kept when they still say the same thing.
RuntimeImage runtimeImageOf(const Dockerfile& file, const context::BuildContext& context,
                            const model::Stage& stage, const StageFacts& facts, const BaseImage& base,
                            const engine::Options& options);

// ------------------------------------------------------------ versions (versions.cpp)

// The runtime image of a base image that is not official: of the version
// its tag, the stage's ENV or the project declares (a refusal when none does).
RuntimeImage customBaseRuntime(const Dockerfile& file, const context::BuildContext& context,
                               const model::Stage& stage, const StageFacts& facts, const BaseImage& base);

// The value the stage's ENV instructions give `name` last.
std::optional<std::string> stageEnvValue(const Dockerfile& file, const model::Stage& stage,
                                         std::string_view name);

// ------------------------------------------------------------ the job (job.cpp)

struct Job {
  const Dockerfile& file;
  const context::BuildContext& context;
  engine::Style style;
  const model::Stage& stage;
  StageFacts facts;
  Tool ecosystem;
  BaseImage base;
  std::string runtime;
  bool runtimeChosen;      // by the user: trust it to have what the app needs
  std::string chosenFrom;  // a base image that is not official: what told the runtime's version
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
  std::string stages;                            // whole stages between the build and the production stage
  bool workdir = true;                           // the production stage starts in the app directory
  std::string productionSteps;                   // copies and installs, each line ending in a newline
  std::map<size_t, std::vector<Edit>> rewrites;  // edits inside moved CMD/ENTRYPOINT/HEALTHCHECK
  std::string summary;                           // what production ships and what it leaves out
  // The stage runs on $BUILDPLATFORM and builds for the target platform:
  // the production stage, of the target platform, does not copy that --platform.
  bool leavesBuildPlatform = false;
};

// The value the stage's ENV instructions give `name` last.
std::optional<std::string> envValue(const Job& job, std::string_view name);

// The HEALTHCHECK, ENTRYPOINT and CMD instructions, in order.
std::vector<size_t> runtimeCommands(const Job& job);

// The command line of instruction `index`, which must hold only simple commands.
const CommandLine& analysedCommandLine(const Job& job, size_t index);

// The program the app starts with, from ENTRYPOINT or CMD.
SourceWord runnerProgram(const Job& job);

// Distroless, Chainguard and scratch images have no /bin/sh for shell-form commands.
bool runtimeHasShell(const Job& job);

// What the leaner runtime image leaves out, for the message (nothing when it is the base image).
std::vector<std::string> baseImageLeftOut(const Job& job);

// The stage's commands of that tool and role (the Poetry builds, the pip installs...).
std::vector<const StageCommand*> commandsOf(const Job& job, Tool tool, Role role);

// A program word rewritten in place: a JSON string or a shell word.
Edit replaceWord(const SourceWord& word, bool json, std::string_view value);

// Refuses an app directory that holds more than the app (/, /usr, /opt...):
// copying it would not be copying the app.
void checkAppDirectory(const Job& job);

// ------------------------------------------------------------ development targets (development.cpp)

// Why a development target is not split: a stage named dev, development or
// debug, a Dockerfile.dev or dev.Dockerfile, a CMD or ENTRYPOINT that runs a
// watcher or a development server.
std::optional<NotSplit> developmentTarget(const Dockerfile& file, const model::Stage& stage,
                                          const engine::Options& options);

// ------------------------------------------------------------ the decision (decision.cpp)

// Why the file's only stage is not split, when that is known before the
// stage is analysed: a FROM with no image, its name, a development target,
// an image and steps of no language dfopt knows. Returned, not thrown: most
// single-stage files stop here, and an exception costs more than these
// checks (the analysis of the base image may still throw NotSplit).
std::optional<NotSplit> earlyRefusal(const Dockerfile& file, const engine::Options& options);

// The job of splitting the file's only stage: its facts, its one ecosystem
// and the runtime image, once earlyRefusal found nothing (MultiStage::run
// asks it first).
Job jobFor(const Dockerfile& file, const context::BuildContext& context, const engine::Options& options);

// The plan of the job's ecosystem, once the runtime image is known to have
// what the HEALTHCHECKs and the shell-form commands need.
Plan planFor(const Job& job);

// ------------------------------------------------------------ the recipes

Plan poetryPlan(const Job& job);  // python.cpp
Plan pipPlan(const Job& job);     // python.cpp
Plan nodePlan(const Job& job);    // node.cpp: npm, yarn, pnpm
Plan goPlan(const Job& job);      // compiled.cpp
Plan javaPlan(const Job& job);    // compiled.cpp: Maven, Gradle
Plan cargoPlan(const Job& job);   // compiled.cpp

// ------------------------------------------------------------ the edits (edits.cpp)

// The edits that make the stage the build stage and append the production stage.
std::vector<Edit> splitEdits(const Job& job, const Plan& plan);

}  // namespace dfopt::transforms::multi_stage
