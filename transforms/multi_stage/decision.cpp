// The decision: whether the only stage can be split at all, and with which
// ecosystem's recipe. The refusals every recipe shares are here: a stage
// already named production, a development target, no command for the
// production image, no tool chain or several, a base image of another
// language, a runtime image that lacks the shell or the HEALTHCHECK's tools.
// A base image that is not an official language image (the reader's own)
// is for the language of the tool chain the stage runs.
#include <array>
#include <set>

#include <fmt/format.h>

#include "model/variables.h"
#include "transforms/multi_stage/job.h"
#include "util/text.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::contains;
using text::isOneOf;
using text::lower;

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

// `node script.js` builds with the stage's Node tool chain; in any other
// stage, dfopt cannot tell what it leaves behind.
void assignNodeScripts(const Dockerfile& file, Tool ecosystem, StageFacts& facts) {
  for (StageCommand& command : facts.commands) {
    if (command.kind.role != Role::Build || command.kind.detail != kNodeScript) continue;
    if (familyOf(ecosystem) != familyOf(Tool::Npm)) {
      notSplit(offsetOf(file, command.index),
               fmt::format("dfopt cannot tell what `{}` leaves behind for the app at run time",
                           shortened(command.command.text)));
    }
    command.kind.tool = ecosystem;
  }
}

// Shell-form commands of recipes that keep them as written need a shell in the runtime image.
void checkShellForms(const Job& job) {
  if (runtimeHasShell(job)) return;
  for (size_t index : runtimeCommands(job)) {
    const CommandLine& line = commandLineOf(job.instruction(index));
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

// Does any RUN of the stage install or build with a tool chain (one dfopt has no recipe for included)?
bool runsToolChain(const Dockerfile& file, const model::Stage& stage) {
  for (size_t i = stage.from + 1; i < stage.end; ++i) {
    if (!file.instructions[i].is("run")) continue;
    bool afterPipe = false;
    for (const SourceCommand& command : commandLineOf(file.instructions[i]).commands) {
      Classified kind = classify(command, afterPipe);
      bool installsOrBuilds = kind.role == Role::Install || kind.role == Role::Build;
      if (installsOrBuilds && kind.tool != Tool::None) return true;  // Unsupported: refused, naming it
      afterPipe = command.separatorAfter == "|";
    }
  }
  return false;
}

}  // namespace

std::optional<NotSplit> earlyRefusal(const Dockerfile& file, const engine::Options& options) {
  const model::Stage& stage = file.stages.front();
  // BuildKit's parser takes `FROM --platform=x` alone; its build fails
  if (file.instructions[stage.from].arguments.empty())
    return NotSplit{offsetOf(file, stage.from), "the FROM names no image"};
  if (lower(stage.name) == "production")
    return NotSplit{offsetOf(file, stage.from), "the only stage is already named production"};
  if (auto development = developmentTarget(file, stage, options)) return development;
  BaseImage base = baseImageOf(file, stage, options.baseImages);
  if (!base.official && !runsToolChain(file, stage)) {
    return NotSplit{
        offsetOf(file, stage.from),
        fmt::format("{} is not an official image of a language dfopt knows, and the stage installs "
                    "or builds with no tool chain dfopt knows (pip, Poetry, npm, yarn, pnpm, Go, "
                    "Maven, Gradle, Cargo)",
                    base.expanded)};
  }
  return std::nullopt;
}

Job jobFor(const Dockerfile& file, const context::BuildContext& context, const engine::Options& options) {
  const model::Stage& stage = file.stages.front();
  BaseImage base = baseImageOf(file, stage, options.baseImages);
  StageFacts facts = analyseStage(file, context, stage);
  if (!facts.cmd && !facts.entrypoint) {
    notSplit(offsetOf(file, stage.from),
             "no CMD or ENTRYPOINT says what the production image runs (a base or "
             "tool image keeps its tool chain)");
  }
  Tool ecosystem = ecosystemOf(file, stage, facts);
  assignNodeScripts(file, ecosystem, facts);
  if (!base.official) {
    base.family = familyOf(ecosystem);  // the reader's own image: the language is what the stage runs
  } else if (familyOf(ecosystem) != base.family) {
    notSplit(offsetOf(file, stage.from), fmt::format("it builds with {} on {}, an image of another language",
                                                     toolName(ecosystem), base.expanded));
  }
  RuntimeImage runtime = runtimeImageOf(file, context, stage, facts, base, options);
  return Job{file,
             context,
             engine::Style(file),
             stage,
             std::move(facts),
             ecosystem,
             std::move(base),
             std::move(runtime.image),
             !options.runtimeImage.empty(),
             std::move(runtime.chosenFrom),
             stage.name.empty() ? "build" : stage.name};
}

// Python and Node install packages, some with native code, for the
// platform they run on: on $BUILDPLATFORM that is the build machine's, and
// the production stage of a cross-build is of the target platform.
void checkInstallsForTargetPlatform(const Job& job) {
  if (job.ecosystem == Tool::Go || job.ecosystem == Tool::Cargo || job.ecosystem == Tool::Maven ||
      job.ecosystem == Tool::Gradle) {
    return;
  }
  const model::Flag* flag = job.instruction(job.stage.from).flag("platform");
  if (flag && text::isOneOf("BUILDPLATFORM", model::variableNames(flag->value))) {
    notSplit(job.offset(job.stage.from),
             "the stage runs on the build machine's platform ($BUILDPLATFORM), so the packages it installs "
             "are for that machine, while a production stage is of the target platform");
  }
}

Plan planFor(const Job& job) {
  checkHealthcheckTools(job);
  checkInstallsForTargetPlatform(job);
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

}  // namespace dfopt::transforms::multi_stage
