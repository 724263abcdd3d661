#pragma once
// `dfopt verify --run`: what running an image showed (still running, its HTTP
// answers, a probe command's answer, the uid of PID 1), and the comparison of
// the original's run with the rewrite's. The containers themselves are run by
// cli/container_run.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "verify/report.h"

namespace dfopt::verify {

struct HttpAnswer {
  std::optional<int> status;  // unset: no HTTP answer
  std::string body;
  std::string error;  // why there is no answer
  bool operator==(const HttpAnswer&) const = default;
};

// A raw HTTP/1.x response: its status and body (a chunked body decoded).
// No status line: an answer with no status and `error` set.
HttpAnswer parseHttpResponse(const std::string& raw);

struct PortAnswer {
  std::string port;  // the container's, "5000/tcp"
  HttpAnswer answer;
};

struct CommandAnswer {
  int exitCode = -1;
  std::string output;
  bool operator==(const CommandAnswer&) const = default;
};

// What one container did.
struct RunOutcome {
  bool tried = false;           // the image built, so it was run
  bool started = false;         // `run` succeeded
  std::string error;            // why it did not start
  bool running = false;         // still running after the settle time
  std::optional<int> exitCode;  // when it stopped
  std::vector<PortAnswer> answers;
  std::optional<CommandAnswer> command;
  std::optional<long> uid;  // of PID 1
  std::string logs;         // its last lines when it stopped
};

// The effective uid of a /proc/PID/status text ("Uid:\treal\teffective...").
std::optional<long> uidFromProcStatus(const std::string& status);

// The TCP ports of an image's ExposedPorts ("5000/tcp", "8080", "53/udp"
// is left out), in order, without repeats.
std::vector<int> exposedTcpPorts(const std::vector<std::string>& exposed);

// `-p` values publishing each container port on 127.0.0.1 at the host port
// of the same index: "127.0.0.1:HOST:CONTAINER".
std::vector<std::string> loopbackPublishing(const std::vector<int>& containerPorts,
                                            const std::vector<int>& hostPorts);

struct PublishedPort {
  std::string containerPort;  // "5000/tcp"
  std::string hostAddress;    // "127.0.0.1"; 0.0.0.0 and :: become loopback
  int hostPort = 0;
};

// The output of `docker port NAME` / `podman port NAME`
// ("5000/tcp -> 0.0.0.0:32768", "[::]:32768" lines): one entry a container
// port, IPv4 first.
std::vector<PublishedPort> parsePortOutput(const std::string& text);

// The rewrite runs no worse: it starts where the original starts, is still
// running where the original is (or stops with the same exit code), answers
// the same status and body on each port the original answered, gives the
// same probe command answer, and does not run as root where the original
// did not.
Verdict judgeRun(const RunOutcome& before, const RunOutcome& after);

// Rows for verify's table (label, before, after, note); `probePath` is the
// path of the HTTP probes.
std::vector<std::array<std::string, 4>> runRows(const RunOutcome& before, const RunOutcome& after,
                                                double settleSeconds, const std::string& probePath);

}  // namespace dfopt::verify
