#pragma once
// The manifests the recipes read (pyproject.toml, package.json, Cargo.toml),
// found in the context directories the build stage copies. TOML and JSON are
// read with engine/manifests' libraries; a manifest that does not parse is a
// reason not to split, named in the message.
#include <string>
#include <string_view>
#include <vector>

#include "engine/manifests.h"
#include "transforms/multi_stage/job.h"

namespace dfopt::transforms::multi_stage {

// The build stage's last copy into `destination` of a context directory
// that holds `manifest`.
const DirectoryCopy& copyHolding(const Job& job, std::string_view destination, std::string_view manifest);

// The text of `manifest` in the copied directory.
std::string readManifest(const Job& job, const DirectoryCopy& copy, std::string_view manifest);

// `text`, the context file `path`, as a TOML document; when it is not
// valid TOML, a refusal at `offset` that names the file.
toml::table parseTomlFile(std::string_view text, std::string_view path, uint32_t offset);

// `manifest` of the copied directory as a TOML document (a refusal when it is not one).
toml::table readTomlManifest(const Job& job, const DirectoryCopy& copy, std::string_view manifest);

// The names of a lock file's [[package]] entries (poetry.lock, Cargo.lock), as written.
std::vector<std::string> lockedPackages(const toml::table& lock);

}  // namespace dfopt::transforms::multi_stage
