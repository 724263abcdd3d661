#include "transforms/buildkit/checks.h"

namespace dfopt::transforms::buildkit {

const std::vector<Check>& allChecks() {
  static const std::vector<Check> checks = {
      {"StageNameCasing", stageNameCasing},
      {"FromAsCasing", fromAsCasing},
      {"NoEmptyContinuation", noEmptyContinuation},
      {"ConsistentInstructionCasing", consistentInstructionCasing},
      {"DuplicateStageName", duplicateStageName},
      {"ReservedStageName", reservedStageName},
      {"MultipleInstructionsDisallowed", multipleInstructionsDisallowed},
      {"LegacyKeyValueFormat", legacyKeyValueFormat},
      {"InvalidDefinitionDescription", invalidDefinitionDescription},
      {"ExposeProtoCasing", exposeProtoCasing},
      {"ExposeInvalidFormat", exposeInvalidFormat},
      {"MaintainerDeprecated", maintainerDeprecated},
      {"UndefinedArgInFrom", undefinedArgInFrom},
      {"WorkdirRelativePath", workdirRelativePath},
      {"UndefinedVar", undefinedVar},
      {"RedundantTargetPlatform", redundantTargetPlatform},
      {"InvalidDefaultArgInFrom", invalidDefaultArgInFrom},
      {"FromPlatformFlagConstDisallowed", fromPlatformFlagConstDisallowed},
      {"CopyIgnoredFile", copyIgnoredFile},
  };
  return checks;
}

}  // namespace dfopt::transforms::buildkit
