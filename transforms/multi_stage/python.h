#pragma once
// What the Python recipes (python.cpp: pip; poetry.cpp) share.
#include <string_view>

#include "engine/manifests.h"
#include "transforms/multi_stage/job.h"

namespace dfopt::transforms::multi_stage {

// The virtualenv the production stage gets from the build stage.
constexpr std::string_view kVirtualenv = "/opt/venv";

// How the production stage runs the pip of the virtualenv `venv`. Its
// interpreter is a link to the build image's python: an official python
// image has it where the runtime image has it, the reader's own image may
// not (/usr/bin/python3, another version). There the virtualenv's own
// interpreter runs pip, so the build fails when it is missing or of another
// version (its site-packages, pip with them, are then not found) instead of
// shipping a virtualenv that cannot start.
std::string virtualenvPip(const Job& job, std::string_view venv);

// Refuses a project that needs a package which builds against system
// libraries: it needs them at run time too, and the slim image lacks them.
void checkNativeLibraries(const Job& job);

// Does pyproject.toml install `program` with the wheel: a dependency or a script?
bool declaresProgram(const toml::table& pyproject, std::string_view program);

}  // namespace dfopt::transforms::multi_stage
