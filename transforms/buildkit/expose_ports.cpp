#include "transforms/buildkit/expose_ports.h"

#include <algorithm>
#include <charconv>

#include "util/text.h"

namespace dfopt::transforms::buildkit {
namespace {

std::optional<int> portNumber(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > 65535) return std::nullopt;
  return value;
}

std::optional<std::pair<int, int>> portRange(std::string_view ports) {
  size_t dash = ports.find('-');
  auto start = portNumber(ports.substr(0, dash));
  if (!start) return std::nullopt;
  if (dash == std::string_view::npos || ports.substr(0, dash) == ports.substr(dash + 1)) {
    return std::pair{*start, *start};
  }
  auto end = portNumber(ports.substr(dash + 1));
  if (!end || *end < *start) return std::nullopt;
  return std::pair{*start, *end};
}

std::optional<ExposedPort> splitPort(const model::Word& word) {
  std::string_view raw = word.text;
  ExposedPort port;
  port.word = &word;
  size_t colons = std::count(raw.begin(), raw.end(), ':');
  size_t last = raw.rfind(':');
  std::string_view container = raw;
  if (colons >= 1) {
    size_t before = colons == 1 ? std::string_view::npos : raw.rfind(':', last - 1);
    port.hostPort =
        before == std::string_view::npos ? raw.substr(0, last) : raw.substr(before + 1, last - before - 1);
    if (before != std::string_view::npos) port.ip = raw.substr(0, before);
    port.containerBegin = last + 1;
    container = raw.substr(last + 1);
  }
  size_t slash = container.find('/');
  port.containerPort = container.substr(0, slash);
  if (slash != std::string_view::npos) {
    port.proto = container.substr(slash + 1);
    port.protoBegin = port.containerBegin + slash + 1;
  }
  // splitProtoPort fails before the linter runs
  if (port.containerPort.empty()) return std::nullopt;
  if (!port.proto.empty() && !text::isOneOf(text::lower(port.proto), {"tcp", "udp", "sctp"}))
    return std::nullopt;
  return port;
}

bool isLiteral(std::string_view word, char escape) {
  return word.find_first_of(std::string("$\"'") + escape) == std::string_view::npos;
}

}  // namespace

bool isPortRange(std::string_view ports) { return portRange(ports).has_value(); }

int portRangeLength(std::string_view ports) {
  auto range = portRange(ports);
  return range ? range->second - range->first : 0;
}

std::vector<ExposeInstruction> exposedPorts(const model::Dockerfile& file) {
  std::vector<ExposeInstruction> result;
  for (const model::Stage& stage : file.stages) {
    for (size_t i = stage.from + 1; i < stage.end; ++i) {
      const model::Instruction& instruction = file.instructions[i];
      if (!instruction.is("expose")) continue;
      ExposeInstruction expose{&instruction, {}};
      for (const model::Word& word : instruction.arguments) {
        if (!isLiteral(word.text, file.escape)) continue;
        if (auto port = splitPort(word)) expose.ports.push_back(*port);
      }
      result.push_back(std::move(expose));
    }
  }
  return result;
}

}  // namespace dfopt::transforms::buildkit
