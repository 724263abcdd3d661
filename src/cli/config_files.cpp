#include "cli/config_files.h"

#include <iostream>

#include <fmt/format.h>

#include "cli/files.h"
#include "cli/input.h"
#include "cli/rewrite.h"
#include "transforms/transforms.h"
#include "util/normal_path.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kFileName = ".dfopt.yaml";

std::vector<std::string> transformNames() {
  std::vector<std::string> names;
  for (const engine::Transform* transform : transforms::all()) names.emplace_back(transform->name());
  return names;
}

template <typename T>
void set(std::optional<config::Setting<T>>& setting, const T& value) {
  setting = config::Setting<T>{value, "command line"};
}

// parent_path() of an absolute path other than "/", by its text (a walk
// asks for every folder and file, and fs::path parses every name of each
// path it makes).
std::string parentOfAbsolute(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == 0 ? std::string("/") : path.substr(0, slash);
}

// The folder above `dir` that discovery goes on to, if any.
std::optional<std::string> parentToSearch(const std::string& dir) {
  if (!dir.starts_with('/')) {
    fs::path path(dir);
    if (path == path.root_path() || !path.has_parent_path()) return std::nullopt;
    return path.parent_path().native();
  }
  if (dir == "/") return std::nullopt;
  return parentOfAbsolute(dir);
}

// The folder of a Dockerfile named by a normal path (a walk's are), by its
// text: lexicallyNormal(its absolute path's parent_path()) without fs::path's
// parse of every name. Nothing for another path.
std::optional<std::string> normalFolderOf(const std::string& dockerfile) {
  if (dockerfile == "-") return std::nullopt;
  static const std::string workingDirectory = absoluteFromWorkingDirectory("").native();
  std::string absolute = dockerfile;
  if (!dockerfile.starts_with('/')) {
    if (!workingDirectory.starts_with('/')) return std::nullopt;
    absolute = workingDirectory + (workingDirectory.ends_with('/') ? "" : "/") + dockerfile;
  }
  // A relative path that is not normal makes an absolute one that is not either.
  if (!util::isLexicallyNormal(absolute)) return std::nullopt;
  return parentOfAbsolute(absolute);
}

}  // namespace

std::optional<const config::Config*> ConfigFiles::read(const fs::path& file, const std::string& shown) {
  fs::path key = util::lexicallyNormal(absoluteFromWorkingDirectory(file));
  std::lock_guard lock(mutex_);
  if (auto known = read_.find(key.native()); known != read_.end()) {
    if (!known->second) return std::nullopt;  // its errors were printed
    return &*known->second;
  }
  auto input = readInput(file.string());
  if (!input) {
    read_.emplace(key.native(), std::nullopt);
    return std::nullopt;
  }
  config::ParseOutcome parsed = config::parse(input->bytes, shown, transformNames());
  for (const config::Error& error : parsed.errors) std::cerr << config::describe(shown, error) << '\n';
  auto [entry, inserted] = read_.emplace(key.native(), std::move(parsed.config));
  if (!entry->second) return std::nullopt;
  return &*entry->second;
}

// The first .dfopt.yaml from `dir` up to the directory holding .git (a
// folder, or a file in a worktree or submodule), or to the file system's
// root. Each directory's answer is kept, a parent's too: a walk over many
// folders asks the file system twice per folder it did not read itself,
// not twice per folder and each one above it.
std::optional<fs::path> ConfigFiles::discovered(const std::string& dir) {
  bool holdsNeither = false;
  {
    std::lock_guard lock(mutex_);
    if (auto known = discovered_.find(dir); known != discovered_.end()) return known->second;
    holdsNeither = withoutConfig_.contains(dir);
  }
  std::error_code ec;
  std::optional<fs::path> found;
  if (!holdsNeither && fs::is_regular_file(fs::path(dir) / kFileName, ec)) {
    found = fs::path(dir) / kFileName;
  } else if (holdsNeither || !fs::exists(fs::path(dir) / ".git", ec)) {
    if (std::optional<std::string> parent = parentToSearch(dir)) found = discovered(*parent);
  }
  std::lock_guard lock(mutex_);
  return discovered_.emplace(dir, found).first->second;
}

void ConfigFiles::knowDirectory(const fs::path& directory,
                                const std::vector<context::DirectoryEntry>& entries) {
  for (const context::DirectoryEntry& entry : entries) {
    if (entry.name == kFileName || entry.name == ".git") return;
  }
  std::string key = directoryKey(absoluteFromWorkingDirectory(directory));
  std::lock_guard lock(mutex_);
  withoutConfig_.insert(std::move(key));
}

std::optional<ConfigFiles::Found> ConfigFiles::forFile(const std::string& dockerfile,
                                                       const TransformOptions& options) {
  if (options.noConfig) return Found{};
  {
    std::lock_guard lock(mutex_);
    if (auto known = found_.find(dockerfile); known != found_.end()) return known->second;
  }
  std::optional<Found> found = find(dockerfile, options);
  std::lock_guard lock(mutex_);
  return found_.emplace(dockerfile, std::move(found)).first->second;
}

std::optional<ConfigFiles::Found> ConfigFiles::find(const std::string& dockerfile,
                                                    const TransformOptions& options) {
  if (options.configFile.empty()) {
    // Most Dockerfiles have no configuration: found without a path parsed.
    std::optional<std::string> folder = normalFolderOf(dockerfile);
    if (folder && !discovered(*folder)) return Found{nullptr, "", fs::path(*folder)};
  }
  fs::path dockerfilePath = dockerfile == "-" ? fs::path() : absoluteFromWorkingDirectory(dockerfile);
  fs::path start = util::lexicallyNormal(dockerfile == "-" ? absoluteFromWorkingDirectory("")
                                                           : dockerfilePath.parent_path());
  std::optional<fs::path> file;
  std::string shown;
  if (!options.configFile.empty()) {
    file = options.configFile;
    shown = options.configFile;
  } else {
    file = discovered(start.native());
    if (!file) return Found{nullptr, "", start};
    shown = displayPath(*file);
  }
  auto config = read(*file, shown);
  if (!config) return std::nullopt;
  fs::path configDir = util::lexicallyNormal(absoluteFromWorkingDirectory(*file)).parent_path();
  dockerfilePath = util::lexicallyNormal(dockerfilePath);
  // Standard input has no path for the overrides' globs to match.
  std::string relative =
      dockerfile == "-" ? "" : dockerfilePath.lexically_relative(configDir).generic_string();
  return Found{*config, relative, {}};
}

bool ConfigFiles::load(const std::vector<std::string>& dockerfiles, const TransformOptions& options) {
  bool ok = true;
  for (const std::string& dockerfile : dockerfiles) ok &= forFile(dockerfile, options).has_value();
  return ok;
}

void addConfigOptions(CLI::App& command, TransformOptions& options) {
  options.command = &command;
  options.configs = std::make_shared<ConfigFiles>();
  CLI::Option* file = command.add_option(
      "--config", options.configFile,
      "Configuration file (default: the first .dfopt.yaml from the Dockerfile's directory up to the "
      "repository root)");
  command.add_flag("--no-config", options.noConfig, "Ignore configuration files")->excludes(file);
}

config::Settings commandLineSettings(const TransformOptions& options) {
  config::Settings settings;
  if (options.command == nullptr) return settings;
  auto given = [&](const char* name) { return options.command->count(name) > 0; };
  if (given("--only")) set(settings.only, options.only);
  if (given("--skip")) set(settings.skip, options.skip);
  if (given("--user")) set(settings.user, options.engine.user);
  if (given("--uid")) set(settings.uid, options.engine.uid);
  if (given("--runtime-image")) set(settings.runtimeImage, options.engine.runtimeImage);
  if (given("--unsafe-fixes")) set(settings.unsafeFixes, options.engine.unsafeFixes);
  if (given("--max-input-size")) set(settings.maxInputSize, uint64_t{options.maxInputSize});
  return settings;
}

const config::Settings& ConfigFiles::commandLine(const TransformOptions& options) {
  std::lock_guard lock(mutex_);
  if (!commandLine_) commandLine_ = commandLineSettings(options);
  return *commandLine_;
}

std::optional<Effective> effectiveSettings(const std::string& dockerfile, const TransformOptions& options) {
  ConfigFiles local;
  ConfigFiles& files = options.configs ? *options.configs : local;
  auto found = files.forFile(dockerfile, options);
  if (!found) return std::nullopt;
  config::Settings fromFile =
      found->config ? found->config->settingsFor(found->relativePath) : config::Settings{};
  return Effective{*found, config::merge(std::move(fromFile), files.commandLine(options))};
}

std::optional<TransformOptions> withConfiguration(const std::string& dockerfile,
                                                  const TransformOptions& options) {
  auto effective = effectiveSettings(dockerfile, options);
  if (!effective) return std::nullopt;
  TransformOptions configured = options;
  config::apply(effective->settings, configured.engine, configured.only, configured.skip);
  if (effective->settings.maxInputSize) configured.maxInputSize = effective->settings.maxInputSize->value;
  return configured;
}

}  // namespace dfopt::cli
