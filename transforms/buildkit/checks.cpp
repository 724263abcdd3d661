#include "transforms/buildkit/checks.h"

namespace dfopt::transforms::buildkit {

const std::vector<Check>& allChecks() {
  static const std::vector<Check> checks = {
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
