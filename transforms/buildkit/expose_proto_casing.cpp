// ExposeProtoCasing: `EXPOSE 80/TCP`. BuildKit lower-cases the protocol
// when it records the port, so writing it in lower case changes nothing.
#include <fmt/format.h>

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/expose_ports.h"
#include "transforms/buildkit/lint_config.h"
#include "util/text.h"

namespace dfopt::transforms::buildkit {

void exposeProtoCasing(const CheckInput& input, std::vector<engine::Finding>& findings) {
  for (const ExposeInstruction& expose : exposedPorts(input.file)) {
    if (!ruleEnabled(input.file, "ExposeProtoCasing", false, expose.instruction)) continue;
    for (const ExposedPort& port : expose.ports) {
      if (port.proto == text::lower(port.proto)) continue;
      const model::Word& word = *port.word;
      engine::Finding finding;
      finding.offset = word.range.begin;
      finding.message =
          fmt::format("Defined protocol '{}' in EXPOSE instruction should be lowercase", word.text);
      if (word.range.end - word.range.begin == word.text.size()) {
        uint32_t begin = word.range.begin + static_cast<uint32_t>(port.protoBegin);
        finding.edits.push_back(
            {{begin, begin + static_cast<uint32_t>(port.proto.size())}, text::lower(port.proto)});
      }
      findings.push_back(std::move(finding));
    }
  }
}

}  // namespace dfopt::transforms::buildkit
