// `dfopt verify`: proves a rewrite with real builds. The original and the
// rewritten Dockerfile are built from copies of the context in a temporary
// folder (the user's files are never written), a source file is edited in both
// copies and both are built again, and the images are compared: build result,
// size, layers, steps re-run after the edit, and the uid of the final user.
// Builders are run as programs with argument vectors, never through a shell.
#include "cli/verify_command.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <random>

#include <fmt/format.h>

#include "cli/builders.h"
#include "cli/input.h"
#include "cli/process.h"
#include "cli/rewrite.h"
#include "cli/verify_workspace.h"
#include "verify/report.h"
#include "verify/touch_file.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

struct VerifyOptions {
  std::string dockerfile = "Dockerfile";
  std::string builder = "auto";
  std::string touch;  // relative to the context; empty: picked
  TransformOptions transforms;
};

// One of the two Dockerfiles: where its copy lives, and what its builds gave.
struct Variant {
  std::string label;  // original, rewritten
  fs::path context;
  fs::path dockerfile;
  std::string tag;
  verify::BuildOutcome outcome;
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
  std::error_code ec;
  if (!fs::is_regular_file(options.dockerfile, ec)) {
    std::cerr << fmt::format("{}: error: {}\n", options.dockerfile,
                             fs::is_directory(options.dockerfile, ec) ? "is a directory" : "no such file");
    return false;
  }
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

// Prints the table and the verdict; the exit code.
int report(const Variant& before, const Variant& after, const std::optional<std::string>& touched) {
  for (const std::string& line : verify::tableLines(before.outcome, after.outcome, touched))
    std::cout << line << '\n';
  verify::Verdict verdict = verify::judge(before.outcome, after.outcome);
  std::cout << verify::verdictLine(before.outcome, after.outcome, verdict) << '\n';
  return verdict.ok ? kOk : kChanges;
}

int verify(const VerifyOptions& options) {
  if (!checkInput(options)) return kUsageOrInputError;
  auto builder = chooseBuilder(options.builder);
  if (!builder) return kUsageOrInputError;
  auto run = runOnFile(options.dockerfile, options.transforms);
  if (!run) return kUsageOrInputError;

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
  for (const engine::Finding& finding : run->outcome.findings) {
    if (finding.changes()) std::cerr << "  " << describeFinding(*run, finding) << '\n';
  }
  if (!run->outcome.changed()) {
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

  ImageJanitor janitor(*builder);
  janitor.track(before.tag);
  janitor.track(after.tag);
  buildAndRebuild(*builder, before, after, touched);
  return report(before, after, touched);
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
  addTransformOptions(*command, options->transforms);
  command->callback([options, &exitCode] { exitCode = verify(*options); });
}

}  // namespace dfopt::cli
