// `dfopt verify`: proves a rewrite with real builds. The original and the
// rewritten Dockerfile are built from copies of the context in a temporary
// folder (the user's files are never written), a source file is edited in both
// copies and both are built again, and the images are compared: build result,
// size, layers, steps re-run after the edit, and the uid of the final user.
// With --run both images are also started and their behaviour compared
// (cli/container_run). Builders are run as programs with argument vectors,
// never through a shell.
#include "cli/verify_command.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <random>

#include <fmt/format.h>

#include "cli/builders.h"
#include "cli/container_run.h"
#include "cli/input.h"
#include "cli/process.h"
#include "cli/rewrite.h"
#include "cli/signal_cleanup.h"
#include "cli/verify_workspace.h"
#include "verify/report.h"
#include "verify/run_check.h"
#include "verify/touch_file.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

struct VerifyOptions {
  std::string dockerfile = "Dockerfile";
  std::string builder = "auto";
  std::string touch;      // relative to the context; empty: picked
  std::string rewritten;  // a Dockerfile to verify instead of dfopt's rewrite
  ContainerRunOptions run;
  TransformOptions transforms;
};

// One of the two Dockerfiles: where its copy lives, and what its builds gave.
struct Variant {
  std::string label;  // original, rewritten
  fs::path context;
  fs::path dockerfile;
  std::string tag;
  verify::BuildOutcome outcome;
  verify::RunOutcome run;
};

// Its context copy is temp/NAME, its Dockerfile temp/Dockerfile.NAME (out of
// the context, as the user's may be), its image TAGBASE:NAME.
Variant makeVariant(std::string label, const fs::path& temp, const std::string& name,
                    const std::string& tagBase) {
  Variant variant;
  variant.label = std::move(label);
  variant.context = temp / name;
  variant.dockerfile = temp / ("Dockerfile." + name);
  variant.tag = tagBase + ":" + name;
  return variant;
}

std::string randomSuffix() {
  std::random_device device;
  return fmt::format("{}-{:08x}", ::getpid(), device());
}

void build(const Builder& builder, Variant& variant) {
  std::cerr << fmt::format("dfopt verify: building the {} image with {} ...\n", variant.label, builder.name);
  ProcessResult result = runProcess(buildCommand(builder, variant.dockerfile, variant.tag, variant.context));
  verify::BuildOutcome& outcome = variant.outcome;
  outcome.built = result.ok();
  outcome.buildSeconds = result.seconds;
  if (!outcome.built) {
    std::cerr << fmt::format("dfopt verify: the {} image does not build:\n{}\n", variant.label,
                             lastLines(result.output, 25));
    return;
  }
  outcome.facts = inspectImage(builder, variant.tag);
  outcome.user = resolveUser(builder, variant.tag, outcome.facts.user);
}

void rebuild(const Builder& builder, Variant& variant) {
  std::cerr << fmt::format("dfopt verify: rebuilding the {} image after the edit ...\n", variant.label);
  ProcessResult result = runProcess(buildCommand(builder, variant.dockerfile, variant.tag, variant.context));
  verify::BuildOutcome& outcome = variant.outcome;
  outcome.rebuilt = result.ok();
  outcome.rebuildSeconds = result.seconds;
  if (outcome.rebuilt) {
    outcome.rebuild = verify::countSteps(result.output);
  } else {
    std::cerr << fmt::format("dfopt verify: the {} image does not rebuild:\n{}\n", variant.label,
                             lastLines(result.output, 25));
  }
}

// The Dockerfile exists, the transform names are known and --touch names a
// file of the context; otherwise prints why and returns false.
bool checkInput(const VerifyOptions& options) {
  if (!validateTransformNames(options.transforms)) return false;
  for (const std::string& file : {options.dockerfile, options.rewritten}) {
    std::error_code ec;
    if (file.empty() || fs::is_regular_file(file, ec)) continue;
    std::cerr << fmt::format("{}: error: {}\n", file,
                             fs::is_directory(file, ec) ? "is a directory" : "no such file");
    return false;
  }
  for (const std::string& variable : options.run.env) {
    if (variable.find('=') == std::string::npos || variable.front() == '=') {
      std::cerr << fmt::format("error: --env wants KEY=VALUE, not {}\n", variable);
      return false;
    }
  }
  bool runOnly =
      !options.run.env.empty() || !options.run.publish.empty() || !options.run.probeCommand.empty();
  if (runOnly && !options.run.run) {
    std::cerr << "error: --env, --publish and --probe-command need --run\n";
    return false;
  }
  return true;
}

// --rewritten: that file is the rewrite, and dfopt writes no other file.
bool useGivenRewrite(const std::string& path, FileRun& run) {
  std::optional<InputFile> input = readInput(path);
  if (!input) return false;
  run.outcome.after = input->bytes;
  run.outcome.files.clear();
  return true;
}

// Fills both copies: the original's context with its Dockerfile, and the
// rewrite's with its Dockerfile and the files it writes. Prints why and
// returns false when it cannot.
bool prepareCopies(const FileRun& run, const context::BuildContext& original,
                   const context::Dockerignore& rewrittenIgnore, const Variant& before,
                   const Variant& after) {
  for (auto [variant, ignore] :
       {std::pair{&before, &original.dockerignore()}, std::pair{&after, &rewrittenIgnore}}) {
    if (auto error = copyContext(run.contextDir, variant->context, *ignore)) {
      std::cerr << fmt::format("{}: error: cannot copy the build context: {}\n", run.contextDir.string(),
                               *error);
      return false;
    }
  }
  bool written =
      writeFile(before.dockerfile, run.outcome.before) && writeFile(after.dockerfile, run.outcome.after);
  for (const engine::FileChange& file : run.outcome.files)
    written = written && writeFile(after.context / file.path, file.after);
  if (!written) std::cerr << "error: cannot write to the temporary folder\n";
  return written;
}

// The .dockerignore the rewrite builds with: the one it writes, or the context's.
context::Dockerignore rewrittenDockerignore(const FileRun& run, const context::BuildContext& original) {
  std::optional<std::string> text = original.dockerignoreText();
  for (const engine::FileChange& file : run.outcome.files) {
    if (file.path == ".dockerignore") text = file.after;
  }
  return context::Dockerignore::parse(text.value_or(""));
}

// Builds both, edits `touched` in the copies that built and builds them again.
void buildAndRebuild(const Builder& builder, Variant& before, Variant& after,
                     const std::optional<std::string>& touched) {
  build(builder, before);
  build(builder, after);
  if (!touched) return;
  for (Variant* variant : {&before, &after}) {
    if (!variant->outcome.built) continue;
    appendTo(variant->context / *touched, verify::touchSuffix(*touched));
    rebuild(builder, *variant);
  }
}

// Runs the images that built, one after the other (they may publish the
// same host ports); prints the logs of a rewrite that stopped.
void runBoth(const Builder& runner, Variant& before, Variant& after, const ContainerRunOptions& options) {
  for (Variant* variant : {&before, &after}) {
    if (!variant->outcome.built) continue;
    std::string name = "dfopt-verify-" + variant->tag.substr(variant->tag.rfind('-') + 1);
    std::replace(name.begin(), name.end(), ':', '-');
    variant->run = runAndProbe(runner, variant->tag, name, variant->outcome.facts, options);
    if (variant->run.started && !variant->run.running)
      std::cerr << fmt::format("dfopt verify: the {} container stopped; its last output:\n{}\n",
                               variant->label, variant->run.logs);
    if (!variant->run.started)
      std::cerr << fmt::format("dfopt verify: the {} image does not start:\n{}\n", variant->label,
                               variant->run.error);
  }
}

// Prints the table and the verdict; the exit code.
int report(const Variant& before, const Variant& after, const std::optional<std::string>& touched,
           const ContainerRunOptions& run) {
  std::vector<std::array<std::string, 4>> more;
  if (run.run) more = verify::runRows(before.run, after.run, run.settleSeconds, run.probePath);
  for (const std::string& line : verify::tableLines(before.outcome, after.outcome, touched, more))
    std::cout << line << '\n';
  verify::Verdict verdict = verify::judge(before.outcome, after.outcome);
  if (run.run) {
    verify::Verdict ran = verify::judgeRun(before.run, after.run);
    verdict.ok = verdict.ok && ran.ok;
    verdict.reasons.insert(verdict.reasons.end(), ran.reasons.begin(), ran.reasons.end());
  }
  std::cout << verify::verdictLine(before.outcome, after.outcome, verdict, run.run) << '\n';
  return verdict.ok ? kOk : kChanges;
}

int verify(const VerifyOptions& options) {
  if (!checkInput(options)) return kUsageOrInputError;
  auto builder = chooseBuilder(options.builder);
  if (!builder) return kUsageOrInputError;
  std::optional<Builder> runner;
  if (options.run.run && !(runner = chooseRunner(*builder))) return kUsageOrInputError;
  auto run = runOnFile(options.dockerfile, options.transforms);
  if (!run) return kUsageOrInputError;
  if (!options.rewritten.empty() && !useGivenRewrite(options.rewritten, *run)) return kUsageOrInputError;

  std::optional<std::string> touched;
  if (!options.touch.empty()) {
    touched = touchTarget(options.touch, run->contextDir);
    if (!touched) {
      std::cerr << fmt::format("{}: error: --touch names no file in the build context {}\n", options.touch,
                               run->contextDir.string());
      return kUsageOrInputError;
    }
  }
  std::cerr << fmt::format("dfopt verify: {} with {}\n", run->displayName, builder->name);
  if (options.rewritten.empty()) {
    for (const engine::Finding& finding : run->outcome.findings) {
      if (finding.changes()) std::cerr << "  " << describeFinding(*run, finding) << '\n';
    }
  } else {
    std::cerr << fmt::format("  the rewrite is {} (--rewritten)\n", options.rewritten);
  }
  if (!run->outcome.changed() && options.rewritten.empty()) {
    std::cout << fmt::format("{}: nothing to verify: dfopt fix changes nothing\n", run->displayName);
    return kOk;
  }

  TempDir temp;
  if (temp.path().empty()) {
    std::cerr << fmt::format("error: cannot create a temporary folder: {}\n", std::strerror(errno));
    return kUsageOrInputError;
  }
  std::string tagBase = "localhost/dfopt-verify-" + randomSuffix();
  Variant before = makeVariant("original", temp.path(), "before", tagBase);
  Variant after = makeVariant("rewritten", temp.path(), "after", tagBase);
  auto original = context::BuildContext::fromDirectory(run->contextDir);
  const context::Dockerignore rewrittenIgnore = rewrittenDockerignore(*run, original);
  if (!prepareCopies(*run, original, rewrittenIgnore, before, after)) return kUsageOrInputError;
  if (!touched) touched = verify::pickTouchFile(original, rewrittenIgnore);

  installSignalCleanup();
  ImageJanitor janitor(*builder);
  for (const std::string& tag : {before.tag, after.tag}) {
    janitor.track(tag);
    onSignal({builder->program, "rmi", "-f", tag});
  }
  buildAndRebuild(*builder, before, after, touched);
  if (runner) runBoth(*runner, before, after, options.run);
  return report(before, after, touched, options.run);
}

}  // namespace

void addVerifyCommand(CLI::App& app, int& exitCode) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* command = app.add_subcommand(
      "verify", "Build the Dockerfile and its rewrite with docker, podman or buildah and compare them");
  command->add_option("dockerfile", options->dockerfile, "The Dockerfile (default: ./Dockerfile)");
  command
      ->add_option("--builder", options->builder,
                   "Which builder to run (auto: docker, then podman, then buildah)")
      ->check(CLI::IsMember({"auto", "docker", "podman", "buildah"}))
      ->capture_default_str();
  command->add_option("--touch", options->touch,
                      "The source file to edit before the rebuilds (default: one the tool picks)");
  command->add_option(
      "--rewritten", options->rewritten,
      "Verify this Dockerfile as the rewrite instead of dfopt's (built from the same context)");
  command->add_flag("--run", options->run.run,
                    "Also run both images and compare them: still running, HTTP answers, uid of PID 1");
  command->add_option("--env", options->run.env, "KEY=VALUE for both containers (repeatable; with --run)")
      ->allow_extra_args(false);
  command
      ->add_option("--publish", options->run.publish,
                   "A port to publish, as docker run -p (repeatable; default: the EXPOSEd TCP ports on "
                   "127.0.0.1, at free host ports)")
      ->allow_extra_args(false);
  command->add_option("--probe", options->run.probePath, "The path each published port is asked with GET")
      ->capture_default_str();
  command->add_option(
      "--probe-command", options->run.probeCommand,
      "A command run inside both containers with sh -c; its exit code and output are compared");
  command
      ->add_option("--run-timeout", options->run.timeoutSeconds,
                   "Seconds to wait for the published ports to answer")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command
      ->add_option("--settle", options->run.settleSeconds,
                   "Seconds to wait, once they answer, before checking both still run")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  addTransformOptions(*command, options->transforms);
  command->callback([options, &exitCode] { exitCode = verify(*options); });
}

}  // namespace dfopt::cli
