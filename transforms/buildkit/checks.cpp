#include "transforms/buildkit/checks.h"

namespace dfopt::transforms::buildkit {

const std::vector<Check>& allChecks() {
  static const std::vector<Check> checks = {
      {"StageNameCasing", stageNameCasing, Fix::Some},
      {"FromAsCasing", fromAsCasing, Fix::Some},
      {"NoEmptyContinuation", noEmptyContinuation, Fix::Some},
      {"ConsistentInstructionCasing", consistentInstructionCasing, Fix::Some},
      {"DuplicateStageName", duplicateStageName, Fix::None},
      {"ReservedStageName", reservedStageName, Fix::None},
      {"MultipleInstructionsDisallowed", multipleInstructionsDisallowed, Fix::Some},
      {"LegacyKeyValueFormat", legacyKeyValueFormat, Fix::Some},
      {"InvalidDefinitionDescription", invalidDefinitionDescription, Fix::None},
      {"ExposeProtoCasing", exposeProtoCasing, Fix::Some},
      {"ExposeInvalidFormat", exposeInvalidFormat, Fix::Some},
      {"MaintainerDeprecated", maintainerDeprecated, Fix::Some},
      {"UndefinedArgInFrom", undefinedArgInFrom, Fix::None},
      {"WorkdirRelativePath", workdirRelativePath, Fix::Some},
      {"UndefinedVar", undefinedVar, Fix::None},
      {"RedundantTargetPlatform", redundantTargetPlatform, Fix::Some},
      {"InvalidDefaultArgInFrom", invalidDefaultArgInFrom, Fix::None},
      {"FromPlatformFlagConstDisallowed", fromPlatformFlagConstDisallowed, Fix::None},
      {"CopyIgnoredFile", copyIgnoredFile, Fix::None},
  };
  return checks;
}

}  // namespace dfopt::transforms::buildkit
