// Candidate entries: what the ecosystems in the context leave behind
// (engine/ecosystem.h), version control, editor and cache folders,
// virtualenvs, and files at any depth: secrets, logs, bytecode.
#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "transforms/dockerignore/entries.h"
#include "util/text.h"

namespace dfopt::transforms::dockerignore {

using text::baseName;
using text::dirName;
using text::isOneOf;

using context::BuildContext;
using engine::Ecosystem;

namespace {

struct Spec {
  std::string_view group;
  std::string_view entry;
  std::string_view neededBy = {};  // a program that reads it
};

// Groups in the order they are written; ecosystems come after them.
constexpr std::string_view kGroups[] = {"version control", "secrets",         "editors and OS files", "logs",
                                        "caches",          "Python bytecode", "virtualenvs"};

size_t rankOf(std::string_view group) {
  return static_cast<size_t>(std::find(std::begin(kGroups), std::end(kGroups), group) - std::begin(kGroups));
}

// At the root.
constexpr Spec kFolderSpecs[] = {
    {"version control", ".git", "git"},
    {"version control", ".hg", "hg"},
    {"version control", ".svn", "svn"},
    {"editors and OS files", ".idea"},
    {"editors and OS files", ".vscode"},
    {"caches", ".pytest_cache"},
    {"caches", ".mypy_cache"},
    {"caches", ".ruff_cache"},
    {"caches", ".tox"},
    {"caches", ".cache"},
};

// Matched at any depth, on what the folder entries leave, so that a log
// file inside node_modules does not turn "*.log" into "**/*.log".
constexpr Spec kFileSpecs[] = {
    {"secrets", ".env"}, {"editors and OS files", "*.swp"},  {"editors and OS files", ".DS_Store"},
    {"logs", "*.log"},   {"Python bytecode", "__pycache__"}, {"Python bytecode", "*.py[cod]"},
};

// .env files that hold no secrets by convention, and that apps copy.
constexpr std::string_view kEnvTemplates[] = {".env.example", ".env.sample", ".env.template", ".env.dist"};

bool isEnvTemplate(std::string_view path) { return isOneOf(baseName(path), kEnvTemplates); }

// The entry for the paths matching `name`: "name" when they all sit at
// the root, "**/name" otherwise.
std::string entryFor(std::string_view name, const std::vector<std::string>& matched) {
  bool nested =
      std::any_of(matched.begin(), matched.end(), [](const std::string& p) { return depthOf(p) > 0; });
  return nested ? "**/" + std::string(name) : std::string(name);
}

Candidate junk(std::string_view group, std::string entry, std::vector<std::string> matched) {
  Candidate candidate;
  candidate.rank = rankOf(group);
  candidate.group = std::string(group);
  candidate.lines = {std::move(entry)};
  candidate.matched = std::move(matched);
  candidate.secret = group == "secrets";
  return candidate;
}

// A directory that must exist though its content is junk (it holds a .keep
// file) loses only its content: "dir/*" and "!dir/.keep".
void keepMarkedDirectory(Candidate& candidate, const BuildContext& context) {
  const std::string entry = candidate.lines[0];
  if (hasPatternSyntax(entry) || !context.isDirectory(entry)) return;
  for (std::string_view marker : {".keep", ".gitkeep"}) {
    std::string path = entry + "/" + std::string(marker);
    if (!context.exists(path)) continue;
    candidate.lines = {entry + "/*", "!" + path};
    return;
  }
}

// Entries that ecosystem.h lists but that no build can spare: ./mvnw runs
// the wrapper jar.
constexpr std::string_view kNeverAdded[] = {".mvn/wrapper/maven-wrapper.jar"};

Kind kindOf(std::string_view entry) {
  constexpr std::string_view dependencies[] = {"node_modules", ".venv",         "venv",
                                               "vendor",       "vendor/bundle", ".bundle"};
  constexpr std::string_view junkEntries[] = {
      "**/__pycache__", "**/*.py[cod]",   ".pytest_cache",  ".mypy_cache", ".tox",
      "*.egg-info",     "coverage",       "coverage.out",   "*.test",      ".gradle",
      "npm-debug.log*", "yarn-error.log", "pnpm-debug.log*"};
  if (isOneOf(entry, dependencies)) return Kind::Dependencies;
  if (isOneOf(entry, junkEntries)) return Kind::Junk;
  return Kind::Output;
}

// Dependency folders a developer's install creates sooner or later: listed
// before they exist when the image installs its own.
bool listedBeforeItExists(std::string_view entry) { return entry == "node_modules" || entry == ".venv"; }

struct EcosystemUse {
  Ecosystem ecosystem;
  std::string directory;  // "." for the root
};

// The ecosystems marked at the root and in the directories copied from.
std::vector<EcosystemUse> ecosystemsUsed(const BuildContext& context, const BuildUse& use) {
  std::vector<EcosystemUse> found;
  std::vector<std::string> directories = {"."};
  directories.insert(directories.end(), use.sourceDirectories.begin(), use.sourceDirectories.end());
  for (const std::string& directory : directories) {
    if (!context.isDirectory(directory)) continue;
    for (Ecosystem ecosystem : engine::ecosystemsIn(context, directory))
      found.push_back({ecosystem, directory});
  }
  return found;
}

std::vector<Candidate> ecosystemCandidates(const BuildContext& context, const BuildUse& use,
                                           const SharedPaths& paths) {
  std::vector<Candidate> candidates;
  const auto& all = engine::allEcosystems();
  for (const EcosystemUse& used : ecosystemsUsed(context, use)) {
    const engine::EcosystemInfo& info = engine::infoFor(used.ecosystem);
    size_t index = static_cast<size_t>(
        std::find_if(all.begin(), all.end(), [&](const auto& i) { return i.ecosystem == used.ecosystem; }) -
        all.begin());
    for (std::string_view entry : info.ignoreEntries) {
      if (isOneOf(entry, kNeverAdded)) continue;
      std::string pattern =
          entry.starts_with("**/") ? std::string(entry) : engine::contextPath(used.directory, entry);
      Candidate candidate;
      candidate.rank = std::size(kGroups) + index;
      candidate.group = used.directory == "." ? std::string(info.name)
                                              : fmt::format("{} in {}/", info.name, used.directory);
      candidate.lines = {pattern};
      candidate.matched = pathsMatching(pattern, paths, context);
      candidate.kind = kindOf(entry);
      candidate.ecosystem = used.ecosystem;
      if (candidate.matched.empty()) {
        bool early = listedBeforeItExists(entry) && buildRuns(use, used.ecosystem, Step::Install);
        if (!early) continue;
        candidate.matched = {pattern};
        candidate.listedBeforeItExists = true;
      }
      keepMarkedDirectory(candidate, context);
      candidates.push_back(std::move(candidate));
    }
  }
  return candidates;
}

// "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN OPENSSH PRIVATE KEY-----", ...
bool holdsPrivateKey(const BuildContext& context, const std::string& path) {
  return context.read(path, 1 << 16).value_or("").find("PRIVATE KEY-----") != std::string::npos;
}

// Packages ship test keys; they are not the project's secrets.
bool isInsidePackages(std::string_view path) {
  for (std::string_view folder : {"node_modules/", "vendor/", "site-packages/", ".git/"}) {
    if (path.starts_with(folder) || path.find("/" + std::string(folder)) != std::string_view::npos)
      return true;
  }
  return false;
}

bool isSshPrivateKeyName(std::string_view name) {
  if (!name.starts_with("id_")) return false;  // what every name below starts with
  for (std::string_view ssh : {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"}) {
    if (name.starts_with(ssh) && !name.ends_with(".pub")) return true;
  }
  return false;
}

bool isKeyFileName(std::string_view name) { return name.ends_with(".key") || name.ends_with(".pem"); }

// What a path must be named for isPrivateKey to hold: asked first, as
// every path of the context is asked about.
bool namedLikePrivateKey(const std::string& path) {
  std::string_view name = baseName(path);
  return isSshPrivateKeyName(name) || isKeyFileName(name);
}

// The paths named like a private key, kept a thread for the last list: the
// Dockerfiles of a run share their context, and asking every path of it
// again for each of them grew with the product of the two.
const std::vector<std::string>& namedLikePrivateKeys(const SharedPaths& paths) {
  thread_local SharedPaths last;
  thread_local std::vector<std::string> named;
  if (paths != last) {
    named.clear();
    for (const std::string& path : *paths) {
      if (namedLikePrivateKey(path)) named.push_back(path);
    }
    last = paths;
  }
  return named;
}

bool isPrivateKey(const BuildContext& context, const std::string& path) {
  if (isInsidePackages(path)) return false;
  std::string_view name = baseName(path);
  if (isSshPrivateKeyName(name)) return true;
  return isKeyFileName(name) && holdsPrivateKey(context, path);
}

// .env.* files that are not templates, with the templates kept by exceptions.
std::optional<Candidate> envVariantsCandidate(const SharedPaths& remaining) {
  std::vector<std::string> matched = pathsNamed(".env.*", remaining);
  std::vector<std::string> secrets;
  std::vector<std::string> templates;
  for (std::string& path : matched) (isEnvTemplate(path) ? templates : secrets).push_back(std::move(path));
  if (secrets.empty()) return std::nullopt;
  Candidate candidate = junk("secrets", entryFor(".env.*", secrets), secrets);
  for (const std::string& kept : templates) candidate.lines.push_back("!" + kept);
  return candidate;
}

}  // namespace

std::vector<Candidate> folderCandidates(const BuildContext& context, const BuildUse& use,
                                        const SharedPaths& paths) {
  std::vector<Candidate> candidates;
  for (const Spec& spec : kFolderSpecs) {
    if (!context.exists(spec.entry)) continue;
    Candidate candidate = junk(spec.group, std::string(spec.entry), {std::string(spec.entry)});
    candidate.neededBy = spec.neededBy;
    candidates.push_back(std::move(candidate));
  }
  // Virtualenvs by their pyvenv.cfg, whatever their name.
  for (const std::string& config : pathsNamed("pyvenv.cfg", paths)) {
    std::string directory = dirName(config);
    if (directory == ".") continue;
    Candidate candidate = junk("virtualenvs", directory, {directory});
    candidate.kind = Kind::Dependencies;
    candidate.ecosystem = Ecosystem::Pip;
    candidates.push_back(std::move(candidate));
  }
  for (Candidate& candidate : ecosystemCandidates(context, use, paths))
    candidates.push_back(std::move(candidate));
  return candidates;
}

std::vector<Candidate> fileCandidates(const BuildContext& context, const SharedPaths& remaining) {
  std::vector<Candidate> candidates;
  for (const Spec& spec : kFileSpecs) {
    std::vector<std::string> matched = pathsNamed(spec.entry, remaining);
    if (!matched.empty()) candidates.push_back(junk(spec.group, entryFor(spec.entry, matched), matched));
    if (spec.entry == ".env") {
      if (auto variants = envVariantsCandidate(remaining)) candidates.push_back(std::move(*variants));
    }
  }
  for (const std::string& path : namedLikePrivateKeys(remaining)) {
    if (context.isDirectory(path) || !isPrivateKey(context, path)) continue;
    candidates.push_back(junk("secrets", path, {path}));
  }
  return candidates;
}

}  // namespace dfopt::transforms::dockerignore
