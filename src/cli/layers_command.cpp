#include "cli/layers_command.h"

#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/cache.h"
#include "cli/input.h"
#include "context/build_context.h"

namespace dfopt::cli {
namespace {

namespace fs = std::filesystem;

struct LayersOptions {
  std::vector<std::string> changed;
  std::string target;
  std::string context;
  std::string format = "text";
  std::string path = "Dockerfile";
};

// A --changed path as a context path; nothing (after an error) when it
// lies outside the context. Relative paths are relative to the context.
std::optional<std::string> contextPathOf(const std::string& changed, const fs::path& contextDir) {
  fs::path path(changed);
  if (path.is_absolute()) {
    std::error_code error;
    fs::path root = fs::weakly_canonical(contextDir, error);
    path = fs::weakly_canonical(path, error).lexically_relative(root);
    if (path.empty()) path = "..";
  }
  std::string cleaned = context::cleanPath(path.generic_string());
  if (cleaned == "." || cleaned == ".." || cleaned.starts_with("../")) {
    std::cerr << fmt::format("{}: error: --changed names a path outside the build context {}\n", changed,
                             contextDir.string());
    return std::nullopt;
  }
  return cleaned;
}

nlohmann::json stageValue(const model::Dockerfile& file, size_t stage) {
  const std::string& name = file.stages[stage].name;
  return name.empty() ? nlohmann::json(stage) : nlohmann::json(name);
}

std::string summary(const model::Dockerfile& file, const std::vector<analysis::Effects>& effects,
                    const analysis::CachePrediction& prediction, const std::vector<std::string>& changed) {
  size_t steps = 0, layers = 0, reruns = 0;
  std::vector<uint32_t> installs;
  for (const analysis::Step& step : prediction.steps) {
    if (!step.step) continue;
    ++steps;
    layers += step.layer;
    reruns += step.rerun;
    if (step.rerun && effects[step.index].installsDependencies) installs.push_back(file.lineOf(step.index));
  }
  if (changed.empty()) {
    return fmt::format("{} steps, {} of which make filesystem layers", steps, layers);
  }
  std::string what =
      fmt::format("changing {} re-runs {} of {} steps", fmt::join(changed, ", "), reruns, steps);
  if (installs.empty()) return what + ", no dependency install among them";
  return fmt::format("{}, including the dependency install at line{} {}", what,
                     installs.size() > 1 ? "s" : "", fmt::join(installs, ", "));
}

void printText(const model::Dockerfile& file, const std::vector<analysis::Effects>& effects,
               const analysis::CachePrediction& prediction, const std::vector<std::string>& changed) {
  std::cout << summary(file, effects, prediction, changed) << "\n\n";
  std::cout << fmt::format("{:>5}  {:<10} {:<5} {:<6} {}\n", "line", "stage", "layer", "re-run",
                           "instruction");
  for (const analysis::Step& step : prediction.steps) {
    std::string instruction = analysis::describe(file.instructions[step.index]);
    std::cout << fmt::format("{:>5}  {:<10} {:<5} {:<6} {}", file.lineOf(step.index),
                             file.stageLabel(step.stage), step.layer ? "yes" : "no",
                             step.rerun ? "yes" : "no", instruction);
    if (!step.reason.empty()) std::cout << "  <- " << step.reason;
    std::cout << "\n";
  }
}

void printJson(const model::Dockerfile& file, const analysis::CachePrediction& prediction,
               const std::vector<std::string>& changed) {
  nlohmann::json steps = nlohmann::json::array();
  for (const analysis::Step& step : prediction.steps) {
    steps.push_back({{"line", file.lineOf(step.index)},
                     {"stage", stageValue(file, step.stage)},
                     {"instruction", analysis::describe(file.instructions[step.index], SIZE_MAX)},
                     {"step", step.step},
                     {"layer", step.layer},
                     {"rerun", step.rerun},
                     {"reason", step.reason}});
  }
  nlohmann::json out = {
      {"target", stageValue(file, prediction.target)}, {"changed", changed}, {"steps", steps}};
  std::cout << out.dump(2) << "\n";
}

int runLayers(const LayersOptions& options) {
  std::string displayName;
  auto parsed = readDockerfile(options.path, displayName);
  if (!parsed) return kUsageOrInputError;
  const model::Dockerfile& file = *parsed->dockerfile;
  if (file.stages.empty()) {
    std::cerr << fmt::format("{}: error: the file has no FROM\n", displayName);
    return kUsageOrInputError;
  }
  fs::path contextDir =
      options.context.empty() ? fs::path(options.path).parent_path() : fs::path(options.context);
  if (options.path == "-" && options.context.empty()) contextDir = ".";
  if (contextDir.empty()) contextDir = ".";
  std::error_code error;
  if (!fs::is_directory(contextDir, error)) {
    std::cerr << fmt::format("{}: error: the build context is not a directory\n", contextDir.string());
    return kUsageOrInputError;
  }
  std::vector<std::string> changed;
  for (const std::string& path : options.changed) {
    auto cleaned = contextPathOf(path, contextDir);
    if (!cleaned) return kUsageOrInputError;
    changed.push_back(*cleaned);
  }
  size_t target = file.stages.size() - 1;
  if (!options.target.empty()) {
    auto named = analysis::stageNamed(file, options.target);
    if (!named) {
      std::cerr << fmt::format("{}: error: no stage is named {}\n", displayName, options.target);
      return kUsageOrInputError;
    }
    target = *named;
  }
  const auto& effects = analysis::analyzeEffects(file);
  analysis::StageGraph stages(file);
  auto context = context::BuildContext::fromDirectory(contextDir);
  auto prediction = analysis::predictCache(file, effects, stages, context, target, changed);
  if (options.format == "json") {
    printJson(file, prediction, changed);
  } else {
    printText(file, effects, prediction, changed);
  }
  return kOk;
}

}  // namespace

void addLayersCommand(CLI::App& app, int& exitCode) {
  auto options = std::make_shared<LayersOptions>();
  CLI::App* command = app.add_subcommand(
      "layers", "Show the build steps and layers, and which steps a change to context files re-runs");
  command
      ->add_option("--changed", options->changed,
                   "A context path that changed (relative to the context; repeatable)")
      ->allow_extra_args(false);
  command->add_option("--target", options->target, "The stage to build (default: the last)");
  command->add_option("--context", options->context, "Build context directory (default: the Dockerfile's)");
  command->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command->add_option("file", options->path, "Dockerfile to read, or - for stdin")->capture_default_str();
  command->callback([options, &exitCode] { exitCode = runLayers(*options); });
}

}  // namespace dfopt::cli
