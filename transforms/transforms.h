#pragma once
// Every transform dfopt has, in the pipeline's order (list.cpp). Each
// transform file or folder defines one factory below.
#include <memory>
#include <string_view>
#include <vector>

#include "engine/transform.h"

namespace dfopt::transforms {

std::unique_ptr<engine::Transform> makeAddToCopy();
std::unique_ptr<engine::Transform> makeLockfile();
std::unique_ptr<engine::Transform> makePoetryFlags();
std::unique_ptr<engine::Transform> makeDepsFirst();
std::unique_ptr<engine::Transform> makeMultiStage();
std::unique_ptr<engine::Transform> makeNonRoot();
std::unique_ptr<engine::Transform> makeProductionServer();
std::unique_ptr<engine::Transform> makeExecForm();
std::unique_ptr<engine::Transform> makeCacheHygiene();
std::unique_ptr<engine::Transform> makeSecrets();
std::unique_ptr<engine::Transform> makeBuildkitChecks();
std::unique_ptr<engine::Transform> makeBaseTag();
std::unique_ptr<engine::Transform> makeDockerignore();
std::unique_ptr<engine::Transform> makeStageGraph();

// The transforms in the pipeline's order.
const std::vector<const engine::Transform*>& all();
// The transform of that name, or nullptr.
const engine::Transform* find(std::string_view name);

}  // namespace dfopt::transforms
