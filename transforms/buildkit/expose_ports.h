#pragma once
// EXPOSE port words as BuildKit's convert_expose.go splits them:
// [ip:][hostPort:]containerPort[/proto].
#include <optional>
#include <string_view>
#include <vector>

#include "model/dockerfile.h"

namespace dfopt::transforms::buildkit {

struct ExposedPort {
  const model::Word* word = nullptr;
  std::string_view ip;
  std::string_view hostPort;
  std::string_view containerPort;  // without the protocol
  std::string_view proto;          // as written, empty when none
  size_t containerBegin = 0;       // offset of containerPort in the word
  size_t protoBegin = 0;           // offset of proto in the word
};

// The literal port words of the EXPOSE instructions of every stage that
// BuildKit gets as far as linting (the protocol is one it knows). Words
// with variables, quotes or escapes are left out: what they stand for is
// known only at build time.
struct ExposeInstruction {
  const model::Instruction* instruction;
  std::vector<ExposedPort> ports;
};
std::vector<ExposeInstruction> exposedPorts(const model::Dockerfile& file);

// parsePortRange: "80" or "8000-9000", each number in 0..65535.
bool isPortRange(std::string_view ports);
// The length of a port range: 0 for one port.
int portRangeLength(std::string_view ports);

}  // namespace dfopt::transforms::buildkit
