// `dfopt config`: prints the configuration a Dockerfile runs with, as YAML
// with a comment after each value naming where it came from: default,
// FILE:LINE, or command line.
#include "cli/config_command.h"

#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "cli/config_files.h"
#include "cli/files.h"
#include "cli/input.h"
#include "cli/rewrite.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

struct ConfigCommandOptions {
  std::string dockerfile = "Dockerfile";
  TransformOptions transforms;
};

template <typename T>
std::string flow(const T& value) {
  YAML::Emitter out;
  out << YAML::Flow << value;
  return out.c_str();
}

std::string flow(const engine::BaseImageFacts& facts) {
  YAML::Emitter out;
  out << YAML::Flow << YAML::BeginMap;
  if (!facts.like.empty()) out << YAML::Key << "like" << YAML::Value << facts.like;
  if (!facts.family.empty()) out << YAML::Key << "family" << YAML::Value << facts.family;
  out << YAML::EndMap;
  return out.c_str();
}

struct Line {
  std::string text;
  std::string origin;
};

template <typename T>
Line line(std::string_view key, const std::optional<config::Setting<T>>& setting, const T& defaultValue,
          std::string defaultNote = "") {
  if (setting) return {fmt::format("{}: {}", key, flow(setting->value)), setting->origin};
  return {fmt::format("{}: {}", key, flow(defaultValue)), "default" + defaultNote};
}

std::vector<Line> settingLines(const config::Settings& settings) {
  const engine::Options defaults;
  const std::vector<std::string> none;
  std::vector<Line> lines{
      line("only", settings.only, none, " (every transform)"),
      line("skip", settings.skip, none),
      line("user", settings.user, defaults.user),
      line("uid", settings.uid, defaults.uid),
      line("runtime-image", settings.runtimeImage, defaults.runtimeImage, " (derived from the build image)"),
      line("unsafe-fixes", settings.unsafeFixes, defaults.unsafeFixes),
      line("max-input-size", settings.maxInputSize, uint64_t{kDefaultMaxInputSize}, " (10 MB)"),
  };
  if (settings.baseImages.empty()) {
    lines.push_back({"base-images: {}", "default"});
  } else {
    lines.push_back({"base-images:", ""});
    for (const auto& [image, facts] : settings.baseImages)
      lines.push_back({fmt::format("  {}: {}", flow(image), flow(facts.value)), facts.origin});
  }
  return lines;
}

void print(const std::vector<Line>& lines) {
  size_t width = 0;
  for (const Line& entry : lines) width = std::max(width, entry.text.size());
  for (const Line& entry : lines) {
    if (entry.origin.empty()) {
      std::cout << entry.text << '\n';
    } else {
      std::cout << fmt::format("{:<{}}  # {}\n", entry.text, width, entry.origin);
    }
  }
}

std::string header(const std::string& dockerfile, const ConfigFiles::Found& found,
                   const TransformOptions& options) {
  std::string name = dockerfile == "-" ? "<stdin>" : dockerfile;
  if (options.noConfig) return fmt::format("# {}: no configuration file (--no-config)", name);
  if (!found.config) {
    return fmt::format("# {}: no configuration file (no {} from {} up to the repository root)", name,
                       ".dfopt.yaml", displayPath(found.searched));
  }
  std::string text = fmt::format("# {}: configured by {}", name, found.config->path);
  std::vector<std::string> applied;
  for (const config::Override& entry : found.config->overrides) {
    if (entry.files.matches(found.relativePath)) applied.push_back(entry.origin);
  }
  if (!applied.empty())
    text += fmt::format("\n# overrides that match {}: {}", found.relativePath, fmt::join(applied, ", "));
  return text;
}

int runConfig(ConfigCommandOptions& options) {
  std::string dockerfile = options.dockerfile;
  std::error_code ec;
  if (dockerfile != "-" && fs::is_directory(dockerfile, ec))
    dockerfile = (fs::path(dockerfile) / "Dockerfile").string();
  if (!validateTransformNames(options.transforms)) return kUsageOrInputError;
  auto effective = effectiveSettings(dockerfile, options.transforms);
  if (!effective) return kUsageOrInputError;
  std::cout << header(dockerfile, effective->found, options.transforms) << '\n';
  std::vector<Line> lines = settingLines(effective->settings);
  const config::Config* config = effective->found.config;
  if (config && !config->excludeOrigin.empty()) {
    lines.push_back({fmt::format("exclude: {}", flow(config->exclude.written)), config->excludeOrigin});
  } else {
    lines.push_back({"exclude: []", "default"});
  }
  print(lines);
  return kOk;
}

}  // namespace

void addConfigCommand(CLI::App& app, int& exitCode) {
  auto options = std::make_shared<ConfigCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "config", "Print the configuration a Dockerfile runs with, and where each value comes from");
  command->add_option("dockerfile", options->dockerfile,
                      "The Dockerfile, or its directory (default: ./Dockerfile; - for standard input)");
  addTransformOptions(*command, options->transforms);
  command->callback([options, &exitCode] { exitCode = runConfig(*options); });
}

}  // namespace dfopt::cli
