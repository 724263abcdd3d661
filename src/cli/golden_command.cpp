// `dfopt golden DIR [--update]`: runs golden cases, folders of
//   input/         the build context, with its Dockerfile
//   expected/      the Dockerfile after the rewrite (and .dockerignore, when
//                  the rewrite writes one)
//   findings.txt   the findings, `LINE:COL: severity [transform] message`
//   case.yaml      optional: only, skip (lists), user, uid, runtime-image,
//                  file-name, unsafe-fixes, digests (a map image ->
//                  sha256:..., what the builder answers for --pin-digests,
//                  which it turns on)
//   .dfopt.yaml    optional: a configuration file, applied beneath case.yaml
//                  to input/Dockerfile as `dfopt fix` applies it
// Without case.yaml, a case inside a folder named after a transform runs only
// that transform; elsewhere all of them.
#include "cli/golden_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "cli/files.h"
#include "cli/input.h"
#include "config/config.h"
#include "engine/pipeline.h"
#include "print/unified_diff.h"
#include "transforms/transforms.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

struct GoldenOptions {
  std::string dir;
  bool update = false;
};

std::optional<std::string> readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<fs::path> findCases(const fs::path& dir) {
  if (fs::is_directory(dir / "input")) return {dir};
  std::vector<fs::path> cases;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_directory() && fs::is_directory(entry.path() / "input")) cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

struct CaseSettings {
  engine::Options options;
  engine::Selection selection;
};

std::vector<std::string> stringList(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node && node.IsSequence()) {
    for (const auto& item : node) out.push_back(item.as<std::string>());
  } else if (node) {
    out.push_back(node.as<std::string>());
  }
  return out;
}

// The case's .dfopt.yaml, as discovery would find it for input/Dockerfile.
void applyConfiguration(const fs::path& caseDir, CaseSettings& settings) {
  auto text = readText(caseDir / ".dfopt.yaml");
  if (!text) return;
  std::vector<std::string> names;
  for (const engine::Transform* transform : transforms::all()) names.emplace_back(transform->name());
  config::ParseOutcome parsed = config::parse(*text, ".dfopt.yaml", names);
  if (!parsed.config) throw std::runtime_error(config::describe(".dfopt.yaml", parsed.errors.front()));
  config::apply(parsed.config->settingsFor("input/Dockerfile"), settings.options, settings.selection.only,
                settings.selection.skip);
}

CaseSettings readSettings(const fs::path& caseDir) {
  CaseSettings settings;
  applyConfiguration(caseDir, settings);
  fs::path file = caseDir / "case.yaml";
  if (!fs::exists(file)) {
    std::string parent = caseDir.parent_path().filename().string();
    if (transforms::find(parent) && settings.selection.only.empty()) settings.selection.only = {parent};
    return settings;
  }
  YAML::Node yaml = YAML::LoadFile(file.string());
  if (yaml["only"]) settings.selection.only = stringList(yaml["only"]);
  if (yaml["skip"]) settings.selection.skip = stringList(yaml["skip"]);
  if (yaml["user"]) settings.options.user = yaml["user"].as<std::string>();
  if (yaml["uid"]) settings.options.uid = yaml["uid"].as<uint32_t>();
  if (yaml["runtime-image"]) settings.options.runtimeImage = yaml["runtime-image"].as<std::string>();
  if (yaml["file-name"]) settings.options.fileName = yaml["file-name"].as<std::string>();
  if (yaml["unsafe-fixes"]) settings.options.unsafeFixes = yaml["unsafe-fixes"].as<bool>();
  if (const YAML::Node digests = yaml["digests"]; digests && digests.IsMap()) {
    settings.options.pinDigests = true;
    for (const auto& entry : digests) {
      settings.options.imageDigests[entry.first.as<std::string>()] = entry.second.as<std::string>();
    }
  }
  return settings;
}

std::string findingsText(const engine::PipelineOutcome& outcome) {
  std::string text;
  for (const engine::Finding& finding : outcome.findings) {
    syntax::Position at = outcome.inputSource->position(finding.offset);
    text += fmt::format("{}:{}: {} [{}] {}{}\n", at.line, at.column, engine::severityName(finding.severity),
                        finding.transform, finding.message, engine::fixLabel(finding));
  }
  return text;
}

// name -> actual content (nothing: the file must not exist)
using Produced = std::vector<std::pair<std::string, std::optional<std::string>>>;

Produced producedFiles(const fs::path& caseDir, const engine::PipelineOutcome& outcome) {
  Produced produced{{"expected/Dockerfile", outcome.after}};
  std::optional<std::string> dockerignore = readText(caseDir / "input" / ".dockerignore");
  for (const engine::FileChange& file : outcome.files) {
    if (file.path == ".dockerignore") dockerignore = file.after;
  }
  produced.emplace_back("expected/.dockerignore", dockerignore);
  produced.emplace_back("findings.txt", findingsText(outcome));
  return produced;
}

void updateExpectations(const fs::path& caseDir, const Produced& produced) {
  fs::create_directories(caseDir / "expected");
  for (const auto& [name, content] : produced) {
    if (content)
      writeAtomically(caseDir / name, *content);
    else
      fs::remove(caseDir / name);
  }
}

// Prints what differs; true when everything matches.
bool compareExpectations(const fs::path& caseDir, const Produced& produced) {
  bool same = true;
  for (const auto& [name, content] : produced) {
    std::optional<std::string> expected = readText(caseDir / name);
    if (expected == content) continue;
    same = false;
    std::string path = diffHeaderPath(caseDir / name);
    std::cout << print::unifiedDiff(path, expected.value_or(""), content.value_or(""), expected.has_value(),
                                    content.has_value());
  }
  return same;
}

bool runCase(const fs::path& caseDir, bool update) {
  std::string name = displayPath(caseDir);
  auto text = readText(caseDir / "input" / "Dockerfile");
  if (!text) {
    std::cout << fmt::format("{}: error: no input/Dockerfile\n", name);
    return false;
  }
  CaseSettings settings = readSettings(caseDir);
  auto context = context::BuildContext::fromDirectory(caseDir / "input");
  auto outcome = engine::runPipeline(*text, context, settings.options, transforms::all(), settings.selection);
  if (!outcome.ok()) {
    std::cout << fmt::format("{}: error: {}\n", name,
                             outcome.failure.value_or("the input Dockerfile does not parse"));
    return false;
  }
  Produced produced = producedFiles(caseDir, outcome);
  if (update) {
    updateExpectations(caseDir, produced);
    std::cout << fmt::format("{}: updated\n", name);
    return true;
  }
  bool same = compareExpectations(caseDir, produced);
  auto contextAfter = engine::withFileChanges(context, outcome.files);
  auto again = engine::runPipeline(outcome.after, contextAfter, settings.options, transforms::all(),
                                   settings.selection);
  if (again.after != outcome.after || !again.files.empty()) {
    std::cout << fmt::format("{}: not idempotent: a second run changes the result again\n", name);
    same = false;
  }
  std::cout << fmt::format("{}: {}\n", name, same ? "ok" : "MISMATCH");
  return same;
}

int runGolden(const GoldenOptions& options) {
  if (!fs::is_directory(options.dir)) {
    std::cerr << fmt::format("{}: error: not a directory\n", options.dir);
    return kUsageOrInputError;
  }
  auto cases = findCases(options.dir);
  if (cases.empty()) {
    std::cerr << fmt::format("{}: error: no golden cases (folders with an input/ folder)\n", options.dir);
    return kUsageOrInputError;
  }
  size_t failed = 0;
  for (const fs::path& caseDir : cases) {
    try {
      failed += !runCase(caseDir, options.update);
    } catch (const std::exception& error) {
      std::cout << fmt::format("{}: error: {}\n", displayPath(caseDir), error.what());
      ++failed;
    }
  }
  std::cout << fmt::format("{} passed, {} failed\n", cases.size() - failed, failed);
  return failed == 0 ? kOk : kChanges;
}

}  // namespace

void addGoldenCommand(CLI::App& app, int& exitCode) {
  auto options = std::make_shared<GoldenOptions>();
  CLI::App* command =
      app.add_subcommand("golden", "Run golden cases: input/ context, expected/ output, findings.txt");
  command->add_option("dir", options->dir, "A case, or a folder of cases")->required();
  command->add_flag("--update", options->update, "Rewrite the expectations from the current output");
  command->callback([options, &exitCode] { exitCode = runGolden(*options); });
}

}  // namespace dfopt::cli
