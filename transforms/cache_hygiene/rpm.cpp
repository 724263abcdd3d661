// dnf, yum, microdnf and tdnf: the repository metadata (and, where
// keepcache is set, the packages) stay in /var/cache/dnf or /var/cache/yum
// unless `clean all` runs in the same RUN; `yum clean all` leaves the
// metadata of disabled repositories, hence the rm as Red Hat's images do.
// In a file that uses BuildKit, dnf and yum get a cache mount instead.
#include <fmt/format.h>

#include "transforms/cache_hygiene/hygiene.h"
#include "util/text.h"

namespace dfopt::transforms::cache_hygiene {
namespace {

using text::isOneOf;

bool isRpmTool(const ToolCommand& tool) { return isOneOf(tool.tool, {"dnf", "yum", "microdnf", "tdnf"}); }

bool writesCache(const ToolCommand& tool) {
  return isRpmTool(tool) &&
         isOneOf(tool.sub, {"install", "update", "upgrade", "groupinstall", "reinstall", "localinstall",
                            "makecache", "distro-sync", "builddep", "module", "group", "swap", "downgrade"});
}

bool cleans(const RunView& run) {
  for (const ToolCommand& tool : toolCommands(run)) {
    if (isRpmTool(tool) && tool.sub == "clean") return true;
  }
  return removesUnder(run, {"/var/cache/dnf", "/var/cache/yum", "/var/cache/tdnf"}) ||
         hasCacheMountOver(run, "/var/cache/dnf") || hasCacheMountOver(run, "/var/cache/yum");
}

std::string cleanup(std::string_view tool) {
  if (tool == "yum") return "yum clean all && rm -rf /var/cache/yum";
  return fmt::format("{} clean all", tool);
}

void checkRun(const Input& input, const RunView& run, std::vector<Finding>& findings) {
  const std::vector<ToolCommand>& tools = toolCommands(run);
  auto first = std::find_if(tools.begin(), tools.end(), writesCache);
  if (first == tools.end() || cleans(run)) return;
  auto last = std::find_if(tools.rbegin(), tools.rend(), writesCache);
  std::string tool = last->tool;
  std::string cache = tool == "dnf" ? "/var/cache/dnf" : "/var/cache/yum";
  Finding finding;
  finding.transform = "cache-hygiene";
  finding.offset = commandOf(run, *first).range.begin;
  if (input.buildkit && run.root && (tool == "dnf" || tool == "yum")) {
    finding.message = fmt::format(
        "{} {} leaves the repository metadata in {} in the layer: a cache mount keeps it on the builder "
        "instead",
        tool, first->sub, cache);
    finding.edits = {insertMounts(input, run, {cacheMount(cache, true)})};
  } else {
    finding.message =
        fmt::format("{} {} leaves the repository metadata in {} in the layer: {} in the same RUN removes it",
                    tool, first->sub, tool == "dnf" ? "/var/cache/dnf" : "/var/cache/yum", cleanup(tool));
    finding.edits = {appendCommand(input, run, cleanup(tool))};
  }
  findings.push_back(std::move(finding));
}

}  // namespace

void checkRpm(Input& input, std::vector<Finding>& findings) {
  for (const RunView& run : input.runs) {
    if (input.shipped[run.stage] && run.usable) checkRun(input, run, findings);
  }
}

}  // namespace dfopt::transforms::cache_hygiene
