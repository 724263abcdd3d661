// The recipes of compiled programs: the production stage gets only what the
// build makes. Go: a static binary on distroless; Java (Maven, Gradle): the
// jar on a JRE; Rust (Cargo): the program on a slim image. The app's
// commands are rewritten to start the copied program.
#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include "engine/ecosystem.h"
#include "model/queries.h"
#include "model/variables.h"
#include "transforms/multi_stage/manifests.h"
#include "transforms/multi_stage/runtime_files.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::baseName;
using text::contains;
using text::dirName;
using text::hasGlob;
using text::isOneOf;

std::string jsonArray(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + jsonQuote(values[i]);
  return out + "]";
}

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
    if (word == "--") {  // the end of the flags, as Go's flag package reads them
      for (++i; i < words.size(); ++i) parsed.packages.push_back(words[i].value);
      break;
    }
    size_t nameStart = word.find_first_not_of('-');
    if (!word.starts_with("-") || nameStart == std::string::npos) {  // "-" is no flag
      parsed.packages.push_back(word);
      continue;
    }
    std::string name = word.substr(nameStart);
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
constexpr int kNonrootUid = 65532;

// Does the stage run on the build machine's platform (FROM
// --platform=$BUILDPLATFORM), the build stage of a cross-build?
bool onBuildPlatform(const Job& job) {
  const model::Flag* flag = job.instruction(job.stage.from).flag("platform");
  return flag && isOneOf("BUILDPLATFORM", model::variableNames(flag->value));
}

bool declaresArg(const Job& job, std::string_view name) {
  for (size_t i = job.stage.from + 1; i < job.stage.end; ++i) {
    if (!job.instruction(i).is("arg")) continue;
    for (const auto& arg : job.instruction(i).buildkit.next) {
      if (arg.value.substr(0, arg.value.find('=')) == name) return true;
    }
  }
  return false;
}

// Does the go build make a binary for the target platform, as the author
// wrote it: GOARCH set from $TARGETARCH (on the command, by an export before
// it in the same RUN, or by ENV), which an ARG of the stage declares?
bool goBuildsForTarget(const Job& job, const StageCommand& build) {
  std::optional<std::string> goarch = envValue(job, "GOARCH");
  auto readAssignments = [&](const std::vector<SourceWord>& words) {
    for (const SourceWord& word : words) {
      if (word.value.starts_with("GOARCH=")) goarch = word.value.substr(7);
    }
  };
  for (const StageCommand& command : job.facts.commands) {
    if (command.index == build.index && command.command.name() == "export" &&
        command.command.range.begin < build.command.range.begin) {
      readAssignments(command.command.words);
    }
  }
  readAssignments(build.command.assignments);
  return goarch && isOneOf("TARGETARCH", model::variableNames(*goarch)) && declaresArg(job, "TARGETARCH");
}

std::string goSummary(const Job& job, const std::vector<RuntimeFile>& files) {
  if (files.empty()) {
    return fmt::format("{} gets only the static binary, without the Go tool chain and the source",
                       job.runtime);
  }
  return fmt::format(
      "{} gets the static binary and what it reads at run time from {} ({}), without the Go tool chain and "
      "the source",
      job.runtime, job.facts.workdir, runtimeFileList(job, files));
}

}  // namespace

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
  if (onBuildPlatform(job)) {
    if (!goBuildsForTarget(job, command)) {
      notSplit(job.offset(command.index),
               "the stage runs on $BUILDPLATFORM and go build does not set GOARCH from $TARGETARCH: the "
               "binary is for the build machine, and the production stage is of the target platform");
    }
    plan.leavesBuildPlatform = true;
  }
  std::string artifact = addOutput ? std::string(kGoOutput) : output;
  std::vector<RuntimeFile> files = runtimeFiles(job, artifact);
  // the production WORKDIR must not be where the binary goes
  std::string program =
      !files.empty() && text::isUnder(job.facts.workdir, kGoProgram) ? artifact : std::string(kGoProgram);
  bool ownedWorkdir = !runtimeHasShell(job) && job.runtime != "scratch" && job.facts.workdir != "/";
  if (ownedWorkdir) program = model::resolvePath(job.facts.workdir, baseName(output));
  for (size_t index : runtimeCommands(job))
    plan.rewrites[index] = programRewrite(job, index, output, program, true);
  plan.workdir = !files.empty() && !ownedWorkdir;
  if (ownedWorkdir) {
    // Nothing can chown the WORKDIR in an image without a shell, so the
    // binary's copy creates it, owned by the image's unprivileged user
    // (distroless and Chainguard: nonroot, uid 65532), and the program runs
    // in the working directory it had, where it may write.
    plan.productionSteps =
        job.productionLine("COPY", fmt::format("--from={} --chown={}:{} {} {}", job.buildStage, kNonrootUid,
                                               kNonrootUid, artifact, program)) +
        job.productionLine("WORKDIR", job.facts.workdir) + runtimeFileCopies(job, files);
  } else {
    plan.productionSteps =
        job.productionLine("COPY", fmt::format("--from={} {} {}", job.buildStage, artifact, program)) +
        runtimeFileCopies(job, files);
  }
  plan.summary = goSummary(job, files);
  if (ownedWorkdir) {
    plan.summary += fmt::format(
        "; the binary's copy creates the WORKDIR {} owned by uid {}, the image's nonroot "
        "user, as the image has no shell to chown it",
        job.facts.workdir, kNonrootUid);
  }
  if (plan.leavesBuildPlatform)
    plan.summary += "; production is of the target platform the build compiles for";
  return plan;
}

namespace {

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

}  // namespace

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
  plan.leavesBuildPlatform = onBuildPlatform(job);  // a jar runs on any platform
  std::vector<RuntimeFile> files = runtimeFiles(job, jarPath);
  plan.rewrites[job.runner()] = {replaceWord(jar, json, "app.jar")};
  plan.productionSteps =
      job.productionLine("COPY", fmt::format("--from={} {} app.jar", job.buildStage, jarPath)) +
      runtimeFileCopies(job, files);
  plan.summary =
      files.empty()
          ? fmt::format("{} gets only the jar, without the JDK, {} and the source", job.runtime,
                        toolName(job.ecosystem))
          : fmt::format(
                "{} gets the jar and what it reads at run time from {} ({}), without the JDK, {} and "
                "the source",
                job.runtime, job.facts.workdir, runtimeFileList(job, files), toolName(job.ecosystem));
  if (plan.leavesBuildPlatform)
    plan.summary += "; production is of the target platform, as a jar runs on any";
  return plan;
}

namespace {

// Names of the programs a Cargo.toml builds: its [[bin]] targets and the package.
std::vector<std::string> cargoPrograms(const toml::table& manifest) {
  std::vector<std::string> names;
  if (const toml::array* bins = manifest["bin"].as_array()) {
    for (const toml::node& bin : *bins) {
      if (auto name = bin.at_path("name").value<std::string>()) names.push_back(*name);
    }
  }
  if (auto name = manifest.at_path("package.name").value<std::string>()) names.push_back(*name);
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
  std::string path = engine::contextPath(source.source, "Cargo.lock");
  auto text = job.context.read(path);
  if (!text) return;
  toml::table lock = parseTomlFile(*text, path, job.offset(source.index));
  if (isOneOf("openssl-sys", lockedPackages(lock))) {
    notSplit(job.offset(job.stage.from),
             fmt::format("the program links OpenSSL (openssl-sys in Cargo.lock), which {} "
                         "lacks",
                         job.runtime));
  }
}

}  // namespace

Plan cargoPlan(const Job& job) {
  if (onBuildPlatform(job)) {
    notSplit(job.offset(job.stage.from),
             "the stage runs on $BUILDPLATFORM, and dfopt cannot tell whether cargo builds for the target "
             "platform");
  }
  SourceWord program = runnerProgram(job);
  std::string workdir = workdirAt(job.file, job.runner());
  for (const StageCommand* build : commandsOf(job, Tool::Cargo, Role::Build)) {
    std::string directory = cargoOutputDirectory(job, *build);
    const DirectoryCopy& source = copyHolding(job, build->workdir, "Cargo.toml");
    std::vector<std::string> names = cargoPrograms(readTomlManifest(job, source, "Cargo.toml"));
    std::string name(baseName(program.value));
    if (!program.plain || !isOneOf(name, names) || !runsFile(program.value, workdir, directory + "/" + name))
      continue;
    checkNoOpenSsl(job, source);
    std::string artifact = directory + "/" + name;
    Plan plan;
    bool exec = !runtimeHasShell(job);
    for (size_t index : runtimeCommands(job))
      plan.rewrites[index] = programRewrite(job, index, artifact, name, exec);
    std::vector<RuntimeFile> files = runtimeFiles(job, artifact);
    plan.workdir = !files.empty();
    plan.productionSteps = job.productionLine("COPY", fmt::format("--from={} {} /usr/local/bin/{}",
                                                                  job.buildStage, artifact, name)) +
                           runtimeFileCopies(job, files);
    plan.summary =
        files.empty()
            ? fmt::format("{} gets only the program, without the Rust tool chain and the source", job.runtime)
            : fmt::format(
                  "{} gets the program and what it reads at run time from {} ({}), without the Rust "
                  "tool chain and the source",
                  job.runtime, job.facts.workdir, runtimeFileList(job, files));
    return plan;
  }
  notSplit(job.offset(job.runner()), fmt::format("the {} does not start a program cargo builds",
                                                 job.instruction(job.runner()).keyword));
}

}  // namespace dfopt::transforms::multi_stage
