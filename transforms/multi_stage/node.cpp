// The Node recipe (npm, yarn, pnpm). The production stage never runs the
// package manager: the production dependencies are installed where the
// compilers are (the build image), so that a native module without a
// prebuilt binary still builds, and production copies node_modules.
//
// Three shapes, by what the build stage does after its install:
// - it builds, into a directory dfopt can name (dist, .next, tsc's outDir):
//   a `deps` stage on the build image installs the production dependencies
//   from the manifests alone, and production copies node_modules from it,
//   the app from the context and the build output from the build stage.
//   The install depends on the manifests only, so a source edit re-runs no
//   install and leaves the node_modules layer of production as it was. The
//   build stage keeps its devDependencies (`--target build` still tests).
//   A prune at the end of the build stage would give the same files, but
//   in a layer that changes with every source edit, and Yarn has no prune.
// - it only installs: its install becomes the production install (the
//   devDependencies serve no step), and production copies node_modules from
//   it; a separate stage would leave the build stage unused.
// - it runs tests, install scripts, or a build whose output dfopt cannot
//   name but which writes only under the app directory: the build stage
//   ends with a prune (`npm prune --omit=dev`, `pnpm prune --prod`) and
//   production takes its whole app directory. The prune re-runs after a
//   source edit, but it only deletes; no install re-runs.
#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "analysis/effects.h"
#include "engine/ecosystem.h"
#include "engine/instruction_edits.h"
#include "model/queries.h"
#include "shell/script.h"
#include "transforms/multi_stage/manifests.h"
#include "transforms/multi_stage/node.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::baseName;
using text::isOneOf;

nlohmann::json parsePackageJson(const Job& job, const DirectoryCopy& source) {
  std::optional<nlohmann::json> package = engine::parseJson(readManifest(job, source, "package.json"));
  if (!package || !package->is_object())
    notSplit(job.offset(source.index), "package.json is not a JSON object");
  return std::move(*package);
}

// Does package.json list `program` (a package, or the last part of a scoped one) under `section`?
bool listsPackage(const nlohmann::json& package, std::string_view section, std::string_view program) {
  const auto list = package.find(section);
  if (list == package.end() || !list->is_object()) return false;
  for (const auto& [name, version] : list->items()) {
    // @types/node is typings, not the node program
    if (name == program || (baseName(name) == program && !name.starts_with("@types/"))) return true;
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
  std::optional<nlohmann::json> config = engine::parseJsonWithComments(*text);
  std::string outDir =
      config && config->is_object() ? packageString(*config, "compilerOptions", "outDir") : "";
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
std::optional<std::string> buildOutput(const Job& job, const DirectoryCopy& source,
                                       const nlohmann::json& package, const std::vector<std::string>& start) {
  std::optional<std::string> dir;
  if (startProgram(start) == "node") {
    std::vector<std::string> args = operands(start, 1, {"-r", "--require"});
    if (!args.empty()) dir = firstComponent(args[0]);
  }
  if (!dir) dir = firstComponent(packageString(package, "main"));
  if (!dir) dir = buildScriptOutput(job, source, packageString(package, "scripts", "build"));
  if (!dir) return std::nullopt;
  std::string relative = model::resolvePath("/", *dir).substr(1);
  if (relative.empty() || isOneOf(relative, std::array<std::string_view, 2>{"node_modules", "src"}))
    return std::nullopt;
  return relative;
}

// A step that needs the devDependencies besides the build: `npm test`.
const StageCommand* testCommand(const Job& job) {
  for (const StageCommand& command : job.facts.commands) {
    std::string name = command.command.name();
    if (isOneOf(name, std::array<std::string_view, 3>{"npm", "yarn", "pnpm"}) &&
        command.command.arg(1) == "test")
      return &command;
  }
  return nullptr;
}

// The root package's install scripts run at every install, the production
// one included, where the devDependencies they often call (husky, tsc) are missing.
std::string installScript(const nlohmann::json& package) {
  for (std::string_view script : {"preinstall", "install", "postinstall", "prepare"}) {
    if (!packageString(package, "scripts", script).empty()) return std::string(script);
  }
  return "";
}

// Does every build step write only under the app directory (so that the
// app directory holds all that the build made)?
// How the refusal names the build: the script, or `node deploy.js`.
std::string buildStepName(const Job& job) {
  std::vector<const StageCommand*> builds = commandsOf(job, job.ecosystem, Role::Build);
  if (builds.size() == 1 && builds.front()->kind.detail == kNodeScript)
    return fmt::format("`{}`", shortened(builds.front()->command.text));
  return "the build script";
}

void checkBuildWritesOnlyApp(const Job& job) {
  const std::vector<analysis::Effects>& effects = analysis::analyzeEffects(job.file);
  for (const StageCommand* build : commandsOf(job, job.ecosystem, Role::Build)) {
    for (const analysis::Access& access : effects[build->index].accesses) {
      if (!access.write || access.cache || access.resource.kind != analysis::Resource::Kind::Path) continue;
      if (!text::isUnder(access.resource.name, job.facts.workdir)) {
        notSplit(job.offset(build->index),
                 fmt::format("dfopt cannot tell which directory the build script writes, and it may "
                             "write outside the app directory {} ({})",
                             job.facts.workdir, access.why.text()));
      }
    }
  }
}

std::string ownerFlag(const Job& job, const DirectoryCopy& source) {
  const model::Flag* chown = job.instruction(source.index).flag("chown");
  return chown ? fmt::format("--chown={} ", chown->value) : "";
}

std::string platformFlag(const Job& job) {
  const model::Flag* flag = job.instruction(job.stage.from).flag("platform");
  return flag ? job.file.source->bytes().substr(flag->range.begin, flag->range.size()) + " " : "";
}

// A stage name the file does not use yet.
std::string depsStageName(const Job& job) {
  return text::lower(job.buildStage) == "deps" ? "production-deps" : "deps";
}

// The stage that installs the production dependencies from the manifests
// alone, on the build image, ending in a blank line. It gets the ARG and
// ENV instructions the stage's install sees (a registry, a token .npmrc reads).
std::string depsStage(const Job& job, const NodeInstall& install, const std::string& name) {
  const std::string& newline = job.style.newline();
  std::string text = job.indentation(job.stage.from) +
                     job.style.line("FROM", fmt::format("{}{} {} {}", platformFlag(job), job.base.written,
                                                        job.style.keyword("AS"), name));
  size_t firstInstall =
      install.installs.empty() ? job.stage.end : job.facts.commands[install.installs[0]].index;
  for (size_t i = job.stage.from + 1; i < firstInstall; ++i) {
    const Instruction& instruction = job.instruction(i);
    if (instruction.is("arg") || instruction.is("env")) text += engine::blockText(job.file, instruction);
  }
  for (const std::string& setup : install.setup) text += job.productionLine("RUN", setup);
  text += job.productionLine("WORKDIR", job.facts.workdir);
  text += job.productionLine("COPY", fmt::format("{} ./", fmt::join(install.manifests, " ")));
  text += job.productionLine("RUN", install.command);
  return text + newline;
}

// The stage's installs become the production install, where they stand.
std::vector<Edit> productionInstallEdits(const Job& job, const NodeInstall& install) {
  std::vector<Edit> edits;
  for (size_t i : install.installs) {
    const SourceCommand& command = job.facts.commands[i].command;
    const std::vector<SourceWord>& words = command.words;
    if (commandLineOf(job.instruction(job.facts.commands[i].index)).json) {
      notSplit(job.offset(job.facts.commands[i].index),
               "the install is in exec form, which dfopt does not rewrite into the production install");
    }
    edits.push_back(
        {{words[programIndex(command)].range.begin, words.back().range.end}, install.stageCommand});
  }
  return edits;
}

// Setup lines production keeps: the app starts through a manager the runtime image lacks.
std::string runnerSetup(const Job& job, const NodeInstall& install, const std::vector<std::string>& start) {
  std::string program = start.empty() ? "" : start[0];
  bool needed = (install.manager == NodeManager::Pnpm && program == "pnpm") ||
                (install.manager == NodeManager::YarnBerry && program == "yarn");
  std::string lines;
  if (!needed) return lines;
  for (const std::string& setup : install.setup) lines += job.productionLine("RUN", setup);
  return lines;
}

// The words the runner starts with, as written (`pnpm start`), not the script's.
std::vector<std::string> runnerWords(const Job& job) {
  CommandLine line = analysedCommandLine(job, job.runner());
  if (line.commands.empty()) return {};
  std::vector<std::string> words = valuesOf(line.commands[0]);
  words.erase(words.begin(), words.begin() + static_cast<long>(programIndex(line.commands[0])));
  return words;
}

}  // namespace

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
  NodeInstall install = nodeInstallOf(job, source, package);
  std::vector<std::string> start = startWords(job, package);
  std::string program = startProgram(start);
  if (isDevDependency(package, program)) {
    notSplit(job.offset(job.runner()),
             fmt::format("the app starts with {}, a devDependency that the production install leaves out",
                         program));
  }
  std::vector<std::string> dropped = baseImageLeftOut(job);
  if (package.contains("devDependencies") && !package["devDependencies"].empty())
    dropped.push_back("the devDependencies");
  if (dropped.empty()) {
    notSplit(job.offset(job.stage.from),
             fmt::format("nothing to gain: package.json has no devDependencies and {} is "
                         "already lean",
                         job.runtime));
  }
  std::string unlocked = install.locked ? "" : "; no lock file pins the dependency versions";

  bool builds = !commandsOf(job, job.ecosystem, Role::Build).empty();
  std::optional<std::string> output = builds ? buildOutput(job, source, package, start) : std::nullopt;
  std::string script = installScript(package);
  const StageCommand* test = testCommand(job);
  std::string flags = source.flags.empty() ? "" : source.flags + " ";
  std::string owner = ownerFlag(job, source);
  Plan plan;
  plan.productionSteps += runnerSetup(job, install, runnerWords(job));
  if (script.empty() && ((builds && output) || (!builds && !test))) {
    std::string from = job.buildStage;
    std::string command = builds ? install.command : install.stageCommand;
    if (install.locked && !builds && !install.stageLocked)
      unlocked =
          "; the install runs before a COPY brings the lock file, so no lock pins the dependency versions";
    if (builds) {
      from = depsStageName(job);
      plan.stages = depsStage(job, install, from);
    } else {
      plan.buildEdits = productionInstallEdits(job, install);
    }
    plan.productionSteps += job.productionLine(
        "COPY",
        fmt::format("--from={} {}{} ./node_modules", from, owner, model::resolvePath(app, "node_modules")));
    plan.productionSteps += job.productionLine("COPY", fmt::format("{}{} .", flags, source.written));
    if (output) {
      plan.productionSteps +=
          job.productionLine("COPY", fmt::format("--from={} {}{} ./{}", job.buildStage, owner,
                                                 model::resolvePath(app, *output), *output));
    }
    plan.summary = fmt::format(
        "{} gets the production dependencies, which `{}` installs on {} in the {} stage, {}the app{}, "
        "without {}{}",
        job.runtime, command, job.base.written, from, output ? "" : "and ",
        output ? fmt::format(" and the build output {}", *output) : "", fmt::join(dropped, " and "),
        unlocked);
    return plan;
  }

  std::string why = !script.empty()
                        ? fmt::format("package.json has a {} script, which every install runs", script)
                    : test ? fmt::format("`{}` needs the devDependencies", shortened(test->command.text))
                           : fmt::format("dfopt cannot tell which directory {} writes", buildStepName(job));
  bool devDependencies = std::find(dropped.begin(), dropped.end(), "the devDependencies") != dropped.end();
  if (install.prune.empty() && devDependencies) {
    notSplit(
        job.offset(builds && !output ? job.runner() : job.stage.from),
        fmt::format("{}, and Yarn has no prune to leave the devDependencies out of the build stage", why));
  }
  if (builds && !output) checkBuildWritesOnlyApp(job);
  if (devDependencies) {
    const Instruction& last = job.instruction(job.facts.lastBuildStep);
    plan.buildEdits.push_back(
        engine::insertAfter(job.file, last, job.line(job.facts.lastBuildStep, "RUN", install.prune)));
  }
  plan.productionSteps +=
      job.productionLine("COPY", fmt::format("--from={} {}{} .", job.buildStage, owner, app));
  plan.summary = fmt::format(
      "{} gets the whole app directory {} of the build stage, {}with node_modules{} ({}), "
      "without {}{}",
      job.runtime, app, builds ? "build output included, " : "",
      devDependencies ? fmt::format(" after `{}`", install.prune) : "", why, fmt::join(dropped, " and "),
      unlocked);
  return plan;
}

}  // namespace dfopt::transforms::multi_stage
