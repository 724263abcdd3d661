// The one list of transforms. The order is the pipeline's: each step sees
// what the steps before it wrote. Adding a transform: its file (or folder),
// its factory in transforms.h, one line here, a golden folder.
#include "transforms/transforms.h"

namespace dfopt::transforms {
namespace {

std::vector<std::unique_ptr<engine::Transform>> makeAll() {
  std::vector<std::unique_ptr<engine::Transform>> list;
  list.push_back(makeAddToCopy());
  list.push_back(makeLockfile());
  list.push_back(makePoetryFlags());
  list.push_back(makeDepsFirst());
  list.push_back(makeMultiStage());
  list.push_back(makeNonRoot());
  list.push_back(makeProductionServer());
  list.push_back(makeExecForm());
  list.push_back(makeCacheHygiene());
  list.push_back(makeSecrets());
  list.push_back(makeBuildkitChecks());
  list.push_back(makeBaseTag());
  list.push_back(makeDockerignore());
  list.push_back(makeStageGraph());
  return list;
}

}  // namespace

const std::vector<const engine::Transform*>& all() {
  static const std::vector<std::unique_ptr<engine::Transform>> owned = makeAll();
  static const std::vector<const engine::Transform*> list = [] {
    std::vector<const engine::Transform*> pointers;
    for (const auto& transform : owned) pointers.push_back(transform.get());
    return pointers;
  }();
  return list;
}

const engine::Transform* find(std::string_view name) {
  for (const engine::Transform* transform : all()) {
    if (transform->name() == name) return transform;
  }
  return nullptr;
}

}  // namespace dfopt::transforms
