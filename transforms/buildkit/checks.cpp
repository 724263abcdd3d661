#include "transforms/buildkit/checks.h"

namespace dfopt::transforms::buildkit {

const std::vector<Check>& allChecks() {
  static const std::vector<Check> checks = {
      {"MaintainerDeprecated", maintainerDeprecated},
  };
  return checks;
}

}  // namespace dfopt::transforms::buildkit
