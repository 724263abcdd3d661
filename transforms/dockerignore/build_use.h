#pragma once
// What the build takes from its context: the context's paths, what the
// Dockerfile copies and names, and which package tools its RUN steps run.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context/build_context.h"
#include "engine/ecosystem.h"
#include "model/dockerfile.h"

namespace dfopt::transforms::dockerignore {

// ---------------------------------------------------------------------------
// Paths of the context (context_paths.cpp)

// A wildcard or an escape: the path is a pattern, not a plain name.
bool hasPatternSyntax(std::string_view path);

// How many directories deep: "a" 0, "a/b" 1.
size_t depthOf(std::string_view path);

// A list of context paths several steps share.
using SharedPaths = std::shared_ptr<const std::vector<std::string>>;

// Every file and directory of the context, sorted; shared, as the
// Dockerfiles of a run that share a context ask for the same.
SharedPaths contextPaths(const context::BuildContext& context);

// The paths a cleaned .dockerignore pattern (no '!') matches itself.
std::vector<std::string> pathsMatching(const std::string& pattern, const std::vector<std::string>& paths,
                                       const context::BuildContext& context);
// The same, the last answer for each pattern kept a thread for a list of
// paths several Dockerfiles share.
std::vector<std::string> pathsMatching(const std::string& pattern, const SharedPaths& paths,
                                       const context::BuildContext& context);

// The paths whose own name matches `name` (a pattern without '/'), at any
// depth. The list asked about last is known by its address, else by its paths.
std::vector<std::string> pathsNamed(std::string_view name, const SharedPaths& paths);

// ---------------------------------------------------------------------------
// What the Dockerfile takes from the context (build_use.cpp)

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
  std::vector<ProgramRun> runs;  // the RUN commands of package tools and virtualenvs (usesTooling)
};

BuildUse buildUse(const model::Dockerfile& file, const context::BuildContext& context,
                  const SharedPaths& paths);
inline BuildUse buildUse(const model::Dockerfile& file, const context::BuildContext& context,
                         const std::vector<std::string>& paths) {
  return buildUse(file, context, std::make_shared<const std::vector<std::string>>(paths));
}

// Does the build copy this path (or something inside it) from the context?
bool isCopied(std::string_view path, const BuildUse& use);

// ---------------------------------------------------------------------------
// Which package tools the RUN steps use (tooling.cpp)

enum class Step { Install, Build };

// Does a RUN install the dependencies of (Step::Install), or build the
// project of (Step::Build), this ecosystem or one sharing its folders?
bool buildRuns(const BuildUse& use, engine::Ecosystem ecosystem, Step step);
// Can the run count for buildRuns: a package tool's, or one making a
// virtualenv? BuildUse keeps only those.
bool usesTooling(const ProgramRun& run);

// How messages name the ecosystem's family: "Python", "Node.js", "Cargo".
std::string familyName(engine::Ecosystem ecosystem);

// The first RUN whose text has `program` as a word, command substitutions
// ("$(git rev-parse HEAD)") included.
std::optional<size_t> runMentioning(const model::Dockerfile& file, std::string_view program);

}  // namespace dfopt::transforms::dockerignore
