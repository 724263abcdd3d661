#include "cli/rewrite.h"

#include <iostream>

#include <fmt/format.h>

#include "cli/config_files.h"
#include "cli/context_cache.h"
#include "cli/image_digests.h"
#include "cli/input.h"
#include "cli/input_limit.h"
#include "engine/ignores.h"
#include "model/parse.h"
#include "transforms/base_tag.h"
#include "transforms/transforms.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

void addTransformOptions(CLI::App& command, TransformOptions& options) {
  command.add_option("--only", options.only, "Run only these transforms (comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  command.add_option("--skip", options.skip, "Skip these transforms (comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  command.add_option("--context", options.context,
                     "Build context directory (default: the Dockerfile's directory)");
  command.add_option("--user", options.engine.user, "Name of the non-root user to create")
      ->capture_default_str();
  command.add_option("--uid", options.engine.uid, "uid and gid of that user")->capture_default_str();
  command.add_option("--runtime-image", options.engine.runtimeImage,
                     "Base image of the production stage (default: derived from the build image)");
  command.add_flag("--unsafe-fixes", options.engine.unsafeFixes,
                   "Apply fixes marked unsafe too (they may change what the image does)");
  command.add_flag(
      "--pin-digests", options.engine.pinDigests,
      "Ask docker/podman for the digest of base images without a tag or with latest, to pin them");
  addConfigOptions(command, options);
  addInputLimitOption(command, options.maxInputSize);
}

bool validateTransformNames(const TransformOptions& options) {
  std::vector<std::string> names;
  for (const engine::Transform* t : transforms::all()) names.emplace_back(t->name());
  names.emplace_back(engine::kIgnoreChecks);  // the pipeline's checks of the inline ignores
  for (const auto* list : {&options.only, &options.skip}) {
    for (const std::string& name : *list) {
      if (!transforms::find(name) && name != engine::kIgnoreChecks) {
        std::cerr << fmt::format("error: unknown transform '{}' (known: {})\n", name, fmt::join(names, ", "));
        return false;
      }
    }
  }
  return true;
}

namespace {

// The builder's digests of the base images base-tag would pin; none when
// the file does not parse (the pipeline reports that).
std::map<std::string, std::string, std::less<>> digestsFor(const std::string& bytes) {
  model::ParseOutcome parsed = model::parseDockerfile(bytes);
  if (!parsed.dockerfile) return {};
  return resolveImageDigests(transforms::unpinnedBaseImages(*parsed.dockerfile));
}

}  // namespace

std::optional<FileRun> runOnFile(const std::string& path, const TransformOptions& given,
                                 std::ostream& errors) {
  auto configured = withConfiguration(path, given);
  if (!configured) return std::nullopt;
  const TransformOptions& options = *configured;
  auto input = readInput(path, errors, options.maxInputSize);
  if (!input) return std::nullopt;
  FileRun run;
  run.path = path;
  run.displayName = input->displayName;
  run.stamp = input->stamp;
  if (!options.context.empty()) {
    run.contextDir = options.context;
  } else {
    run.contextDir = path == "-" ? fs::path(".") : fs::path(path).parent_path();
    if (run.contextDir.empty()) run.contextDir = ".";
  }
  std::error_code ec;
  if (!fs::is_directory(run.contextDir, ec)) {
    errors << fmt::format("{}: error: the build context is not a directory\n", run.contextDir.string());
    return std::nullopt;
  }
  auto context = sharedContext(run.contextDir, errors);
  engine::Options engineOptions = options.engine;
  if (path != "-") engineOptions.fileName = fs::path(path).filename().string();
  if (engineOptions.pinDigests) engineOptions.imageDigests = digestsFor(input->bytes);
  run.outcome = engine::runPipeline(std::move(input->bytes), context, engineOptions, transforms::all(),
                                    options.selection());
  if (!run.outcome.inputErrors.empty()) {
    model::ParseOutcome parsed{run.outcome.inputSource, std::nullopt, run.outcome.inputErrors, nullptr,
                               nullptr};
    reportProblems(run.displayName, parsed, errors);
    errors << fmt::format("{}: error: not rewritten: the file does not parse\n", run.displayName);
    return std::nullopt;
  }
  if (run.outcome.failure) {
    errors << fmt::format("{}: error: not rewritten: {}\n", run.displayName, *run.outcome.failure);
    return std::nullopt;
  }
  return run;
}

std::string describeFinding(const FileRun& run, const engine::Finding& finding) {
  syntax::Position at = run.outcome.inputSource->position(finding.offset);
  return fmt::format("{}:{}:{}: {} [{}] {}{}", run.displayName, at.line, at.column,
                     engine::severityName(finding.severity), finding.transform, finding.message,
                     engine::fixLabel(finding));
}

}  // namespace dfopt::cli
