#pragma once
// The manifests the recipes read (pyproject.toml, package.json, Cargo.toml),
// found in the context directories the build stage copies.
#include <string>
#include <string_view>

#include "transforms/multi_stage/job.h"

namespace dfopt::transforms::multi_stage {

// The build stage's last copy into `destination` of a context directory
// that holds `manifest`.
const DirectoryCopy& copyHolding(const Job& job, std::string_view destination, std::string_view manifest);

// The text of `manifest` in the copied directory.
std::string readManifest(const Job& job, const DirectoryCopy& copy, std::string_view manifest);

// The lines of each `[table]` (or `[[table]]`) of a TOML text, in order.
std::vector<std::string> tomlTables(std::string_view text, std::string_view header);

std::optional<std::string> tomlString(std::string_view table, std::string_view key);

}  // namespace dfopt::transforms::multi_stage
