// dockerignore: writes the build context's .dockerignore, or adds to the one
// there, so version control, secrets, local dependencies, caches and stale
// build output stay out of the context the build is sent. An entry is
// proposed only for something the context holds (node_modules and .venv also
// before they exist, when the image installs its own), and only when it
// excludes nothing the Dockerfile copies or names. A user's lines are never
// changed: new entries go below them, under "# added by dfopt".
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "context/ignore_pattern.h"
#include "engine/ecosystem.h"
#include "engine/package_commands.h"
#include "engine/style.h"
#include "model/queries.h"
#include "model/variables.h"
#include "shell/script.h"
#include "transforms/transforms.h"
#include "util/text.h"

namespace dfopt::transforms {
namespace {

using text::baseName;

using context::BuildContext;
using context::Dockerignore;
using engine::Ecosystem;
using engine::Finding;
using engine::Severity;
using model::Dockerfile;
using model::Instruction;

constexpr std::string_view kHeader = "# added by dfopt";

// ---------------------------------------------------------------------------
// Paths of the context.

// A wildcard or an escape: the path is a pattern, not a plain name.
bool hasPatternSyntax(std::string_view path) { return path.find_first_of("*?[\\") != std::string_view::npos; }

// "." for a path at the root.
std::string parentOf(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? "." : std::string(path.substr(0, slash));
}

size_t depthOf(std::string_view path) { return std::count(path.begin(), path.end(), '/'); }

bool isInside(std::string_view path, std::string_view directory) {
  return directory == "." || path == directory ||
         (path.size() > directory.size() && path.starts_with(directory) && path[directory.size()] == '/');
}

// Every file and directory of the context, sorted.
std::vector<std::string> contextPaths(const BuildContext& context) {
  std::vector<std::string> paths = context.files();
  for (const std::string& file : context.files()) {
    for (size_t slash = file.find('/'); slash != std::string::npos; slash = file.find('/', slash + 1)) {
      paths.push_back(file.substr(0, slash));
    }
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

// The paths a cleaned .dockerignore pattern (no '!') matches itself.
std::vector<std::string> pathsMatching(const std::string& pattern, const std::vector<std::string>& paths,
                                       const BuildContext& context) {
  if (!hasPatternSyntax(pattern))
    return context.exists(pattern) ? std::vector<std::string>{pattern} : std::vector<std::string>{};
  auto matcher = context::IgnorePattern::compile(pattern);
  if (!matcher) return {};
  bool anyDepth = pattern.find("**") != std::string::npos;
  size_t depth = depthOf(pattern);
  std::vector<std::string> matched;
  for (const std::string& path : paths) {
    if ((anyDepth || depthOf(path) == depth) && matcher->matches(path)) matched.push_back(path);
  }
  return matched;
}

// The paths whose own name matches `name` (a pattern without '/'), at any depth.
std::vector<std::string> pathsNamed(std::string_view name, const std::vector<std::string>& paths) {
  auto matcher = context::IgnorePattern::compile(std::string(name));
  std::vector<std::string> matched;
  if (!matcher) return matched;
  for (const std::string& path : paths) {
    if (matcher->matches(baseName(path))) matched.push_back(path);
  }
  return matched;
}

// ---------------------------------------------------------------------------
// What the Dockerfile takes from the context and what its RUN steps run.

// A context path the build needs, and the instruction that needs it.
struct Use {
  std::string path;
  size_t instruction = 0;
  std::string guessedFrom;  // the source as written, when a variable with no known value matched it
};

struct ProgramRun {
  std::string program;  // "npm", "pip", "git": no directory, version or "python -m"
  std::vector<std::string> arguments;
};

struct BuildUse {
  std::vector<Use> copied;          // COPY/ADD sources, and what their globs match
  std::vector<Use> namedByRun;      // context paths RUN steps name
  std::vector<Use> namedAtRuntime;  // context paths CMD, ENTRYPOINT and ENV name
  bool copiesWholeContext = false;
  std::vector<std::string> sourceDirectories;  // the directories copied from, with their parents
  std::vector<ProgramRun> runs;
};

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// The names of the variables a word refers to.
std::vector<std::string> variableNames(std::string_view word) {
  std::vector<std::string> names;
  for (size_t at = word.find('$'); at != std::string_view::npos; at = word.find('$', at + 1)) {
    size_t begin = at + 1 + (at + 1 < word.size() && word[at + 1] == '{');
    size_t end = begin;
    while (end < word.size() && (std::isalnum(static_cast<unsigned char>(word[end])) || word[end] == '_'))
      ++end;
    if (end > begin) names.emplace_back(word.substr(begin, end - begin));
  }
  return names;
}

// A COPY source with its variables expanded; one with no known value becomes
// '*', so the source still matches whatever it might name.
std::string expandSource(std::string_view word, const model::Variables& variables, bool& guessed) {
  if (!model::hasVariable(word)) return std::string(word);
  if (auto expanded = model::expandVariables(word, variables)) return *expanded;
  guessed = true;
  model::Variables wildcards = variables;
  for (const std::string& name : variableNames(word)) {
    auto found = wildcards.find(name);
    if (found == wildcards.end() || !found->second || found->second->empty()) wildcards[name] = "*";
  }
  return model::expandVariables(word, wildcards).value_or("*");
}

// The sources of a COPY or ADD as written (heredocs left out).
std::vector<std::string> sourcesOf(const Instruction& instruction) {
  std::vector<std::string> sources;
  size_t count = instruction.jsonForm ? instruction.buildkit.next.size() : instruction.arguments.size();
  for (size_t i = 0; i + 1 < count; ++i) {
    std::string source = instruction.jsonForm ? instruction.buildkit.next[i].value
                                              : model::unquoteValue(instruction.arguments[i].text);
    if (!source.starts_with("<<")) sources.push_back(std::move(source));
  }
  return sources;
}

void addDirectoryAndParents(std::vector<std::string>& directories, std::string directory) {
  for (; directory != "."; directory = parentOf(directory)) directories.push_back(directory);
}

// Words that may hold paths: "--config=a/b:c/d" gives "a/b" and "c/d".
std::vector<std::string> pathLikeParts(std::string_view word, std::string_view separators = "=:,") {
  std::vector<std::string> parts;
  size_t begin = 0;
  for (size_t at = 0; at <= word.size(); ++at) {
    if (at == word.size() || separators.find(word[at]) != std::string_view::npos) {
      if (at > begin) parts.emplace_back(word.substr(begin, at - begin));
      begin = at + 1;
    }
  }
  return parts;
}

// The context paths RUN --mount=type=bind mounts (bind is the default type;
// with from= it mounts another stage or image).
std::vector<std::string> boundSources(const Instruction& run) {
  std::vector<std::string> sources;
  for (const model::Flag& flag : run.flags) {
    if (flag.name != "mount") continue;
    std::string type = "bind";
    std::string source = ".";
    bool fromElsewhere = false;
    for (const std::string& option : pathLikeParts(flag.value, ",")) {
      size_t equals = option.find('=');
      std::string key = option.substr(0, equals);
      std::string value = equals == std::string::npos ? "" : option.substr(equals + 1);
      if (key == "type") type = value;
      if (key == "source" || key == "src") source = value;
      if (key == "from") fromElsewhere = true;
    }
    if (type == "bind" && !fromElsewhere) sources.push_back(source);
  }
  return sources;
}

// What COPY and ADD (not --from) and RUN's bind mounts take from the context.
std::vector<std::string> contextSourcesOf(const Instruction& instruction) {
  if (instruction.is("run")) return boundSources(instruction);
  if (!(instruction.is("copy") || instruction.is("add")) || instruction.flag("from")) return {};
  return sourcesOf(instruction);
}

void collectCopied(const Dockerfile& file, const BuildContext& context, const std::vector<std::string>& paths,
                   BuildUse& use) {
  for (size_t i = 0; i < file.instructions.size(); ++i) {
    std::vector<std::string> sources = contextSourcesOf(file.instructions[i]);
    if (sources.empty()) continue;
    model::Variables variables = model::variablesBefore(file, i);
    for (const std::string& source : sources) {
      if (model::isRemoteSource(source)) continue;
      bool guessed = false;
      std::string path = context::cleanPath(expandSource(source, variables, guessed));
      std::string guessedFrom = guessed ? source : "";
      if (path == "." || path.starts_with("../") || path == "..") {
        use.copiesWholeContext = true;
        continue;
      }
      std::vector<std::string> matched =
          hasPatternSyntax(path) ? pathsMatching(path, paths, context) : std::vector<std::string>{path};
      for (std::string& copied : matched) {
        addDirectoryAndParents(use.sourceDirectories,
                               context.isDirectory(copied) ? copied : parentOf(copied));
        use.copied.push_back({std::move(copied), i, guessedFrom});
      }
    }
  }
  std::sort(use.sourceDirectories.begin(), use.sourceDirectories.end());
  use.sourceDirectories.erase(std::unique(use.sourceDirectories.begin(), use.sourceDirectories.end()),
                              use.sourceDirectories.end());
}

// The words of each command an instruction runs (RUN, CMD, ENTRYPOINT).
std::vector<std::vector<std::string>> commandsOf(const Instruction& instruction) {
  std::string script = instruction.argumentsText;
  if (instruction.jsonForm) {
    std::vector<std::string> words;
    for (const auto& node : instruction.buildkit.next) words.push_back(node.value);
    bool shell =
        words.size() > 2 && (baseName(words[0]) == "sh" || baseName(words[0]) == "bash") && words[1] == "-c";
    if (!shell) return {words};
    script = words[2];
  }
  std::vector<std::vector<std::string>> commands;
  for (const shell::Command& command : shell::parseScript(script).commands) {
    std::vector<std::string> words;
    for (const shell::Word& word : command.words) words.push_back(word.value);
    if (!words.empty()) commands.push_back(std::move(words));
  }
  return commands;
}

// "pip3.12" -> "pip", "/usr/bin/python3" -> "python", "./gradlew" -> "gradlew".
std::string programName(std::string_view word) {
  std::string_view name = baseName(word);
  for (std::string_view stem : {"pip", "python"}) {
    if (name.starts_with(stem) &&
        name.find_first_not_of("0123456789.", stem.size()) == std::string_view::npos) {
      return std::string(stem);
    }
  }
  return std::string(name);
}

// The program a command runs, past sudo/env/exec/time and "python -m".
std::optional<ProgramRun> programRun(const std::vector<std::string>& words) {
  size_t at = 0;
  auto isWrapper = [](std::string_view name) {
    return name == "sudo" || name == "env" || name == "exec" || name == "time" || name == "nohup";
  };
  while (at < words.size() && isWrapper(programName(words[at]))) {
    ++at;
    while (at < words.size() && (words[at].starts_with('-') || words[at].find('=') != std::string::npos))
      ++at;
  }
  if (at >= words.size()) return std::nullopt;
  if (programName(words[at]) == "python" && at + 2 < words.size() && words[at + 1] == "-m") at += 2;
  ProgramRun run{programName(words[at]), {}};
  run.arguments.assign(words.begin() + static_cast<std::ptrdiff_t>(at) + 1, words.end());
  return run;
}

// The context paths a word may name: the word itself, its tails, and both
// inside each directory the Dockerfile copies from. A glob counts only as
// a relative path with a directory ("dist/*.whl"): "/var/lib/apt/lists/*"
// and "*" would name everything.
void addNamedPaths(std::string_view word, size_t instruction, const BuildUse& sources,
                   const BuildContext& context, const std::vector<std::string>& paths,
                   std::vector<Use>& named) {
  std::string path = context::cleanPath(word);
  if (path == "." || path == ".." || path.starts_with("../")) return;
  if (hasPatternSyntax(path)) {
    if (word.starts_with('/') || path.find('/') == std::string::npos) return;
    std::vector<std::string> patterns = {path};
    for (const std::string& directory : sources.sourceDirectories) patterns.push_back(directory + "/" + path);
    for (const std::string& pattern : patterns) {
      for (std::string& matched : pathsMatching(pattern, paths, context))
        named.push_back({matched, instruction, {}});
    }
    return;
  }
  for (size_t at = 0; at != std::string::npos;) {
    std::string tail = path.substr(at);
    if (context.exists(tail)) named.push_back({tail, instruction, {}});
    for (const std::string& directory : sources.sourceDirectories) {
      std::string inside = directory + "/" + tail;
      if (context.exists(inside)) named.push_back({inside, instruction, {}});
    }
    at = path.find('/', at);
    if (at != std::string::npos) ++at;
  }
}

void collectNamedAndRuns(const Dockerfile& file, const BuildContext& context,
                         const std::vector<std::string>& paths, BuildUse& use) {
  for (size_t i = 0; i < file.instructions.size(); ++i) {
    const Instruction& instruction = file.instructions[i];
    std::vector<std::string> words;
    if (instruction.is("run") || instruction.is("cmd") || instruction.is("entrypoint")) {
      for (const auto& command : commandsOf(instruction)) {
        words.insert(words.end(), command.begin(), command.end());
        if (!instruction.is("run")) continue;
        if (auto run = programRun(command)) use.runs.push_back(std::move(*run));
      }
    } else if (instruction.is("env")) {
      const auto& parts = instruction.buildkit.next;
      for (size_t p = 1; p < parts.size(); p += 3) words.push_back(model::unquoteValue(parts[p].value));
    } else {
      continue;
    }
    model::Variables variables = model::variablesBefore(file, i);
    for (const std::string& word : words) {
      std::string expanded = model::expandVariables(word, variables).value_or(word);
      auto& named = instruction.is("run") ? use.namedByRun : use.namedAtRuntime;
      for (const std::string& part : pathLikeParts(expanded))
        addNamedPaths(part, i, use, context, paths, named);
    }
  }
}

BuildUse buildUse(const Dockerfile& file, const BuildContext& context,
                  const std::vector<std::string>& paths) {
  BuildUse use;
  collectCopied(file, context, paths, use);
  collectNamedAndRuns(file, context, paths, use);
  return use;
}

// Does the build copy this path (or something inside it) from the context?
bool isCopied(std::string_view path, const BuildUse& use) {
  if (use.copiesWholeContext) return true;
  return std::any_of(use.copied.begin(), use.copied.end(), [&](const Use& copied) {
    return isInside(path, copied.path) || isInside(copied.path, path);
  });
}

// ---------------------------------------------------------------------------
// Which package tools the RUN steps use.

enum class Step { Install, Build };

struct Tooling {
  Ecosystem ecosystem;
  std::vector<std::string_view> installs;  // argument words that install ("" : no arguments but flags)
  std::vector<std::string_view> builds;    // argument words that build the project ("build" also "build:x")
};

const std::vector<Tooling>& allTooling() {
  static const std::vector<Tooling> tooling = {
      {Ecosystem::Pip, {"install"}, {"install", "wheel"}},
      {Ecosystem::Poetry, {"install", "sync"}, {"install", "sync", "build"}},
      {Ecosystem::Uv, {"sync", "install"}, {"sync", "install", "build"}},
      {Ecosystem::Pipenv, {"install", "sync"}, {"install", "sync"}},
      {Ecosystem::Npm, {"ci", "install", "i"}, {"build"}},
      {Ecosystem::Yarn, {"", "install"}, {"build"}},
      {Ecosystem::Pnpm, {"install", "i"}, {"build"}},
      {Ecosystem::Go, {"build", "install", "download"}, {"build", "install"}},
      {Ecosystem::Cargo, {"build", "install", "fetch"}, {"build", "install"}},
      {Ecosystem::Maven,
       {"package", "install", "verify", "dependency:go-offline"},
       {"package", "install", "verify"}},
      {Ecosystem::Gradle,
       {"build", "assemble", "bootJar", "installDist"},
       {"build", "assemble", "bootJar", "installDist"}},
      {Ecosystem::Bundler, {"install"}, {"install"}},
      {Ecosystem::Composer, {"install"}, {"install"}},
  };
  return tooling;
}

bool isPython(Ecosystem e) {
  return e == Ecosystem::Pip || e == Ecosystem::Poetry || e == Ecosystem::Uv || e == Ecosystem::Pipenv;
}
bool isJavaScript(Ecosystem e) { return e == Ecosystem::Npm || e == Ecosystem::Yarn || e == Ecosystem::Pnpm; }

// Ecosystems sharing their dependency folders: any of their tools recreates them.
bool sameFamily(Ecosystem a, Ecosystem b) {
  return a == b || (isPython(a) && isPython(b)) || (isJavaScript(a) && isJavaScript(b));
}

std::string familyName(Ecosystem e) {
  if (isPython(e)) return "Python";
  if (isJavaScript(e)) return "Node.js";
  std::string name(engine::infoFor(e).name);
  name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

bool argumentsSay(const ProgramRun& run, const std::vector<std::string_view>& words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view word) {
    if (word.empty()) {
      return std::all_of(run.arguments.begin(), run.arguments.end(),
                         [](const std::string& argument) { return argument.starts_with('-'); });
    }
    return std::any_of(run.arguments.begin(), run.arguments.end(), [&](const std::string& argument) {
      return argument == word || (argument.starts_with(word) && argument[word.size()] == ':');
    });
  });
}

// npx runs packages from npm's folders, so it counts as npm.
std::optional<Ecosystem> ecosystemRun(const ProgramRun& run) {
  if (run.program == "npx") return Ecosystem::Npm;
  return engine::ecosystemOfProgram(run.program);
}

bool createsVirtualenv(const ProgramRun& run) {
  return run.program == "venv" || run.program == "virtualenv" ||
         (run.program == "uv" && !run.arguments.empty() && run.arguments[0] == "venv");
}

// Does a RUN install the dependencies of (Step::Install), or build the
// project of (Step::Build), this ecosystem or one sharing its folders?
bool buildRuns(const BuildUse& use, Ecosystem ecosystem, Step step) {
  return std::any_of(use.runs.begin(), use.runs.end(), [&](const ProgramRun& run) {
    if (step == Step::Install && isPython(ecosystem) && createsVirtualenv(run)) return true;
    return std::any_of(allTooling().begin(), allTooling().end(), [&](const Tooling& tooling) {
      bool ran = sameFamily(tooling.ecosystem, ecosystem) && ecosystemRun(run) == tooling.ecosystem;
      return ran && argumentsSay(run, step == Step::Install ? tooling.installs : tooling.builds);
    });
  });
}

bool isWordCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

// The first RUN whose text has `program` as a word, command substitutions
// ("$(git rev-parse HEAD)") included.
std::optional<size_t> runMentioning(const Dockerfile& file, std::string_view program) {
  if (program.empty()) return std::nullopt;
  for (size_t i = 0; i < file.instructions.size(); ++i) {
    const Instruction& instruction = file.instructions[i];
    if (!instruction.is("run")) continue;
    std::string_view text = instruction.argumentsText;
    for (size_t at = text.find(program); at != std::string_view::npos; at = text.find(program, at + 1)) {
      bool startsWord = at == 0 || !isWordCharacter(text[at - 1]);
      size_t end = at + program.size();
      bool endsWord = end == text.size() || !isWordCharacter(text[end]);
      if (startsWord && endsWord) return i;
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Candidate entries.

enum class Kind {
  Junk,          // never needed by a build
  Dependencies,  // installed dependencies: only when the image installs its own
  Output,        // build output: only when the image builds its own
};

struct Candidate {
  size_t rank = 0;                   // where its group goes in the file
  std::string group;                 // the comment above the group
  std::vector<std::string> lines;    // the entry, then exceptions for what it must not take
  std::vector<std::string> matched;  // what it excludes itself (the entry alone, before it exists)
  Kind kind = Kind::Junk;
  Ecosystem ecosystem = Ecosystem::Pip;  // whose install or build recreates it
  std::string_view neededBy;             // a program that reads it (git for .git)
  bool secret = false;
  bool listedBeforeItExists = false;
};

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

bool isEnvTemplate(std::string_view path) {
  return std::find(std::begin(kEnvTemplates), std::end(kEnvTemplates), baseName(path)) !=
         std::end(kEnvTemplates);
}

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
  if (std::find(std::begin(dependencies), std::end(dependencies), entry) != std::end(dependencies)) {
    return Kind::Dependencies;
  }
  if (std::find(std::begin(junkEntries), std::end(junkEntries), entry) != std::end(junkEntries))
    return Kind::Junk;
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
                                           const std::vector<std::string>& paths) {
  std::vector<Candidate> candidates;
  const auto& all = engine::allEcosystems();
  for (const EcosystemUse& used : ecosystemsUsed(context, use)) {
    const engine::EcosystemInfo& info = engine::infoFor(used.ecosystem);
    size_t index = static_cast<size_t>(
        std::find_if(all.begin(), all.end(), [&](const auto& i) { return i.ecosystem == used.ecosystem; }) -
        all.begin());
    for (std::string_view entry : info.ignoreEntries) {
      if (std::find(std::begin(kNeverAdded), std::end(kNeverAdded), entry) != std::end(kNeverAdded)) continue;
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

std::vector<Candidate> folderCandidates(const BuildContext& context, const BuildUse& use,
                                        const std::vector<std::string>& paths) {
  std::vector<Candidate> candidates;
  for (const Spec& spec : kFolderSpecs) {
    if (!context.exists(spec.entry)) continue;
    Candidate candidate = junk(spec.group, std::string(spec.entry), {std::string(spec.entry)});
    candidate.neededBy = spec.neededBy;
    candidates.push_back(std::move(candidate));
  }
  // Virtualenvs by their pyvenv.cfg, whatever their name.
  for (const std::string& config : pathsNamed("pyvenv.cfg", paths)) {
    std::string directory = parentOf(config);
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

bool isPrivateKey(const BuildContext& context, const std::string& path) {
  if (isInsidePackages(path)) return false;
  std::string_view name = baseName(path);
  for (std::string_view ssh : {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"}) {
    if (name.starts_with(ssh) && !name.ends_with(".pub")) return true;
  }
  bool keyLike = name.ends_with(".key") || name.ends_with(".pem");
  return keyLike && holdsPrivateKey(context, path);
}

// .env.* files that are not templates, with the templates kept by exceptions.
std::optional<Candidate> envVariantsCandidate(const std::vector<std::string>& remaining) {
  std::vector<std::string> matched = pathsNamed(".env.*", remaining);
  std::vector<std::string> secrets;
  std::vector<std::string> templates;
  for (std::string& path : matched) (isEnvTemplate(path) ? templates : secrets).push_back(std::move(path));
  if (secrets.empty()) return std::nullopt;
  Candidate candidate = junk("secrets", entryFor(".env.*", secrets), secrets);
  for (const std::string& kept : templates) candidate.lines.push_back("!" + kept);
  return candidate;
}

std::vector<Candidate> fileCandidates(const BuildContext& context,
                                      const std::vector<std::string>& remaining) {
  std::vector<Candidate> candidates;
  for (const Spec& spec : kFileSpecs) {
    std::vector<std::string> matched = pathsNamed(spec.entry, remaining);
    if (!matched.empty()) candidates.push_back(junk(spec.group, entryFor(spec.entry, matched), matched));
    if (spec.entry == ".env") {
      if (auto variants = envVariantsCandidate(remaining)) candidates.push_back(std::move(*variants));
    }
  }
  for (const std::string& path : remaining) {
    if (context.isDirectory(path) || !isPrivateKey(context, path)) continue;
    candidates.push_back(junk("secrets", path, {path}));
  }
  return candidates;
}

// ---------------------------------------------------------------------------
// Deciding, against the user's .dockerignore and what the build needs.

std::string joinLines(std::string_view text, const std::vector<std::string>& lines) {
  std::string joined(text);
  if (!joined.empty() && !joined.ends_with('\n')) joined += '\n';
  for (const std::string& line : lines) joined += line + "\n";
  return joined;
}

// A pattern as Docker compares it: "/node_modules/" and "node_modules" are one.
std::string cleanedEntry(std::string_view entry) {
  bool exception = entry.starts_with('!');
  if (exception) entry.remove_prefix(1);
  return (exception ? "!" : "") + context::cleanPath(entry);
}

struct Decision {
  std::vector<Candidate> added;
  std::vector<Finding> kept;         // why some candidates were not added
  std::set<std::string> considered;  // entries, cleaned
};

class Decider {
 public:
  Decider(const BuildContext& context, const BuildUse& use, const Dockerfile& file)
      : context_(context), use_(use), file_(file), userText_(context.dockerignoreText().value_or("")) {
    for (const std::string& pattern : context.dockerignore().patterns())
      userEntries_.insert(cleanedEntry(pattern));
  }

  void consider(std::vector<Candidate> candidates, Decision& decision) const {
    for (Candidate& candidate : candidates) {
      std::string entry = cleanedEntry(candidate.lines[0]);
      if (userEntries_.count(entry) || !decision.considered.insert(entry).second) continue;
      if (excludedByTheUser(candidate)) continue;
      dropExceptionsAgainstTheUser(candidate);
      if (auto why = reasonToKeep(candidate)) {
        decision.kept.push_back(std::move(*why));
        continue;
      }
      decision.added.push_back(std::move(candidate));
    }
  }

 private:
  bool excludedByTheUser(const Candidate& candidate) const {
    return std::all_of(candidate.matched.begin(), candidate.matched.end(),
                       [&](const std::string& path) { return context_.dockerignore().excludes(path); });
  }

  // An exception of ours never brings back what the user's file excludes.
  void dropExceptionsAgainstTheUser(Candidate& candidate) const {
    auto& lines = candidate.lines;
    lines.erase(std::remove_if(lines.begin() + 1, lines.end(),
                               [&](const std::string& line) {
                                 return context_.dockerignore().excludes(std::string_view(line).substr(1));
                               }),
                lines.end());
  }

  Finding keptFinding(const Candidate& candidate, size_t instruction, std::string reason) const {
    Finding finding;
    finding.severity = Severity::Info;
    finding.offset = file_.instructions[instruction].keywordRange.begin;
    finding.message = fmt::format("{} not added to .dockerignore: {}", candidate.lines[0], reason);
    return finding;
  }

  std::optional<Finding> reasonToKeep(const Candidate& candidate) const {
    Dockerignore with = Dockerignore::parse(joinLines(userText_, candidate.lines));
    if (auto copied = newlyExcluded(with, use_.copied)) {
      std::string keyword = upper(file_.instructions[copied->instruction].command);
      if (!copied->guessedFrom.empty()) {
        return keptFinding(candidate, copied->instruction,
                           fmt::format("{} {} may copy {}: its variable has no known value", keyword,
                                       copied->guessedFrom, copied->path));
      }
      return keptFinding(candidate, copied->instruction, fmt::format("{} copies {}", keyword, copied->path));
    }
    if (auto exception = userException(candidate)) {
      return keptFinding(candidate, 0,
                         fmt::format(".dockerignore keeps {} with {}", exception->first, exception->second));
    }
    if (auto run = runMentioning(file_, candidate.neededBy)) {
      return keptFinding(candidate, *run, fmt::format("RUN runs {}, which may read it", candidate.neededBy));
    }
    bool copied = std::any_of(candidate.matched.begin(), candidate.matched.end(),
                              [&](const std::string& path) { return isCopied(path, use_); });
    if (copied && candidate.kind == Kind::Dependencies &&
        !buildRuns(use_, candidate.ecosystem, Step::Install)) {
      return keptFinding(candidate, 0,
                         fmt::format("the image copies it and installs no {} dependencies of its own",
                                     familyName(candidate.ecosystem)));
    }
    if (copied && candidate.kind == Kind::Output && !buildRuns(use_, candidate.ecosystem, Step::Build)) {
      return keptFinding(candidate, 0,
                         fmt::format("the image copies it and does not build the {} project itself",
                                     familyName(candidate.ecosystem)));
    }
    // Dependencies the image installs are its own wherever they are named,
    // and so is output it builds once it runs (CMD, ENTRYPOINT, ENV).
    if (candidate.kind == Kind::Dependencies) return std::nullopt;
    auto named = newlyExcluded(with, use_.namedByRun);
    if (!named && candidate.kind == Kind::Junk) named = newlyExcluded(with, use_.namedAtRuntime);
    if (named) {
      return keptFinding(
          candidate, named->instruction,
          fmt::format("{} names {}", upper(file_.instructions[named->instruction].command), named->path));
    }
    return std::nullopt;
  }

  // A user's "!pattern" that keeps one of the paths the candidate takes:
  // the user wants it in the context.
  std::optional<std::pair<std::string, std::string>> userException(const Candidate& candidate) const {
    for (const std::string& pattern : context_.dockerignore().patterns()) {
      if (!pattern.starts_with('!')) continue;
      std::string cleaned = context::cleanPath(std::string_view(pattern).substr(1));
      for (const std::string& path : candidate.matched) {
        if (context::matchPattern(cleaned, path)) return std::pair{path, pattern};
      }
    }
    return std::nullopt;
  }

  std::optional<Use> newlyExcluded(const Dockerignore& with, const std::vector<Use>& uses) const {
    for (const Use& use : uses) {
      if (with.excludes(use.path) && !context_.dockerignore().excludes(use.path)) return use;
    }
    return std::nullopt;
  }

  const BuildContext& context_;
  const BuildUse& use_;
  const Dockerfile& file_;
  std::string userText_;
  std::set<std::string> userEntries_;
};

std::vector<std::string> linesOf(const std::vector<Candidate>& candidates,
                                 const Candidate* except = nullptr) {
  std::vector<std::string> lines;
  for (const Candidate& candidate : candidates) {
    if (&candidate == except) continue;
    lines.insert(lines.end(), candidate.lines.begin(), candidate.lines.end());
  }
  return lines;
}

// The paths the user's file and the added entries leave in the context.
std::vector<std::string> remainingPaths(const std::vector<std::string>& paths, std::string_view userText,
                                        const std::vector<Candidate>& added) {
  Dockerignore ignore = Dockerignore::parse(joinLines(userText, linesOf(added)));
  std::vector<std::string> remaining;
  std::set<std::string> excludedDirectories;
  for (const std::string& path : paths) {  // sorted: a directory comes before what it holds
    std::string parent = parentOf(path);
    bool inExcluded = parent != "." && excludedDirectories.count(parent);
    if (inExcluded || ignore.excludes(path)) {
      excludedDirectories.insert(path);
      continue;
    }
    remaining.push_back(path);
  }
  return remaining;
}

// Drops entries that exclude nothing the user's file and the other entries
// do not already, the most specific (last written) first.
void dropRedundant(std::vector<Candidate>& added, std::string_view userText) {
  for (size_t i = added.size(); i-- > 0;) {
    Dockerignore others = Dockerignore::parse(joinLines(userText, linesOf(added, &added[i])));
    const auto& matched = added[i].matched;
    bool redundant =
        std::all_of(matched.begin(), matched.end(), [&](const std::string& p) { return others.excludes(p); });
    if (redundant) added.erase(added.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

// ---------------------------------------------------------------------------
// Writing the file.

// The existing file's line ending, or `fallback` when it has none.
std::string newlineOf(std::string_view text, std::string_view fallback) {
  size_t lines = std::count(text.begin(), text.end(), '\n');
  if (lines == 0) return std::string(fallback);
  size_t crlf = 0;
  for (size_t at = text.find("\r\n"); at != std::string_view::npos; at = text.find("\r\n", at + 2)) ++crlf;
  return crlf * 2 > lines ? "\r\n" : "\n";
}

std::string dockerignoreText(const std::optional<std::string>& existing, const std::vector<Candidate>& added,
                             std::string_view fallbackNewline) {
  std::string text = existing.value_or("");
  const std::string newline = newlineOf(text, fallbackNewline);
  if (!text.empty() && !text.ends_with('\n')) text += text.ends_with('\r') ? "\n" : newline;
  bool endsWithBlankLine = text.empty() || text.ends_with("\n\n") || text.ends_with("\n\r\n");
  if (!endsWithBlankLine) text += newline;
  text += std::string(kHeader) + newline;
  std::string_view group;
  for (const Candidate& candidate : added) {
    if (candidate.group != group) text += newline + "# " + candidate.group + newline;
    group = candidate.group;
    for (const std::string& line : candidate.lines) text += line + newline;
  }
  return text;
}

std::string summary(const std::vector<Candidate>& added, bool extending) {
  std::vector<std::string> names;
  for (const Candidate& candidate : added) names.push_back(candidate.lines[0]);
  constexpr size_t kShown = 4;
  std::string listed;
  size_t shown = std::min(names.size(), kShown);
  for (size_t i = 0; i < shown; ++i) {
    listed += i == 0 ? "" : (i + 1 == shown && names.size() == shown ? " and " : ", ");
    listed += names[i];
  }
  if (names.size() > shown) listed += fmt::format(" and {} more", names.size() - shown);
  std::string why = "a smaller context";
  if (std::any_of(added.begin(), added.end(), [](const Candidate& c) { return c.secret; })) {
    why += ", no secrets in image layers";
  }
  for (const Candidate& candidate : added) {
    if (!candidate.listedBeforeItExists) continue;
    why += fmt::format("; {} is listed before it exists, so a local install never reaches the image",
                       candidate.lines[0]);
  }
  return fmt::format("{} .dockerignore: keep {} out of the build context ({})", extending ? "extend" : "add",
                     listed, why);
}

class DockerignoreTransform final : public engine::Transform {
 public:
  std::string_view name() const override { return "dockerignore"; }

  engine::Result run(const Dockerfile& file, const BuildContext& context,
                     const engine::Options&) const override {
    engine::Result result;
    if (file.instructions.empty()) return result;
    const std::vector<std::string> paths = contextPaths(context);
    const BuildUse use = buildUse(file, context, paths);
    reportExcludedSources(file, context, use, result);

    const std::string userText = context.dockerignoreText().value_or("");
    Decider decider(context, use, file);
    Decision decision;
    decider.consider(folderCandidates(context, use, paths), decision);
    decider.consider(fileCandidates(context, remainingPaths(paths, userText, decision.added)), decision);
    std::stable_sort(decision.added.begin(), decision.added.end(),
                     [](const Candidate& a, const Candidate& b) { return a.rank < b.rank; });
    dropRedundant(decision.added, userText);

    for (Finding& kept : decision.kept) result.findings.push_back(std::move(kept));
    if (decision.added.empty()) {
      if (!context.dockerignoreText() && decision.considered.empty()) {
        result.findings.push_back(nothingToExclude(file));
      }
      return result;
    }
    Finding finding;
    finding.offset = file.instructions[0].keywordRange.begin;
    finding.message = summary(decision.added, context.dockerignoreText().has_value());
    finding.files.push_back({".dockerignore", dockerignoreText(context.dockerignoreText(), decision.added,
                                                               engine::Style(file).newline())});
    result.findings.push_back(std::move(finding));
    return result;
  }

 private:
  static Finding nothingToExclude(const Dockerfile& file) {
    Finding finding;
    finding.severity = Severity::Info;
    finding.offset = file.instructions[0].keywordRange.begin;
    finding.message =
        "no .dockerignore written: the build context holds no version control, secrets, dependencies, "
        "caches or build output to keep out";
    return finding;
  }

  // Sources the user's .dockerignore already takes away from a COPY or ADD.
  static void reportExcludedSources(const Dockerfile& file, const BuildContext& context, const BuildUse& use,
                                    engine::Result& result) {
    std::set<std::pair<size_t, std::string>> reported;
    for (const Use& copied : use.copied) {
      if (!context.dockerignore().excludes(copied.path) ||
          !reported.insert({copied.instruction, copied.path}).second) {
        continue;
      }
      const Instruction& instruction = file.instructions[copied.instruction];
      Finding finding;
      finding.severity = Severity::Info;
      finding.offset = instruction.keywordRange.begin;
      finding.message =
          fmt::format(".dockerignore excludes {}, which this {} copies: the build will not find it",
                      copied.path, upper(instruction.command));
      result.findings.push_back(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<engine::Transform> makeDockerignore() { return std::make_unique<DockerignoreTransform>(); }

}  // namespace dfopt::transforms
