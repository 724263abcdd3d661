#pragma once
// Variables as BuildKit's dispatch sees them (dockerfile2llb/convert.go):
// the global scope FROM lines are expanded in, and each stage's
// environment and declared ARGs before each of its instructions. No
// --build-arg is given, as `docker build --check` without options.
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/dockerfile.h"
#include "model/expansion.h"

namespace dfopt::transforms::buildkit {

struct GlobalScope {
  // defaultArgs as on a linux/amd64 builder (BUILDPLATFORM, TARGETARCH...,
  // TARGETSTAGE), then the defaults of the ARGs before the first FROM.
  model::Environment args;
  std::vector<std::string> declared;  // every ARG name before the first FROM, in order
  bool failed = false;                // a default BuildKit cannot expand: the build stops there
};
GlobalScope globalScope(const model::Dockerfile& file);

struct StageScope {
  model::Environment env;                        // the state's environment
  std::vector<std::string> order;                // its names, in the order they were set
  std::set<std::string, std::less<>> buildArgs;  // ARGs declared in the stage and the stages below it
  // Every name of the environment is known here: the stage is built on
  // scratch (directly or through other stages, with no ONBUILD on the way).
  // Otherwise the base image may set variables dfopt cannot see.
  bool complete = false;
  const model::Stage* root = nullptr;  // the stage of the file its FROM chain starts from
};

// One FROM as buildDispatchStates expands it with the global scope.
struct FromExpansion {
  const model::Stage* stage;
  model::WordExpansion name;
  std::optional<model::WordExpansion> platform;  // with --platform
};
// The FROM lines in order, up to the one where BuildKit stops with an error
// (a name that does not expand or expands to nothing, a platform that does
// not expand or parse); that one is the last, as its checks still run.
std::vector<FromExpansion> fromExpansions(const model::Dockerfile& file, const GlobalScope& global);

// The names a FROM may use (unusedFromArgsCheckKeys): the global ARGs and
// BuildKit's predefined platform ARGs.
std::vector<std::string> fromArgNames(const GlobalScope& global);

// Calls visit(i, scope) for each instruction i of a stage but its FROM, in
// file order, with the scope just before it, up to instruction `through`.
// Only the scope at each stage's end is kept: a copy per instruction would
// grow with the square of a file of ENVs (and faster when each value holds
// the one before).
void forEachScope(const model::Dockerfile& file, const GlobalScope& global,
                  const std::function<void(size_t, const StageScope&)>& visit,
                  size_t through = std::numeric_limits<size_t>::max());

// The stage a FROM names (its base expanded with the global scope), when it
// is an earlier stage of the file.
const model::Stage* baseStage(const model::Dockerfile& file, const model::Stage& stage,
                              const GlobalScope& global);

// suggest.Search: the closest name within an edit distance of 2, "" when
// none or when `name` is one of them.
std::string suggestName(const std::string& name, const std::vector<std::string>& options);

}  // namespace dfopt::transforms::buildkit
