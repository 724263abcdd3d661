#include "cli/container_run.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>

#include <fmt/format.h>

#include "cli/process.h"
#include "cli/signal_cleanup.h"

namespace dfopt::cli {

namespace {

using Clock = std::chrono::steady_clock;

// A TCP port of 127.0.0.1 that nothing listens on now (0: none found).
int freeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    port = ntohs(address.sin_port);
  ::close(fd);
  return port;
}

// GET `path` from host:port with HTTP/1.0, reading until the server closes.
verify::HttpAnswer httpGet(const verify::PublishedPort& port, const std::string& path) {
  bool ipv6 = port.hostAddress.find(':') != std::string::npos;
  int fd = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {std::nullopt, "", "no socket"};
  timeval timeout{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_storage address{};
  socklen_t length = 0;
  if (ipv6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&address);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<uint16_t>(port.hostPort));
    ::inet_pton(AF_INET6, port.hostAddress.c_str(), &in6->sin6_addr);
    length = sizeof *in6;
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&address);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(static_cast<uint16_t>(port.hostPort));
    ::inet_pton(AF_INET, port.hostAddress.c_str(), &in4->sin_addr);
    length = sizeof *in4;
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) {
    ::close(fd);
    return {std::nullopt, "", "connection refused"};
  }
  std::string request = fmt::format("GET {} HTTP/1.0\r\nHost: {}:{}\r\nConnection: close\r\n\r\n", path,
                                    port.hostAddress, port.hostPort);
  std::string raw;
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    char buffer[8192];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
      raw.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return verify::parseHttpResponse(raw);
}

struct State {
  bool known = false;
  bool running = false;
  std::optional<int> exitCode;
};

State stateOf(const Builder& runner, const std::string& name) {
  ProcessResult inspected = runProcess(
      {runner.program, "container", "inspect", "--format", "{{.State.Running}} {{.State.ExitCode}}", name});
  State state;
  if (!inspected.ok()) return state;
  std::string text = lastLines(inspected.output, 1);
  state.known = true;
  state.running = text.rfind("true", 0) == 0;
  if (!state.running) {
    size_t space = text.find(' ');
    if (space != std::string::npos) state.exitCode = std::atoi(text.c_str() + space + 1);
  }
  return state;
}

std::vector<std::string> runCommand(const Builder& runner, const std::string& tag, const std::string& name,
                                    const verify::ImageFacts& facts, const ContainerRunOptions& options) {
  std::vector<std::string> argv = {runner.program, "run", "-d", "--name", name};
  for (const std::string& variable : options.env) argv.insert(argv.end(), {"-e", variable});
  std::vector<std::string> publish = options.publish;
  if (publish.empty()) {
    std::vector<int> ports = verify::exposedTcpPorts(facts.exposedPorts);
    std::vector<int> hostPorts;
    for (size_t i = 0; i < ports.size(); ++i) hostPorts.push_back(freeLoopbackPort());
    publish = verify::loopbackPublishing(ports, hostPorts);
  }
  for (const std::string& value : publish) argv.insert(argv.end(), {"-p", value});
  argv.push_back(tag);
  return argv;
}

// Waits until every published port answers HTTP, the container stops, or
// the timeout.
void waitUntilReady(const Builder& runner, const std::string& name,
                    const std::vector<verify::PublishedPort>& ports, const ContainerRunOptions& options) {
  auto deadline = Clock::now() + std::chrono::duration<double>(options.timeoutSeconds);
  while (Clock::now() < deadline) {
    if (!stateOf(runner, name).running) return;
    bool answered = true;
    for (const verify::PublishedPort& port : ports)
      answered = answered && httpGet(port, options.probePath).status;
    if (answered) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

// The uid of PID 1: its /proc/1/status read inside, or from the host.
std::optional<long> uidOfPid1(const Builder& runner, const std::string& name) {
  ProcessResult inside = runProcess({runner.program, "exec", name, "cat", "/proc/1/status"});
  if (inside.ok()) {
    if (auto uid = verify::uidFromProcStatus(inside.output)) return uid;
  }
  ProcessResult pid =
      runProcess({runner.program, "container", "inspect", "--format", "{{.State.Pid}}", name});
  if (!pid.ok()) return std::nullopt;
  std::ifstream status("/proc/" + lastLines(pid.output, 1) + "/status");
  if (!status) return std::nullopt;
  return verify::uidFromProcStatus(std::string(std::istreambuf_iterator<char>(status), {}));
}

void probe(const Builder& runner, const std::string& name, const std::vector<verify::PublishedPort>& ports,
           const ContainerRunOptions& options, verify::RunOutcome& outcome) {
  for (const verify::PublishedPort& port : ports)
    outcome.answers.push_back({port.containerPort, httpGet(port, options.probePath)});
  if (!options.probeCommand.empty()) {
    ProcessResult result = runProcess({runner.program, "exec", name, "sh", "-c", options.probeCommand});
    outcome.command = verify::CommandAnswer{result.status, result.output};
  }
  outcome.uid = uidOfPid1(runner, name);
}

}  // namespace

std::optional<Builder> chooseRunner(const Builder& builder) {
  if (builder.kind != BuilderKind::kBuildah) return builder;
  auto podman = findOnPath("podman");
  if (!podman) {
    std::cerr << "error: --run needs podman to run the images buildah builds, and podman is not on PATH\n";
    return std::nullopt;
  }
  return Builder{BuilderKind::kPodman, "podman", *podman};
}

verify::RunOutcome runAndProbe(const Builder& runner, const std::string& tag, const std::string& name,
                               const verify::ImageFacts& facts, const ContainerRunOptions& options) {
  verify::RunOutcome outcome;
  outcome.tried = true;
  std::vector<std::string> remove = {runner.program, "rm", "-f", name};
  int cleanup = onSignal(remove);
  std::cerr << fmt::format("dfopt verify: running {} with {} ...\n", tag, runner.name);
  ProcessResult started = runProcess(runCommand(runner, tag, name, facts, options));
  outcome.started = started.ok();
  if (!outcome.started) {
    outcome.error = lastLines(started.output, 3);
  } else {
    auto ports = verify::parsePortOutput(runProcess({runner.program, "port", name}).output);
    waitUntilReady(runner, name, ports, options);
    std::this_thread::sleep_for(std::chrono::duration<double>(options.settleSeconds));
    State state = stateOf(runner, name);
    outcome.running = state.running;
    outcome.exitCode = state.exitCode;
    if (state.running) {
      probe(runner, name, ports, options, outcome);
    } else {
      outcome.logs = lastLines(runProcess({runner.program, "logs", name}).output, 15);
    }
  }
  runProcess(remove);
  forgetCleanup(cleanup);
  return outcome;
}

}  // namespace dfopt::cli
