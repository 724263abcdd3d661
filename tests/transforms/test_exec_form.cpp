// exec-form: shell-form commands read as /bin/sh reads them, and the reason
// named for each shell feature that keeps a command in shell form.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "model/queries.h"
#include "support.h"
#include "transforms/exec_form/exec_form.h"

using namespace dfopt;
using transforms::exec_form::jsonArray;
using transforms::exec_form::readShellCommand;
using transforms::exec_form::ShellCommand;

namespace {

// The words of the final stage's last CMD, as BuildKit reads its JSON form.
std::vector<std::string> execWordsOfCmd(const std::string& dockerfile) {
  model::Dockerfile file = testing::parseValid(dockerfile);
  const model::Instruction* cmd = nullptr;
  for (const model::Instruction& instruction : file.instructions) {
    if (instruction.is("cmd")) cmd = &instruction;
  }
  REQUIRE(cmd != nullptr);
  REQUIRE(cmd->jsonForm);
  std::vector<std::string> words;
  for (const auto& node : cmd->buildkit.next) words.push_back(node.value);
  return words;
}

}  // namespace

TEST_CASE("exec-form splits words as the shell does", "[exec-form]") {
  using Words = std::vector<std::string>;
  CHECK(readShellCommand("gunicorn --bind 0.0.0.0:5000 app:app").words ==
        Words{"gunicorn", "--bind", "0.0.0.0:5000", "app:app"});
  CHECK(readShellCommand(R"(greet "Ada Lovelace" 'say "hi"' a\ b "" x\\y)").words ==
        Words{"greet", "Ada Lovelace", "say \"hi\"", "a b", "", "x\\y"});
  CHECK(readShellCommand("nginx -g 'daemon off;'").words == Words{"nginx", "-g", "daemon off;"});
  CHECK(readShellCommand("find /data -exec cat {} \\;").words ==
        Words{"find", "/data", "-exec", "cat", "{}", ";"});
  CHECK(readShellCommand("echo '$HOME' \"*\" \\~").words == Words{"echo", "$HOME", "*", "~"});
  ShellCommand withExec = readShellCommand("exec gunicorn app:app");
  CHECK(withExec.startsWithExec);
  CHECK(withExec.words == Words{"gunicorn", "app:app"});
}

TEST_CASE("exec-form names the shell feature a command needs", "[exec-form]") {
  auto reason = [](std::string_view script) { return readShellCommand(script).needsShell; };
  CHECK(reason("gunicorn --bind 0.0.0.0:$PORT app:app") == "the variable `$PORT`");
  CHECK(reason("app --config \"${CONFIG:-/etc/app}\"") == "the variable `${CONFIG:-/etc/app}`");
  CHECK(reason("app --id $(hostname)") == "command substitution `$(...)`");
  CHECK(reason("app --id `hostname`") == "command substitution with backquotes");
  CHECK(reason("java -jar /app/*.jar") == "the glob `/app/*.jar`");
  CHECK(reason("app --home ~/data") == "the home directory `~` in `~/data`");
  CHECK(reason("app --dirs={a,b}") == "the brace expansion `--dirs={a,b}`");
  CHECK(reason("migrate && serve") == "`&&`");
  CHECK(reason("serve || true") == "`||`");
  CHECK(reason("migrate; serve") == "`;`");
  CHECK(reason("nginx -g daemon off;") == "`;`");
  CHECK(reason("serve | tee log") == "the pipe `|`");
  CHECK(reason("serve &") == "`&`, which runs it in the background");
  CHECK(reason("serve > /var/log/app.log") == "the redirection `> /var/log/app.log`");
  CHECK(reason("serve 2>&1") == "the redirection `2>&1`");
  CHECK(reason("DEBUG=1 serve") == "the variable assignment `DEBUG=1` in front of the command");
  CHECK(reason("(cd /app && serve)") == "subshell ( )");
  CHECK(reason("if true; then serve; fi") == "reserved word 'if'");
  CHECK(reason("serve 'unclosed") == "unterminated single quote");
  CHECK(reason("source /venv/bin/activate") == "`source`, a shell builtin");
  CHECK(reason("exec") == "a bare `exec`");
  CHECK(reason("exec -a name serve") == "`exec` with options");
  CHECK(reason("serve # the server") == "a shell comment after the command, which exec form cannot keep");
  CHECK(readShellCommand("serve --port $PORT").shellExpands);
  CHECK_FALSE(readShellCommand("serve && x").shellExpands);
}

TEST_CASE("exec-form's JSON arrays are the words BuildKit reads back", "[exec-form]") {
  std::vector<std::vector<std::string>> cases = {
      {"a"}, {"say \"hi\"", "C:\\temp", "tab\there", "new\nline", "", "é ü"}, {"\x01", "`backtick`"}};
  for (const auto& words : cases) {
    std::string array = jsonArray(words);
    CHECK(nlohmann::json::parse(array).get<std::vector<std::string>>() == words);
    CHECK(execWordsOfCmd("FROM a\nCMD " + array + "\n") == words);
  }
}

TEST_CASE("exec-form rewrites the final CMD into the words the shell ran", "[exec-form]") {
  for (std::string_view command :
       {"gunicorn --bind 0.0.0.0:5000 app:app", R"(greet "Ada Lovelace" 'say "hi"' a\ b "")",
        "nginx -g 'daemon off;'", "printf '%s\\n' x\\\\y"}) {
    std::string before = "FROM alpine\nCMD " + std::string(command) + "\n";
    testing::TransformRun run = testing::runTransform("exec-form", before, {});
    CHECK(execWordsOfCmd(run.after) == readShellCommand(command).words);
    CHECK_THAT(run.messages, Catch::Contains("JSONArgsRecommended"));
  }
}

TEST_CASE("exec-form leaves commands that need a shell, and earlier stages, alone", "[exec-form]") {
  std::string needsShell = "FROM alpine\nCMD serve --port $PORT\n";
  testing::TransformRun run = testing::runTransform("exec-form", needsShell, {});
  CHECK(run.after == needsShell);
  CHECK_THAT(run.messages, Catch::Contains("info: JSONArgsRecommended: CMD left in shell form"));
  std::string earlierStage = "FROM alpine AS test\nCMD run-tests\nFROM alpine\nCMD [\"serve\"]\n";
  run = testing::runTransform("exec-form", earlierStage, {});
  CHECK(run.after == earlierStage);
  CHECK(run.messages.empty());
}

TEST_CASE("exec-form names a variable before a redirection written after it", "[exec-form]") {
  CHECK(readShellCommand("locust --host=\"http://${FRONTEND_ADDR}\" 2>&1").needsShell ==
        "the variable `${FRONTEND_ADDR}`");
}
