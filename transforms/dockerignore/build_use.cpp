// What the Dockerfile takes from the context: the sources of COPY, ADD and
// RUN's bind mounts (globs and variables resolved against the context), the
// context paths RUN, CMD, ENTRYPOINT and ENV name, and the programs RUN runs.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "engine/instruction_commands.h"
#include "model/queries.h"
#include "model/variables.h"
#include "shell/script.h"
#include "transforms/dockerignore/build_use.h"
#include "util/text.h"

namespace dfopt::transforms::dockerignore {

using text::baseName;
using text::dirName;

using context::BuildContext;
using model::Dockerfile;
using model::Instruction;

namespace {

// A COPY source with its variables expanded; one with no known value becomes
// '*', so the source still matches whatever it might name.
std::string expandSource(std::string_view word, const model::Variables& variables, bool& guessed) {
  if (!model::hasVariable(word)) return std::string(word);
  if (auto expanded = model::expandVariables(word, variables)) return *expanded;
  guessed = true;
  model::Variables wildcards = variables;
  for (const std::string& name : model::variableNames(word)) {
    auto found = wildcards.find(name);
    // A std::string, not "*": GCC 12 inlines the assignment here and warns, falsely, of overlap (-Wrestrict).
    if (found == wildcards.end() || !found->second || found->second->empty())
      wildcards[name] = std::string("*");
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
  for (; directory != "."; directory = dirName(directory)) directories.push_back(directory);
}

// Words that may hold paths: "--config=a/b:c/d" gives "a/b" and "c/d", each
// handed to `take` (no list: this runs on every word of every RUN).
template <typename Take>
void forEachPathLikePart(std::string_view word, std::string_view separators, Take take) {
  auto isSeparator = [&](char c) {
    return std::find(separators.begin(), separators.end(), c) != separators.end();
  };
  size_t begin = 0;
  for (size_t at = 0; at <= word.size(); ++at) {
    if (at == word.size() || isSeparator(word[at])) {
      if (at > begin) take(word.substr(begin, at - begin));
      begin = at + 1;
    }
  }
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
    forEachPathLikePart(flag.value, ",", [&](std::string_view option) {
      size_t equals = option.find('=');
      std::string_view key = option.substr(0, equals);
      std::string value(equals == std::string_view::npos ? "" : option.substr(equals + 1));
      if (key == "type") type = value;
      if (key == "source" || key == "src") source = value;
      if (key == "from") fromElsewhere = true;
    });
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

void collectCopied(const Dockerfile& file, const BuildContext& context, const SharedPaths& paths,
                   BuildUse& use) {
  model::VariablesWalk walk(file);
  for (size_t i = 0; i < file.instructions.size(); ++i) {
    std::vector<std::string> sources = contextSourcesOf(file.instructions[i]);
    if (sources.empty()) continue;
    const model::Variables& variables = walk.before(i);
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
        addDirectoryAndParents(use.sourceDirectories, context.isDirectory(copied) ? copied : dirName(copied));
        use.copied.push_back({std::move(copied), i, guessedFrom});
      }
    }
  }
  std::sort(use.sourceDirectories.begin(), use.sourceDirectories.end());
  use.sourceDirectories.erase(std::unique(use.sourceDirectories.begin(), use.sourceDirectories.end()),
                              use.sourceDirectories.end());
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
std::optional<ProgramRun> programRun(const std::vector<std::string_view>& words) {
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

// The names of the context's files and directories and of every directory
// above them, at any depth. A word none of whose names is one of them names
// no path of the context: most words of a RUN are told so before their
// tails are cleaned and looked up. Entries below a pruned directory are
// looked up on disk, so with one every word may name a path.
class EntryNames {
 public:
  explicit EntryNames(std::shared_ptr<const BuildContext::Listing> listing) : listing_(std::move(listing)) {
    for (const auto* paths : {&listing_->files, &listing_->directories, &listing_->pruned}) {
      for (std::string_view path : *paths)
        forEachName(path, [&](std::string_view name) { names_.insert(name); });
    }
  }

  const BuildContext::Listing* listing() const { return listing_.get(); }
  // No word names a path of the context: it holds nothing.
  bool none() const { return names_.empty(); }

  bool mayName(std::string_view word) const {
    if (!listing_->pruned.empty()) return true;
    bool found = false;
    forEachName(word, [&](std::string_view name) { found = found || names_.count(name) > 0; });
    return found;
  }
  // Could a part of `text` be one of the names? Not when it holds none of a
  // few names (a small context, one Dockerfile's folder): one search each,
  // no split and hash per part.
  bool mayHoldName(std::string_view text) const {
    constexpr size_t kFew = 8;
    if (!listing_->pruned.empty() || names_.size() > kFew) return true;
    return std::any_of(names_.begin(), names_.end(),
                       [&](std::string_view name) { return text.find(name) != std::string_view::npos; });
  }

 private:
  template <typename Take>
  static void forEachName(std::string_view path, Take take) {
    forEachPathLikePart(path, "/", take);
  }

  std::shared_ptr<const BuildContext::Listing> listing_;
  std::unordered_set<std::string_view> names_;
};

// The names of this context's entries; the last listing's are kept a thread
// (the Dockerfiles of a run share their context).
const EntryNames& entryNamesOf(const BuildContext& context) {
  thread_local std::optional<EntryNames> last;
  if (!last || last->listing() != context.listing().get()) last.emplace(context.listing());
  return *last;
}

// The context paths a word may name: the word itself, its tails, and both
// inside each directory the Dockerfile copies from. A glob counts only as
// a relative path with a directory ("dist/*.whl"): "/var/lib/apt/lists/*"
// and "*" would name everything.
void addNamedPaths(std::string_view word, size_t instruction, const BuildUse& sources,
                   const BuildContext& context, const EntryNames& names, const SharedPaths& paths,
                   std::vector<Use>& named) {
  if (!hasPatternSyntax(word) && !names.mayName(word)) return;
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
  // Only a tail of at most PATH_MAX bytes whose first name is an entry of
  // the context (or of the directory) can be a path in it: the work stays
  // linear in the word, however many '/' it holds.
  using model::kPathMax;
  size_t at = 0;
  if (path.size() > kPathMax) {
    at = path.find('/', path.size() - kPathMax - 1);
    if (at == std::string::npos) return;
    ++at;
  }
  while (at != std::string::npos) {
    std::string_view tail = std::string_view(path).substr(at);
    std::string_view first = tail.substr(0, tail.find('/'));
    if (context.exists(first) && context.exists(tail)) named.push_back({std::string(tail), instruction, {}});
    for (const std::string& directory : sources.sourceDirectories) {
      std::string inside = directory + "/";
      inside += first;
      if (!context.exists(inside)) continue;
      inside += tail.substr(first.size());
      if (context.exists(inside)) named.push_back({inside, instruction, {}});
    }
    at = path.find('/', at);
    if (at != std::string::npos) ++at;
  }
}

void collectNamedAndRuns(const Dockerfile& file, const BuildContext& context, const SharedPaths& paths,
                         BuildUse& use) {
  model::VariablesWalk walk(file);
  const EntryNames& names = entryNamesOf(context);
  const bool noEntries = names.none();
  for (size_t i = 0; i < file.instructions.size(); ++i) {
    const Instruction& instruction = file.instructions[i];
    bool run = instruction.is("run");
    if (noEntries && !run) continue;  // only the RUNs' programs are left to read
    bool runs = run || instruction.is("cmd") || instruction.is("entrypoint");
    if (!runs && !instruction.is("env")) continue;
    const model::Variables& variables = walk.before(i);
    auto& named = run ? use.namedByRun : use.namedAtRuntime;
    auto addNamed = [&](const std::vector<std::string_view>& words) {
      if (noEntries) return;
      for (std::string_view word : words) {
        std::optional<std::string> expanded;
        if (model::hasVariable(word)) {
          expanded = model::expandVariables(word, variables);
        } else if (!names.mayHoldName(word) && !hasPatternSyntax(word)) {
          continue;  // no part of it can name a path, nor be a glob
        }
        forEachPathLikePart(expanded ? *expanded : word, "=:,", [&](std::string_view part) {
          addNamedPaths(part, i, use, context, names, paths, named);
        });
      }
    };
    if (runs) {
      engine::forEachCommandOf(instruction, [&](const std::vector<std::string_view>& command) {
        addNamed(command);
        if (auto program = run ? programRun(command) : std::nullopt; program && usesTooling(*program))
          use.runs.push_back(std::move(*program));
      });
    } else {  // ENV
      std::vector<std::string> values;
      const auto& parts = instruction.buildkit.next;
      for (size_t p = 1; p < parts.size(); p += 3) values.push_back(model::unquoteValue(parts[p].value));
      addNamed({values.begin(), values.end()});
    }
  }
}

bool isInside(std::string_view path, std::string_view directory) {
  return directory == "." || text::isUnder(path, directory);
}

}  // namespace

BuildUse buildUse(const Dockerfile& file, const BuildContext& context, const SharedPaths& paths) {
  BuildUse use;
  collectCopied(file, context, paths, use);
  collectNamedAndRuns(file, context, paths, use);
  return use;
}

bool isCopied(std::string_view path, const BuildUse& use) {
  if (use.copiesWholeContext) return true;
  return std::any_of(use.copied.begin(), use.copied.end(), [&](const Use& copied) {
    return isInside(path, copied.path) || isInside(copied.path, path);
  });
}

}  // namespace dfopt::transforms::dockerignore
