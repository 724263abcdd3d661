#include "transforms/multi_stage/manifests.h"

#include <regex>

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

std::vector<std::string> tomlTables(std::string_view text, std::string_view header) {
  std::vector<std::string> tables;
  bool inside = false;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(at, end - at));
    at = end + 1;
    std::string trimmed = line.substr(0, line.find('#'));
    trimmed.erase(0, trimmed.find_first_not_of(" \t\r"));
    trimmed.erase(trimmed.find_last_not_of(" \t\r") + 1);
    if (trimmed.starts_with("[")) {
      inside = trimmed == header;
      if (inside) tables.emplace_back();
      continue;
    }
    if (inside) tables.back() += line + "\n";
  }
  return tables;
}

std::optional<std::string> tomlString(std::string_view table, std::string_view key) {
  std::regex pattern(fmt::format("(^|\\n)[ \\t]*{}[ \\t]*=[ \\t]*[\"']([^\"']*)[\"']", std::string(key)));
  std::smatch match;
  std::string text(table);
  if (std::regex_search(text, match, pattern)) return match[2].str();
  return std::nullopt;
}

}  // namespace dfopt::transforms::multi_stage
