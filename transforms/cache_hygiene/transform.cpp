// cache-hygiene: package managers' caches and lists left out of the layers
// the image ships (hygiene.h says which and how).
#include "transforms/cache_hygiene/hygiene.h"
#include "transforms/transforms.h"

namespace dfopt::transforms {
namespace {

class CacheHygiene final : public engine::Transform {
 public:
  std::string_view name() const override { return "cache-hygiene"; }

  engine::Result run(const model::Dockerfile& file, const context::BuildContext& context,
                     const engine::Options&) const override {
    engine::Result result;
    cache_hygiene::Input input = cache_hygiene::makeInput(file, context);
    cache_hygiene::checkApt(input, result.findings);
    cache_hygiene::checkApk(input, result.findings);
    cache_hygiene::checkRpm(input, result.findings);
    cache_hygiene::checkPip(input, result.findings);
    cache_hygiene::checkNode(input, result.findings);
    return result;
  }
};

}  // namespace

std::unique_ptr<engine::Transform> makeCacheHygiene() { return std::make_unique<CacheHygiene>(); }

}  // namespace dfopt::transforms
