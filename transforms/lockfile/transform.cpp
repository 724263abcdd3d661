// lockfile: a dependency install that resolves versions at build time
// becomes the install that takes exactly what the lock file pins, when the
// lock file is in the build context, .dockerignore lets it through, and a
// COPY before the install brings it into the directory the install runs in
// (followed through `cd`, --prefix and the like). The lock must still match
// its manifest, or the locked install would fail where the other one quietly
// updated the lock. Without a lock file, an info says so.
#include <fmt/format.h>

#include "analysis/copied_files.h"
#include "analysis/effects.h"
#include "engine/image_reference.h"
#include "model/queries.h"
#include "model/variables.h"
#include "transforms/lockfile/lockfile.h"
#include "transforms/transforms.h"

namespace dfopt::transforms::lockfile {
namespace {

using analysis::Effects;
using engine::Ecosystem;
using engine::Finding;
using engine::Severity;

struct Site {
  const model::Dockerfile& file;
  const context::BuildContext& context;
  size_t run;
  // Computed for the whole file when an install first asks, and kept with
  // the model: most files have no install this transform follows.
  const std::vector<Effects>& effects() const { return analysis::analyzeEffects(file); }
};

std::vector<std::string> lockNames(Ecosystem ecosystem) {
  if (ecosystem == Ecosystem::Npm) return {"npm-shrinkwrap.json", "package-lock.json"};
  return {std::string(engine::lockFileOf(ecosystem))};
}

std::string manifestName(Ecosystem ecosystem) {
  return std::string(engine::requiredManifests(ecosystem).front());
}

std::string imagePath(std::string_view directory, std::string_view name) {
  return model::resolvePath(directory, name);
}

struct FoundLock {
  std::string path;       // in the context
  std::string directory;  // in the image
};

std::optional<FoundLock> findLock(const Site& site, const Install& install, std::string directory) {
  while (true) {
    for (const std::string& name : lockNames(install.ecosystem)) {
      auto path = analysis::contextFileAt(site.file, site.effects(), site.context, site.run,
                                          imagePath(directory, name));
      if (path) return FoundLock{*path, directory};
    }
    if (!install.searchUp || directory == "/") return std::nullopt;
    directory = text::dirName(directory);
  }
}

// How the message names the locked install: "npm ci", "yarn install --frozen-lockfile".
std::string lockedForm(const Install& install) {
  if (install.ecosystem == Ecosystem::Npm) return install.locked;
  if (install.ecosystem == Ecosystem::Bundler) return fmt::format("{} {}", install.locked, install.label);
  return fmt::format("{} {}", install.label, install.locked);
}

std::string successMessage(const Install& install, std::string_view lock) {
  std::string_view verb = install.ecosystem == Ecosystem::Cargo ? "builds with" : "installs";
  std::string message = fmt::format("{}: {} {} exactly the versions {} pins and fails when it is out of date",
                                    install.why, lockedForm(install), verb, text::baseName(lock));
  if (install.ecosystem == Ecosystem::Bundler)
    message += " (every Bundler reads BUNDLE_FROZEN; Bundler 2 deprecated the --frozen flag)";
  return message;
}

// Why there is no lock where the install runs: not in the context, left out
// by .dockerignore, or not copied before the install.
std::optional<std::string> missingLock(const Site& site, const Install& install,
                                       const std::string& directory) {
  std::string manifestPath = imagePath(directory, manifestName(install.ecosystem));
  auto manifest = analysis::contextFileAt(site.file, site.effects(), site.context, site.run, manifestPath);
  if (!manifest) return std::nullopt;  // the project comes from elsewhere: nothing to say
  std::string source = text::dirName(*manifest);
  for (const std::string& name : lockNames(install.ecosystem)) {
    std::string candidate = engine::contextPath(source, name);
    if (!site.context.exists(candidate)) continue;
    if (site.context.dockerignore().excludes(candidate))
      return fmt::format("{} kept: {} is excluded by .dockerignore, so the install cannot read it",
                         install.label, candidate);
    return fmt::format("{} kept: {} is in the context, but no COPY before the install brings it to {}",
                       install.label, candidate, directory);
  }
  std::string lock = lockNames(install.ecosystem).back();
  std::string message = fmt::format(
      "no {} in the context: {} resolves the versions at build time; commit one", lock, install.label);
  for (Ecosystem other : {Ecosystem::Npm, Ecosystem::Yarn, Ecosystem::Pnpm}) {
    std::string otherLock(engine::lockFileOf(other));
    if (other != install.ecosystem && site.context.exists(engine::contextPath(source, otherLock)))
      message +=
          fmt::format(" (the project has {}: install with {})", otherLock, engine::infoFor(other).name);
  }
  return message;
}

std::optional<Finding> findingFor(const Site& site, const std::string& cwd, Install install,
                                  const SourceCommand& command, const Scope& scope) {
  Finding finding;
  finding.offset = command.words[engine::programIndex(command)].range.begin;
  finding.severity = Severity::Info;
  std::string directory = model::resolvePath(cwd, install.directory);
  auto lock = findLock(site, install, directory);
  if (install.problem) {
    finding.message = fmt::format("{} kept: {}", install.label, *install.problem);
    return finding;
  }
  if (!lock) {
    auto missing = missingLock(site, install, directory);
    if (!missing) return std::nullopt;
    finding.message = *missing;
    return finding;
  }
  std::string manifestPath = imagePath(lock->directory, manifestName(install.ecosystem));
  if (install.ecosystem == Ecosystem::Cargo) manifestPath = imagePath(directory, "Cargo.toml");
  if (auto manifest =
          analysis::contextFileAt(site.file, site.effects(), site.context, site.run, manifestPath)) {
    if (auto problem = lockProblem(install.ecosystem, site.context, lock->path, *manifest)) {
      std::string advice = problem->advice.empty()
                               ? fmt::format("update {} and commit it", text::baseName(lock->path))
                               : problem->advice;
      finding.message = fmt::format("{} kept: {}, so {} {} fail; {}", install.label, problem->reason,
                                    lockedForm(install), problem->certain ? "would" : "may", advice);
      return finding;
    }
  }
  if (install.ecosystem == Ecosystem::Yarn &&
      isYarnBerry(site.context, lock->path, text::dirName(lock->path)))
    useYarnBerry(install, command, scope);
  finding.severity = Severity::Warning;
  finding.message = successMessage(install, lock->path);
  finding.edits = install.edits;
  return finding;
}

// `cd DIR` moves the rest of the RUN; nothing when the directory is unknown.
std::optional<std::string> afterCd(const std::optional<std::string>& cwd, const SourceCommand& command) {
  if (!cwd || command.words.size() != 2 || !command.words[1].plain || command.arg(1) == "-")
    return std::nullopt;
  if (command.arg(1).starts_with("~")) return std::nullopt;
  return model::resolvePath(*cwd, command.arg(1));
}

// Where a command of the RUN runs: the RUN's WORKDIR moved by the `cd`s
// before it. The WORKDIR is looked up only when an install asks for it.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const Site& site) : site_(site) {}
  void cd(const SourceCommand& command) {
    if (known_) {
      *known_ = afterCd(*known_, command);
    } else {
      pending_.push_back(&command);
    }
  }
  const std::optional<std::string>& get() {
    if (!known_) {
      known_ = site_.effects()[site_.run].workdir;
      for (const SourceCommand* command : pending_) *known_ = afterCd(*known_, *command);
      pending_.clear();
    }
    return *known_;
  }

 private:
  const Site& site_;
  std::vector<const SourceCommand*> pending_;
  std::optional<std::optional<std::string>> known_;
};

bool truthy(std::string_view value) { return !value.empty() && value != "false" && value != "0"; }

// `bundle config [set] [--local|--global] frozen|deployment true`
bool configuresBundlerFrozen(const SourceCommand& command) {
  if (command.name() != "bundle" || command.arg(1) != "config") return false;
  for (size_t i = 2; i + 1 < command.words.size(); ++i) {
    if (text::isOneOf(command.arg(i), {"frozen", "deployment"})) return truthy(command.arg(i + 1));
  }
  return false;
}

int nodeMajor(const model::Stage& stage, const engine::BaseImages& known) {
  engine::ImageReference image = engine::parseImageReference(engine::imageLike(known, stage.baseImage));
  if (image.officialName() != "node") return 0;
  return std::atoi(image.tag.c_str());
}

class Lockfile final : public engine::Transform {
 public:
  std::string_view name() const override { return "lockfile"; }

  engine::Result run(const model::Dockerfile& file, const context::BuildContext& context,
                     const engine::Options& options) const override {
    engine::Result result;
    model::VariablesWalk walk(file);
    for (const model::Stage& stage : file.stages) {
      Scope scope;
      scope.context = &context;
      scope.nodeMajor = nodeMajor(stage, options.baseImages);
      for (size_t i = stage.from + 1; i < stage.end; ++i) {
        if (!file.instructions[i].is("run")) continue;
        const model::Variables& variables = walk.before(i);
        for (std::string_view name : {"BUNDLE_FROZEN", "BUNDLE_DEPLOYMENT"}) {
          auto value = variables.find(name);
          if (value != variables.end() && value->second && truthy(*value->second)) scope.bundlerFrozen = true;
        }
        runFindings(Site{file, context, i}, scope, result.findings);
      }
    }
    return result;
  }

 private:
  static void runFindings(const Site& site, Scope& scope, std::vector<Finding>& findings) {
    const engine::CommandLine& line = engine::commandLineOf(site.file.instructions[site.run]);
    scope.json = line.json;
    WorkingDirectory cwd(site);
    for (const SourceCommand& command : line.commands) {
      if (command.name() == "cd") {
        cwd.cd(command);
        continue;
      }
      if (configuresBundlerFrozen(command)) scope.bundlerFrozen = true;
      auto install = installOf(command, scope);
      if (!install || install->alreadyLocked || !cwd.get() || model::hasVariable(install->directory))
        continue;
      if (!line.complexReason.empty()) {
        install->problem = fmt::format("the RUN uses {}, which dfopt does not follow", line.complexReason);
      }
      if (auto finding = findingFor(site, *cwd.get(), *install, command, scope))
        findings.push_back(std::move(*finding));
    }
  }
};

}  // namespace
}  // namespace dfopt::transforms::lockfile

namespace dfopt::transforms {

std::unique_ptr<engine::Transform> makeLockfile() { return std::make_unique<lockfile::Lockfile>(); }

}  // namespace dfopt::transforms
