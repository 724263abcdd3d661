#pragma once
// BuildKit's own checks (`docker build --check`), each decided statically
// and reported under BuildKit's name, with a fix where one is safe. One
// check, one file, one registration line in checks.cpp.
#include <string_view>
#include <vector>

#include "context/build_context.h"
#include "engine/transform.h"
#include "model/dockerfile.h"
#include "transforms/buildkit/scope.h"

namespace dfopt::transforms::buildkit {

struct CheckInput {
  const model::Dockerfile& file;
  const context::BuildContext& context;
  const engine::Options& options;
  const GlobalScope& global;  // globalScope(file), made once for all checks
};

// A check appends its findings; the runner puts the check's name in front
// of each message.
using CheckFunction = void (*)(const CheckInput& input, std::vector<engine::Finding>& findings);

// Does a check ever edit? One that does not is left out of the pipeline's
// later passes, which keep only findings that change the file
// (engine::Options::changesOnly); a test holds each Fix::None check to it.
enum class Fix { None, Some };

struct Check {
  std::string_view name;  // BuildKit's, e.g. MaintainerDeprecated
  CheckFunction run;
  Fix fix;
};

// The checks, in BuildKit's documentation order.
const std::vector<Check>& allChecks();

// One declaration per check file.
void stageNameCasing(const CheckInput& input, std::vector<engine::Finding>& findings);
void fromAsCasing(const CheckInput& input, std::vector<engine::Finding>& findings);
void noEmptyContinuation(const CheckInput& input, std::vector<engine::Finding>& findings);
void consistentInstructionCasing(const CheckInput& input, std::vector<engine::Finding>& findings);
void duplicateStageName(const CheckInput& input, std::vector<engine::Finding>& findings);
void reservedStageName(const CheckInput& input, std::vector<engine::Finding>& findings);
void multipleInstructionsDisallowed(const CheckInput& input, std::vector<engine::Finding>& findings);
void legacyKeyValueFormat(const CheckInput& input, std::vector<engine::Finding>& findings);
void invalidDefinitionDescription(const CheckInput& input, std::vector<engine::Finding>& findings);
void exposeProtoCasing(const CheckInput& input, std::vector<engine::Finding>& findings);
void exposeInvalidFormat(const CheckInput& input, std::vector<engine::Finding>& findings);
void maintainerDeprecated(const CheckInput& input, std::vector<engine::Finding>& findings);
void undefinedArgInFrom(const CheckInput& input, std::vector<engine::Finding>& findings);
void workdirRelativePath(const CheckInput& input, std::vector<engine::Finding>& findings);
void undefinedVar(const CheckInput& input, std::vector<engine::Finding>& findings);
void redundantTargetPlatform(const CheckInput& input, std::vector<engine::Finding>& findings);
void invalidDefaultArgInFrom(const CheckInput& input, std::vector<engine::Finding>& findings);
void fromPlatformFlagConstDisallowed(const CheckInput& input, std::vector<engine::Finding>& findings);
void copyIgnoredFile(const CheckInput& input, std::vector<engine::Finding>& findings);

}  // namespace dfopt::transforms::buildkit
