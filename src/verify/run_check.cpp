#include "verify/run_check.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <fmt/format.h>
#include <re2/re2.h>

namespace dfopt::verify {

namespace {

// A chunked body's data; what cannot be read stays as it is.
std::string decodeChunked(const std::string& body) {
  std::string data;
  size_t at = 0;
  while (at < body.size()) {
    size_t lineEnd = body.find("\r\n", at);
    if (lineEnd == std::string::npos) return body;
    char* end = nullptr;
    std::string sizeText = body.substr(at, lineEnd - at);
    unsigned long size = std::strtoul(sizeText.c_str(), &end, 16);
    if (end == sizeText.c_str()) return body;
    if (size == 0) return data;
    at = lineEnd + 2;
    if (at + size > body.size()) return body;
    data.append(body, at, size);
    at += size + 2;
  }
  return data;
}

bool headerSays(const std::string& headers, const std::string& name, const std::string& value) {
  RE2 pattern("(?mi)^" + RE2::QuoteMeta(name) + R"(:\s*)" + RE2::QuoteMeta(value) + R"(\s*$)");
  return RE2::PartialMatch(headers, pattern);
}

std::string shortened(const std::string& text, size_t most) {
  std::string flat;
  for (char c : text) flat += (c == '\n' || c == '\r') ? ' ' : c;
  while (!flat.empty() && flat.back() == ' ') flat.pop_back();
  return flat.size() <= most ? flat : flat.substr(0, most) + "...";
}

std::string describe(const HttpAnswer& answer) {
  if (!answer.status) return fmt::format("no answer ({})", answer.error.empty() ? "?" : answer.error);
  return fmt::format("{} \"{}\"", *answer.status, shortened(answer.body, 60));
}

std::string describe(const CommandAnswer& answer) {
  return fmt::format("exit {} \"{}\"", answer.exitCode, shortened(answer.output, 60));
}

std::string describeState(const RunOutcome& run) {
  if (!run.tried) return "-";
  if (!run.started) return "FAILED to start";
  if (run.running) return "running";
  return run.exitCode ? fmt::format("stopped (exit {})", *run.exitCode) : "stopped";
}

const PortAnswer* answerOn(const RunOutcome& run, const std::string& port) {
  auto it = std::find_if(run.answers.begin(), run.answers.end(),
                         [&](const PortAnswer& answer) { return answer.port == port; });
  return it == run.answers.end() ? nullptr : &*it;
}

std::string describeUid(const RunOutcome& run) {
  if (!run.tried || !run.started || !run.running) return "-";
  return run.uid ? std::to_string(*run.uid) : "?";
}

}  // namespace

HttpAnswer parseHttpResponse(const std::string& raw) {
  static const RE2 statusLine(R"(\AHTTP/\d(?:\.\d)? (\d{3})\b)");
  HttpAnswer answer;
  int status = 0;
  if (!RE2::PartialMatch(raw, statusLine, &status)) {
    answer.error = raw.empty() ? "empty reply" : "not an HTTP reply";
    return answer;
  }
  answer.status = status;
  size_t split = raw.find("\r\n\r\n");
  size_t skip = 4;
  if (split == std::string::npos) {
    split = raw.find("\n\n");
    skip = 2;
  }
  if (split == std::string::npos) return answer;
  std::string headers = raw.substr(0, split);
  answer.body = raw.substr(split + skip);
  if (headerSays(headers, "Transfer-Encoding", "chunked")) answer.body = decodeChunked(answer.body);
  return answer;
}

std::optional<long> uidFromProcStatus(const std::string& status) {
  static const RE2 uidLine(R"((?m)^Uid:\s+\d+\s+(\d+))");
  long uid = 0;
  if (!RE2::PartialMatch(status, uidLine, &uid)) return std::nullopt;
  return uid;
}

std::vector<int> exposedTcpPorts(const std::vector<std::string>& exposed) {
  static const RE2 port(R"((\d+)(?:/(tcp|udp|sctp))?)");
  std::vector<int> ports;
  for (const std::string& entry : exposed) {
    int number = 0;
    std::string protocol;
    if (!RE2::FullMatch(entry, port, &number, &protocol)) continue;
    if (!protocol.empty() && protocol != "tcp") continue;
    if (number > 0 && number < 65536 && std::find(ports.begin(), ports.end(), number) == ports.end())
      ports.push_back(number);
  }
  return ports;
}

std::vector<std::string> loopbackPublishing(const std::vector<int>& containerPorts,
                                            const std::vector<int>& hostPorts) {
  std::vector<std::string> values;
  for (size_t i = 0; i < containerPorts.size() && i < hostPorts.size(); ++i)
    values.push_back(fmt::format("127.0.0.1:{}:{}", hostPorts[i], containerPorts[i]));
  return values;
}

std::vector<PublishedPort> parsePortOutput(const std::string& text) {
  static const RE2 line(R"(\s*(\S+)\s+->\s+\[?([^\]\s]*?)\]?:(\d+)\s*)");
  std::vector<PublishedPort> ports;
  std::stringstream lines(text);
  std::string entry;
  while (std::getline(lines, entry)) {
    PublishedPort port;
    if (!RE2::FullMatch(entry, line, &port.containerPort, &port.hostAddress, &port.hostPort)) continue;
    bool ipv6 = port.hostAddress.find(':') != std::string::npos;
    if (port.hostAddress == "0.0.0.0" || port.hostAddress.empty()) port.hostAddress = "127.0.0.1";
    if (port.hostAddress == "::") port.hostAddress = "::1";
    auto same = std::find_if(ports.begin(), ports.end(),
                             [&](const PublishedPort& p) { return p.containerPort == port.containerPort; });
    if (same == ports.end()) {
      ports.push_back(port);
    } else if (!ipv6 && same->hostAddress.find(':') != std::string::npos) {
      *same = port;
    }
  }
  return ports;
}

Verdict judgeRun(const RunOutcome& before, const RunOutcome& after) {
  Verdict verdict;
  auto fail = [&](std::string reason) {
    verdict.ok = false;
    verdict.reasons.push_back(std::move(reason));
  };
  if (!before.tried || !after.tried || !before.started) return verdict;
  if (!after.started) {
    fail(fmt::format("the rewritten image does not start ({})", shortened(after.error, 120)));
    return verdict;
  }
  if (before.running && !after.running) {
    fail(fmt::format("the rewrite stopped ({}), the original kept running", describeState(after)));
  } else if (!before.running && !after.running && before.exitCode != after.exitCode) {
    fail(fmt::format("the rewrite {}, the original {}", describeState(after), describeState(before)));
  }
  for (const PortAnswer& original : before.answers) {
    if (!original.answer.status) continue;
    const PortAnswer* rewritten = answerOn(after, original.port);
    HttpAnswer none{std::nullopt, "", after.running ? "not published" : "not running"};
    const HttpAnswer& answer = rewritten ? rewritten->answer : none;
    if (answer.status != original.answer.status || answer.body != original.answer.body)
      fail(fmt::format("port {} answers {}, the original {}", original.port, describe(answer),
                       describe(original.answer)));
  }
  if (before.command && before.command != after.command) {
    fail(fmt::format("the probe command gives {}, the original {}",
                     after.command ? describe(*after.command) : std::string("nothing (not running)"),
                     describe(*before.command)));
  }
  if (before.uid && *before.uid != 0 && after.uid && *after.uid == 0)
    fail(fmt::format("PID 1 runs as root, the original's as uid {}", *before.uid));
  return verdict;
}

std::vector<std::array<std::string, 4>> runRows(const RunOutcome& before, const RunOutcome& after,
                                                double settleSeconds, const std::string& probePath) {
  std::vector<std::array<std::string, 4>> rows;
  rows.push_back(
      {fmt::format("after {:g}s", settleSeconds), describeState(before), describeState(after), ""});
  std::vector<std::string> ports;
  for (const RunOutcome* run : {&before, &after}) {
    for (const PortAnswer& answer : run->answers) {
      if (std::find(ports.begin(), ports.end(), answer.port) == ports.end()) ports.push_back(answer.port);
    }
  }
  for (const std::string& port : ports) {
    auto cell = [&](const RunOutcome& run) {
      const PortAnswer* answer = answerOn(run, port);
      return answer ? describe(answer->answer) : std::string("-");
    };
    rows.push_back({fmt::format("GET {} on {}", probePath, port), cell(before), cell(after), ""});
  }
  if (before.command || after.command) {
    auto cell = [](const RunOutcome& run) { return run.command ? describe(*run.command) : std::string("-"); };
    rows.push_back({"probe command", cell(before), cell(after), ""});
  }
  rows.push_back({"uid of PID 1", describeUid(before), describeUid(after), ""});
  return rows;
}

}  // namespace dfopt::verify
