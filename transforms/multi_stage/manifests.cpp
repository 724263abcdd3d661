#include "transforms/multi_stage/manifests.h"

#include <fmt/format.h>

#include "engine/ecosystem.h"

namespace dfopt::transforms::multi_stage {

const DirectoryCopy& copyHolding(const Job& job, std::string_view destination, std::string_view manifest) {
  bool copiesDirectory = false;
  for (auto copy = job.facts.directoryCopies.rbegin(); copy != job.facts.directoryCopies.rend(); ++copy) {
    if (copy->destination != destination) continue;
    copiesDirectory = true;
    if (job.context.exists(engine::contextPath(copy->source, manifest))) return *copy;
  }
  uint32_t at = job.offset(job.stage.from);
  if (copiesDirectory) {
    notSplit(at, fmt::format("the build context has no {} in the directory copied into {}", manifest,
                             destination));
  }
  notSplit(at, fmt::format("no COPY brings a directory of the build context into {}", destination));
}

std::string readManifest(const Job& job, const DirectoryCopy& copy, std::string_view manifest) {
  std::string path = engine::contextPath(copy.source, manifest);
  auto text = job.context.read(path);
  if (!text) notSplit(job.offset(copy.index), fmt::format("{} cannot be read", path));
  return *text;
}

toml::table parseTomlFile(std::string_view text, std::string_view path, uint32_t offset) {
  std::optional<toml::table> document = engine::parseToml(text);
  if (!document) notSplit(offset, fmt::format("{} is not valid TOML", path));
  return std::move(*document);
}

toml::table readTomlManifest(const Job& job, const DirectoryCopy& copy, std::string_view manifest) {
  return parseTomlFile(readManifest(job, copy, manifest), engine::contextPath(copy.source, manifest),
                       job.offset(copy.index));
}

std::vector<std::string> lockedPackages(const toml::table& lock) {
  std::vector<std::string> names;
  if (const toml::array* packages = lock["package"].as_array()) {
    for (const toml::node& package : *packages) {
      if (auto name = package.at_path("name").value<std::string>()) names.push_back(*name);
    }
  }
  return names;
}

}  // namespace dfopt::transforms::multi_stage
