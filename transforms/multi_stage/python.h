#pragma once
// What the Python recipes (python.cpp: pip; poetry.cpp) share.
#include <string_view>

#include "engine/manifests.h"
#include "transforms/multi_stage/job.h"

namespace dfopt::transforms::multi_stage {

// The virtualenv the production stage gets from the build stage.
constexpr std::string_view kVirtualenv = "/opt/venv";

// Refuses a project that needs a package which builds against system
// libraries: it needs them at run time too, and the slim image lacks them.
void checkNativeLibraries(const Job& job);

// Does pyproject.toml install `program` with the wheel: a dependency or a script?
bool declaresProgram(const toml::table& pyproject, std::string_view program);

}  // namespace dfopt::transforms::multi_stage
