// The run-time files of a compiled program (see runtime_files.h): where the
// build stage's COPYs put context paths, what the program's sources name,
// and which of those the build stage holds below the working directory.
#include "transforms/multi_stage/runtime_files.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <re2/re2.h>

#include "analysis/effects.h"
#include "model/queries.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::baseName;
using text::contains;
using text::hasGlob;
using text::isOneOf;
using text::isUnder;

constexpr std::string_view kRuntimeDirectories[] = {"templates",  "static", "public", "assets",
                                                    "migrations", "config", "views"};
constexpr std::string_view kConfigFiles[] = {"config.yaml",     "config.yml",      "config.json",
                                             "config.toml",     "config.ini",      "settings.yaml",
                                             "settings.yml",    "settings.json",   "settings.toml",
                                             "app.yaml",        "app.yml",         "application.properties",
                                             "application.yml", "application.yaml"};
// The extensions a configuration library tries after a bare name (viper's SetConfigName).
constexpr std::string_view kConfigExtensions[] = {".yaml", ".yml", ".json", ".toml", ".ini", ".properties"};
// Folders of code the program is not built from, or of build outputs.
constexpr std::string_view kSkippedFolders[] = {"vendor", "testdata", "node_modules", "target", ".git"};
constexpr size_t kMaxSources = 2000;

std::vector<std::string_view> sourceExtensions(Tool tool) {
  if (tool == Tool::Go) return {".go"};
  if (tool == Tool::Cargo) return {".rs"};
  return {".java", ".kt", ".scala", ".groovy"};
}

bool isSource(std::string_view path, Tool tool) {
  auto extensions = sourceExtensions(tool);
  return std::any_of(extensions.begin(), extensions.end(),
                     [&](std::string_view ext) { return path.ends_with(ext); });
}

// The pieces of `text` between any of `separators`, empty ones left out.
std::vector<std::string> splitOn(std::string_view text, std::string_view separators) {
  std::vector<std::string> pieces;
  for (size_t at = 0; at <= text.size();) {
    size_t end = std::min(text.find_first_of(separators, at), text.size());
    if (end > at) pieces.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  return pieces;
}

std::string joinPath(std::string_view directory, std::string_view relative) {
  if (relative.empty()) return std::string(directory);
  if (directory == ".") return std::string(relative);
  return fmt::format("{}/{}", directory, relative);
}

// Where a COPY of the stage puts a context path.
struct Placement {
  size_t index;        // the COPY
  std::string source;  // context path, cleaned ("." for the root)
  std::string target;  // absolute
  bool directory;      // the source's contents go below target
};

// What the build stage holds from the context, and what its rm commands removed.
class BuildStage {
 public:
  explicit BuildStage(const Job& job) : job_(job) {
    const std::vector<analysis::Effects>& effects = analysis::analyzeEffects(job.file);
    for (size_t i = job.stage.from + 1; i < job.stage.end; ++i) {
      const Instruction& instruction = job.instruction(i);
      if ((instruction.is("copy") || instruction.is("add")) && !instruction.flag("from")) {
        place(i, effects[i]);
      }
    }
    for (const StageCommand& command : job.facts.commands) {
      if (command.command.name() != "rm") continue;
      for (const std::string& path : operands(command.command, 1))
        removed_.push_back({command.index, model::resolvePath(command.workdir, path)});
    }
  }

  // The context path the build stage's `path` comes from, when a COPY
  // brought it there and no later rm removed it.
  std::optional<std::string> contextPathOf(std::string_view path) const {
    size_t after = 0;
    for (const auto& [index, removed] : removed_) {
      if (isUnder(path, removed)) after = std::max(after, index);
    }
    for (auto it = placements_.rbegin(); it != placements_.rend() && it->index > after; ++it) {
      std::optional<std::string> source;
      if (it->directory && isUnder(path, it->target)) {
        size_t skip = it->target == "/" ? 1 : it->target.size() + 1;
        source = joinPath(it->source, path.size() > it->target.size() ? path.substr(skip) : "");
      } else if (!it->directory && path == it->target) {
        source = it->source;
      }
      if (source && job_.context.exists(*source) && !ignored(*source)) return source;
    }
    return std::nullopt;
  }

  // Does the COPY of the stage bring this context file?
  bool brings(std::string_view file) const {
    if (ignored(file)) return false;
    return std::any_of(placements_.begin(), placements_.end(), [&](const Placement& placement) {
      return placement.directory ? placement.source == "." || isUnder(file, placement.source)
                                 : placement.source == file;
    });
  }

  bool ignored(std::string_view path) const { return job_.context.dockerignore().excludes(path); }

 private:
  void place(size_t index, const analysis::Effects& effects) {
    if (!effects.destination) return;
    const std::string& destination = *effects.destination;
    bool into = effects.intoDirectory || destination == workdirAt(job_.file, index) ||
                effects.contextSources.size() > 1;
    for (const std::string& source : effects.contextSources) {
      if (source == "." || job_.context.isDirectory(source)) {
        placements_.push_back({index, source, destination, true});
        continue;
      }
      if (job_.instruction(index).is("add")) continue;  // it may unpack an archive
      std::vector<std::string> files;
      if (hasGlob(source)) {
        for (const std::string& file : job_.context.files())
          if (context::matchPattern(source, file)) files.push_back(file);
      } else if (job_.context.exists(source)) {
        files.push_back(source);
      }
      for (const std::string& file : files) {
        std::string target =
            into || hasGlob(source) ? model::resolvePath(destination, baseName(file)) : destination;
        placements_.push_back({index, file, target, false});
      }
    }
  }

  const Job& job_;
  std::vector<Placement> placements_;
  std::vector<std::pair<size_t, std::string>> removed_;
};

// What the program's sources say about the files it reads.
struct SourceFacts {
  std::vector<std::string> literals;
  std::vector<std::string> embedded;  // context paths //go:embed puts in the binary
  bool loadsDotEnv = false;
  std::string findsOwnBinary;  // "main.go calls os.Executable"
};

// The string literals of a source file, without Go's import paths and
// Rust's compile-time includes.
void collectLiterals(std::string text, Tool tool, std::vector<std::string>& literals) {
  static const RE2 goImportBlock(R"re((?s)\bimport\s*\(.*?\))re");
  static const RE2 goImport(R"re(\bimport\s+[\w.]*\s*"[^"\n]*")re");
  static const RE2 rustInclude(R"re(\binclude(?:_str|_bytes)?!\s*\(\s*r?#*"[^"\n]*")re");
  static const RE2 quoted(R"re("((?:[^"\\\n]|\\.)*)")re");
  static const RE2 raw(R"re(`([^`]*)`)re");
  if (tool == Tool::Go) {
    RE2::GlobalReplace(&text, goImportBlock, "");
    RE2::GlobalReplace(&text, goImport, "");
  }
  if (tool == Tool::Cargo) RE2::GlobalReplace(&text, rustInclude, "");
  std::string literal;
  for (re2::StringPiece rest(text); RE2::FindAndConsume(&rest, quoted, &literal);)
    literals.push_back(literal);
  if (tool != Tool::Go) return;
  for (re2::StringPiece rest(text); RE2::FindAndConsume(&rest, raw, &literal);) literals.push_back(literal);
}

// The context paths a file's //go:embed directives name, up to their first pattern.
void collectEmbedded(const std::string& file, const std::string& text, std::vector<std::string>& embedded) {
  static const RE2 directive(R"re((?m)^\s*//go:embed\s+(.+)$)re");
  std::string patterns;
  for (re2::StringPiece rest(text); RE2::FindAndConsume(&rest, directive, &patterns);) {
    for (std::string path : splitOn(patterns, " \t\r")) {
      path.erase(std::remove_if(path.begin(), path.end(), [](char c) { return c == '"' || c == '`'; }),
                 path.end());
      if (path.starts_with("all:")) path.erase(0, 4);
      while (hasGlob(path) && path != ".") path = text::dirName(path);
      embedded.push_back(context::cleanPath(joinPath(text::dirName(file), path)));
    }
  }
}

SourceFacts readSources(const Job& job, const BuildStage& stage) {
  static const RE2 dotEnv(R"re(godotenv\.(?:Load|Overload)\(\s*\)|\bdotenv\(\s*\)|Dotenv\.load\(\s*\))re");
  static const RE2 ownBinary(R"re(\b(os\.Executable|current_exe)\()re");
  std::vector<std::string> files;
  for (const std::string& file : job.context.files()) {
    if (!isSource(file, job.ecosystem) || file.ends_with("_test.go")) continue;
    std::vector<std::string> folders = splitOn(text::dirName(file), "/");
    if (std::any_of(folders.begin(), folders.end(),
                    [](const std::string& f) { return isOneOf(f, kSkippedFolders); }))
      continue;
    if (stage.brings(file)) files.push_back(file);
  }
  if (files.size() > kMaxSources) {
    notSplit(job.offset(job.stage.from),
             fmt::format("its {} source files are more than dfopt reads ({}) to find the files the program "
                         "opens at run time",
                         files.size(), kMaxSources));
  }
  SourceFacts facts;
  for (const std::string& file : files) {
    std::string text = job.context.read(file).value_or("");
    collectLiterals(text, job.ecosystem, facts.literals);
    if (job.ecosystem == Tool::Go) collectEmbedded(file, text, facts.embedded);
    facts.loadsDotEnv = facts.loadsDotEnv || RE2::PartialMatch(text, dotEnv);
    std::string call;
    if (facts.findsOwnBinary.empty() && job.ecosystem != Tool::Maven && job.ecosystem != Tool::Gradle &&
        RE2::PartialMatch(text, ownBinary, &call)) {
      facts.findsOwnBinary = fmt::format("{} calls {}", file, call);
    }
  }
  return facts;
}

// The path a literal names below `workdir`, up to its first component with
// a pattern or a format verb; nothing for what is no relative file path.
std::optional<std::string> literalPath(std::string_view literal, std::string_view workdir) {
  if (literal.empty() || literal.size() > 200 ||
      literal.find_first_of(" \t\\<>|:;,='\"") != std::string_view::npos)
    return std::nullopt;
  std::string value(literal);
  if (value.starts_with("/")) {
    if (!isUnder(value, workdir) || value == workdir) return std::nullopt;
    value = value.substr(workdir == "/" ? 1 : workdir.size() + 1);
  }
  std::vector<std::string> parts;
  for (const std::string& part : splitOn(value, "/")) {
    if (part.find_first_of("*?[%{}$") != std::string_view::npos) break;
    if (part == "..") return std::nullopt;
    if (part != ".") parts.push_back(part);
  }
  if (parts.empty()) return std::nullopt;
  return model::resolvePath(workdir, fmt::format("{}", fmt::join(parts, "/")));
}

// Does an rm after commands[made] remove `path`?
bool removedAfter(const std::vector<StageCommand>& commands, size_t made, std::string_view path) {
  for (size_t i = made + 1; i < commands.size(); ++i) {
    if (commands[i].command.name() != "rm") continue;
    for (const std::string& removed : operands(commands[i].command, 1)) {
      if (isUnder(path, model::resolvePath(commands[i].workdir, removed))) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<RuntimeFile> runtimeFiles(const Job& job, std::string_view artifact) {
  const std::string& workdir = job.facts.workdir;
  BuildStage stage(job);
  SourceFacts sources = readSources(job, stage);
  if (!sources.findsOwnBinary.empty()) {
    notSplit(job.offset(job.stage.from),
             fmt::format("the program asks where its own binary is ({}), maybe to find files next to it, "
                         "and the split moves the binary",
                         sources.findsOwnBinary));
  }
  std::vector<RuntimeFile> found;
  auto keep = [&](const std::string& path) {
    if (path == workdir || isUnder(artifact, path)) return;
    std::optional<std::string> source = stage.contextPathOf(path);
    if (!source) return;
    bool embedded = std::any_of(sources.embedded.begin(), sources.embedded.end(),
                                [&](const std::string& e) { return isUnder(*source, e); });
    if (embedded) return;
    if (!job.context.isDirectory(*source)) {
      if (!isSource(*source, job.ecosystem)) found.push_back({path, false});
      return;
    }
    std::vector<std::string> below = job.context.filesUnder(*source);
    bool holdsData = std::any_of(below.begin(), below.end(), [&](const std::string& file) {
      return !isSource(file, job.ecosystem) && !stage.ignored(file);
    });
    if (holdsData) found.push_back({path, true});
  };
  for (std::string_view name : kRuntimeDirectories) keep(model::resolvePath(workdir, name));
  for (std::string_view name : kConfigFiles) keep(model::resolvePath(workdir, name));
  if (sources.loadsDotEnv) keep(model::resolvePath(workdir, ".env"));
  for (const std::string& literal : sources.literals) {
    std::optional<std::string> path = literalPath(literal, workdir);
    if (!path) continue;
    keep(*path);
    if (!contains(literal, "/") && !contains(literal, ".")) {
      for (std::string_view extension : kConfigExtensions) keep(*path + std::string(extension));
    }
  }
  const std::vector<StageCommand>& commands = job.facts.commands;
  for (size_t i = 0; i < commands.size(); ++i) {
    if (commands[i].command.name() != "mkdir") continue;
    for (const std::string& made : operands(commands[i].command, 1, {"-m", "--mode"})) {
      std::string path = model::resolvePath(commands[i].workdir, made);
      if (!isUnder(path, workdir) || removedAfter(commands, i, path)) continue;
      if (stage.contextPathOf(path)) {
        keep(path);  // the context brings it too: kept as any other
      } else if (path != workdir && !isUnder(artifact, path)) {
        found.push_back({path, true});
      }
    }
  }
  std::sort(found.begin(), found.end(),
            [](const RuntimeFile& a, const RuntimeFile& b) { return a.path < b.path; });
  std::vector<RuntimeFile> kept;
  for (const RuntimeFile& file : found) {
    bool covered = std::any_of(kept.begin(), kept.end(), [&](const RuntimeFile& k) {
      return k.path == file.path || (k.directory && isUnder(file.path, k.path));
    });
    if (!covered) kept.push_back(file);
  }
  return kept;
}

std::string runtimeFileCopies(const Job& job, const std::vector<RuntimeFile>& files) {
  std::string lines;
  for (const RuntimeFile& file : files) {
    std::string relative = file.path.substr(job.facts.workdir == "/" ? 1 : job.facts.workdir.size() + 1);
    lines +=
        job.productionLine("COPY", fmt::format("--from={} {} ./{}", job.buildStage, file.path, relative));
  }
  return lines;
}

std::string runtimeFileList(const Job& job, const std::vector<RuntimeFile>& files) {
  std::vector<std::string> names;
  for (const RuntimeFile& file : files) {
    std::string relative = file.path.substr(job.facts.workdir == "/" ? 1 : job.facts.workdir.size() + 1);
    names.push_back(file.directory ? relative + "/" : relative);
  }
  if (names.size() == 1) return names[0];
  std::string last = names.back();
  names.pop_back();
  return fmt::format("{} and {}", fmt::join(names, ", "), last);
}

}  // namespace dfopt::transforms::multi_stage
