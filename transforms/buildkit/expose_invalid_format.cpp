// ExposeInvalidFormat: `EXPOSE [ip:]hostPort:containerPort`. EXPOSE never
// maps a host port: BuildKit records only the container port, so dropping
// the `ip:hostPort:` part keeps the image as it is. That holds only when
// BuildKit accepts the word; otherwise the build fails and the fix would
// hide it, so such a word is only reported.
#include <fmt/format.h>

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/expose_ports.h"
#include "transforms/buildkit/lint_config.h"

namespace dfopt::transforms::buildkit {
namespace {

// net.ParseIP for dotted IPv4, as Go reads it (no leading zeros).
bool isIPv4(std::string_view ip) {
  int parts = 0;
  size_t at = 0;
  while (parts < 4) {
    size_t dot = ip.find('.', at);
    std::string_view part = ip.substr(at, dot - at);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
    }
    if (std::stoi(std::string(part)) > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    at = dot + 1;
  }
  return parts == 4 && ip.find('.', at) == std::string_view::npos;
}

// Why the `ip:hostPort:` part may not simply go: empty when it may.
std::string refusal(const ExposedPort& port) {
  if (!port.ip.empty() && port.ip.find(':') != std::string_view::npos) return "an IPv6 address";
  bool valid = (port.ip.empty() || isIPv4(port.ip)) && isPortRange(port.containerPort) &&
               (port.hostPort.empty() || isPortRange(port.hostPort));
  int container = valid ? portRangeLength(port.containerPort) : 0;
  if (!valid || (!port.hostPort.empty() && container != 0 && container != portRangeLength(port.hostPort))) {
    return "BuildKit rejects this port, so the build fails";
  }
  return "";
}

}  // namespace

void exposeInvalidFormat(const CheckInput& input, std::vector<engine::Finding>& findings) {
  for (const ExposeInstruction& expose : exposedPorts(input.file)) {
    if (!ruleEnabled(input.file, "ExposeInvalidFormat", false, expose.instruction)) continue;
    for (const ExposedPort& port : expose.ports) {
      if (port.ip.empty() && port.hostPort.empty()) continue;
      const model::Word& word = *port.word;
      engine::Finding finding;
      finding.offset = word.range.begin;
      finding.message = fmt::format(
          "EXPOSE instruction should not define an IP address or host-port mapping, found '{}'", word.text);
      bool oneLine = word.range.end - word.range.begin == word.text.size();
      if (std::string reason = refusal(port); !reason.empty()) {
        finding.message += "; not rewritten: " + reason;
      } else if (oneLine) {
        uint32_t end = word.range.begin + static_cast<uint32_t>(port.containerBegin);
        finding.edits.push_back({{word.range.begin, end}, ""});
      }
      findings.push_back(std::move(finding));
    }
  }
}

}  // namespace dfopt::transforms::buildkit
