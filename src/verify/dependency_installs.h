#pragma once
// Which build steps install dependencies: the steps a source edit should
// not re-run.
#include <string>
#include <vector>

namespace dfopt::verify {

// Does this step, as a build's output shows it ("RUN pip install ..."),
// install dependencies (pip, poetry, npm, yarn, pnpm, go mod, bundler,
// composer, cargo)? Any one of its commands may, also through sudo, env or
// `sh -c`. `pip install --no-deps` installs only what it names; a
// `poetry install` after a `poetry install --no-root` of the same stage
// (`earlierInStage`: the instructions before it) installs only the project.
bool installsDependencies(const std::string& instruction, const std::vector<std::string>& earlierInStage);

}  // namespace dfopt::verify
