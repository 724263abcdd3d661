// `dfopt verify --run`: reading what the containers showed, and comparing
// the original's run with the rewrite's.
#include <catch2/catch.hpp>

#include "verify/image_facts.h"
#include "verify/run_check.h"

using namespace dfopt::verify;

namespace {

// A container that ran, answered `body` on 5000/tcp, as `uid`.
RunOutcome running(const std::string& body, long uid, int status = 200) {
  RunOutcome run;
  run.tried = run.started = run.running = true;
  run.answers.push_back({"5000/tcp", {status, body, ""}});
  run.uid = uid;
  return run;
}

RunOutcome stopped(int exitCode) {
  RunOutcome run;
  run.tried = run.started = true;
  run.exitCode = exitCode;
  return run;
}

}  // namespace

TEST_CASE("HTTP responses", "[verify]") {
  HttpAnswer plain = parseHttpResponse("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello\nworld");
  CHECK(plain.status == 200);
  CHECK(plain.body == "hello\nworld");

  HttpAnswer chunked = parseHttpResponse(
      "HTTP/1.1 404 Not Found\r\ntransfer-encoding: Chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  CHECK(chunked.status == 404);
  CHECK(chunked.body == "hello world");

  HttpAnswer noReason = parseHttpResponse("HTTP/1.1 204\r\n\r\n");
  CHECK(noReason.status == 204);
  CHECK(noReason.body.empty());

  CHECK_FALSE(parseHttpResponse("").status);
  CHECK(parseHttpResponse("").error == "empty reply");
  CHECK_FALSE(parseHttpResponse("SSH-2.0-OpenSSH_9.2\r\n").status);
  CHECK_FALSE(parseHttpResponse("xHTTP/1.1 200 OK\r\n\r\n").status);
}

TEST_CASE("the uid of /proc/PID/status is the effective one", "[verify]") {
  CHECK(
      uidFromProcStatus(
          "Name:\tgunicorn\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t0\t10001\t0\t0\nGid:\t0\t0\t0\t0\n") ==
      10001);
  CHECK(uidFromProcStatus("Uid:\t1000\t1000\t1000\t1000\n") == 1000);
  CHECK_FALSE(uidFromProcStatus("Name:\tnode\nGid:\t0\t0\t0\t0\n"));
}

TEST_CASE("EXPOSEd TCP ports and their loopback publishing", "[verify]") {
  CHECK(exposedTcpPorts({"5000/tcp", "53/udp", "8080", "5000/tcp", "bad", "70000/tcp"}) ==
        std::vector<int>{5000, 8080});
  CHECK(exposedTcpPorts({}).empty());
  CHECK(loopbackPublishing({5000, 8080}, {40001, 40002}) ==
        std::vector<std::string>{"127.0.0.1:40001:5000", "127.0.0.1:40002:8080"});

  ImageFacts facts = factsFromImageInspect(
      R"([{"Size": 1, "Config": {"ExposedPorts": {"8080/tcp": {}, "53/udp": {}}, "User": ""}}])");
  CHECK(facts.exposedPorts == std::vector<std::string>{"53/udp", "8080/tcp"});
  ImageFacts buildah =
      factsFromBuildahInspect(R"({"Docker": {"config": {"ExposedPorts": {"3000/tcp": {}}}}})");
  CHECK(buildah.exposedPorts == std::vector<std::string>{"3000/tcp"});
}

TEST_CASE("the published ports docker and podman list", "[verify]") {
  auto ports = parsePortOutput(
      "5000/tcp -> 0.0.0.0:32768\n5000/tcp -> [::]:32768\n8080/tcp -> [::]:32769\n"
      "9090/tcp -> 127.0.0.1:40123\n");
  REQUIRE(ports.size() == 3);
  CHECK(ports[0].containerPort == "5000/tcp");
  CHECK(ports[0].hostAddress == "127.0.0.1");
  CHECK(ports[0].hostPort == 32768);
  CHECK(ports[1].containerPort == "8080/tcp");
  CHECK(ports[1].hostAddress == "::1");
  CHECK(ports[1].hostPort == 32769);
  CHECK(ports[2].hostAddress == "127.0.0.1");
  CHECK(ports[2].hostPort == 40123);
  CHECK(parsePortOutput("").empty());
}

TEST_CASE("a rewrite that runs alike passes", "[verify]") {
  Verdict same = judgeRun(running("hello", 0), running("hello", 10001));
  CHECK(same.ok);
  CHECK(same.reasons.empty());
  CHECK(judgeRun(stopped(0), stopped(0)).ok);
}

TEST_CASE("a rewrite that stops, answers otherwise or runs as root fails", "[verify]") {
  Verdict early = judgeRun(running("hello", 0), stopped(1));
  CHECK_FALSE(early.ok);
  REQUIRE(early.reasons.size() == 2);
  CHECK(early.reasons[0] == "the rewrite stopped (stopped (exit 1)), the original kept running");
  CHECK(early.reasons[1] == "port 5000/tcp answers no answer (not running), the original 200 \"hello\"");

  Verdict otherBody = judgeRun(running("hello", 1000), running("PermissionError: /app/data", 1000, 500));
  CHECK_FALSE(otherBody.ok);
  CHECK(otherBody.reasons ==
        std::vector<std::string>{
            "port 5000/tcp answers 500 \"PermissionError: /app/data\", the original 200 \"hello\""});

  Verdict root = judgeRun(running("hello", 1000), running("hello", 0));
  CHECK(root.reasons == std::vector<std::string>{"PID 1 runs as root, the original's as uid 1000"});

  RunOutcome notStarted;
  notStarted.tried = true;
  notStarted.error = "exec: \"gunicorn\": executable file not found";
  Verdict missing = judgeRun(running("hello", 0), notStarted);
  CHECK(missing.reasons ==
        std::vector<std::string>{
            "the rewritten image does not start (exec: \"gunicorn\": executable file not found)"});

  Verdict exitCode = judgeRun(stopped(0), stopped(3));
  CHECK(exitCode.reasons ==
        std::vector<std::string>{"the rewrite stopped (exit 3), the original stopped (exit 0)"});
}

TEST_CASE("the probe command's exit code and output are compared", "[verify]") {
  RunOutcome before = running("", 0);
  RunOutcome after = running("", 1000);
  before.command = CommandAnswer{0, "ok\n"};
  after.command = CommandAnswer{1, "sh: can't create /app/x: Permission denied\n"};
  Verdict verdict = judgeRun(before, after);
  CHECK(verdict.reasons ==
        std::vector<std::string>{
            "the probe command gives exit 1 \"sh: can't create /app/x: Permission denied\", "
            "the original exit 0 \"ok\""});
  after.command = before.command;
  CHECK(judgeRun(before, after).ok);
}

TEST_CASE("an original that does not run says nothing against the rewrite", "[verify]") {
  RunOutcome notStarted;
  notStarted.tried = true;
  CHECK(judgeRun(notStarted, stopped(1)).ok);
  CHECK(judgeRun(RunOutcome{}, stopped(1)).ok);
  RunOutcome silent = running("", 0);
  silent.answers[0].answer = {std::nullopt, "", "connection refused"};
  CHECK(judgeRun(silent, running("", 1000, 500)).ok);
}

TEST_CASE("the run's rows of the table", "[verify]") {
  auto rows = runRows(running("hello", 0), stopped(1), 3, "/");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::array<std::string, 4>{"after 3s", "running", "stopped (exit 1)", ""});
  CHECK(rows[1] == std::array<std::string, 4>{"GET / on 5000/tcp", "200 \"hello\"", "-", ""});
  CHECK(rows[2] == std::array<std::string, 4>{"uid of PID 1", "0", "-", ""});
}
