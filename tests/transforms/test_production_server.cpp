// The production-server transform: which Flask app a script starts and
// where gunicorn finds it, which manifests make gunicorn a main dependency,
// and the unsafe fix applied only with --unsafe-fixes.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "engine/pipeline.h"
#include "transforms/production_server/server.h"
#include "transforms/transforms.h"

using dfopt::context::BuildContext;
namespace server = dfopt::transforms::production_server;

namespace {

struct Run {
  std::string after;
  std::string messages;  // one a line
};

Run productionServer(const std::string& dockerfile, std::map<std::string, std::string> files,
                     bool unsafeFixes = true) {
  files["Dockerfile"] = dockerfile;
  BuildContext context = BuildContext::fromFiles(std::move(files));
  dfopt::engine::Selection only;
  only.only = {"production-server"};
  dfopt::engine::Options options;
  options.unsafeFixes = unsafeFixes;
  auto outcome = dfopt::engine::runPipeline(dockerfile, context, options, dfopt::transforms::all(), only);
  REQUIRE(outcome.ok());
  Run run{outcome.after, ""};
  for (const auto& finding : outcome.findings) run.messages += finding.message + "\n";
  return run;
}

const std::string kScript =
    "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
    "CMD [\"python\", \"app.py\"]\n";
const std::string kFlaskApp = "from flask import Flask\napp = Flask(__name__)\n";

}  // namespace

TEST_CASE("a script that is no Flask app is left alone, without a finding", "[production-server]") {
  Run run = productionServer(kScript, {{"requirements.txt", "gunicorn\n"}, {"app.py", "print('hi')\n"}});
  CHECK(run.after == kScript);
  CHECK(run.messages.empty());
}

TEST_CASE("app.run's positional host and port become gunicorn's bind address", "[production-server]") {
  auto script =
      server::flaskScript(kFlaskApp + "if __name__ == '__main__':\n    app.run('::', 8080)\n", "app.py");
  REQUIRE(script);
  CHECK(script->object == "app");
  CHECK(script->host == "::");
  CHECK(script->port == "8080");
  CHECK(server::bindAddress(script->host, script->port) == "[::]:8080");
}

TEST_CASE("app.run inside a function is refused with the function's line", "[production-server]") {
  std::string source = kFlaskApp + "def main():\n    app.run()\n\nif __name__ == '__main__':\n    main()\n";
  std::string reason;
  try {
    server::flaskScript(source, "app.py");
  } catch (const server::Refusal& refusal) {
    reason = refusal.message;
  }
  CHECK_THAT(reason, Catch::Contains("inside `def main():` (line 3)"));
}

TEST_CASE("Flask's app factory is named with its call, as gunicorn takes it", "[production-server]") {
  CHECK(server::flaskAppObject(
            "from flask import Flask\ndef create_app(config=None):\n    return Flask('x')\n") ==
        "create_app()");
  CHECK(!server::flaskAppObject("def create_app(config):\n    pass\n"));
  CHECK(server::flaskAppObject("import flask\napplication = flask.Flask(__name__)\n") == "application");
}

TEST_CASE("only a main dependency makes gunicorn the server", "[production-server]") {
  std::string pipfile = "[packages]\nflask = \"*\"\n\n[dev-packages]\ngunicorn = \"*\"\n";
  std::string dockerfile = kScript;
  std::map<std::string, std::string> files = {
      {"app.py", kFlaskApp + "if __name__ == '__main__':\n    app.run()\n"}};
  files["Pipfile"] = pipfile;
  Run dev = productionServer(dockerfile, files);
  CHECK(dev.after == dockerfile);
  CHECK_THAT(dev.messages, Catch::Contains("run `pipenv install gunicorn`"));
  files["Pipfile"] = "[packages]\nflask = \"*\"\nGunicorn = \"*\"\n";
  Run main = productionServer(dockerfile, files);
  CHECK_THAT(main.after, Catch::Contains("CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:5000\", \"app:app\"]"));
  CHECK_THAT(main.messages, Catch::Contains("gunicorn is a dependency in Pipfile"));
}

TEST_CASE("a poetry.lock of Poetry 2 counts its main group only", "[production-server]") {
  std::string lock = "[[package]]\nname = \"gunicorn\"\nversion = \"22.0.0\"\ngroups = [\"dev\"]\n";
  std::map<std::string, std::string> files = {
      {"poetry.lock", lock}, {"app.py", kFlaskApp + "if __name__ == '__main__':\n    app.run()\n"}};
  CHECK(productionServer(kScript, files).after == kScript);
  files["poetry.lock"] = "[[package]]\nname = \"gunicorn\"\nversion = \"22.0.0\"\ngroups = [\"main\"]\n";
  CHECK(productionServer(kScript, files).after != kScript);
}

TEST_CASE("the unsafe fix is shown but not applied without --unsafe-fixes", "[production-server]") {
  std::map<std::string, std::string> files = {
      {"requirements.txt", "gunicorn==22.0.0\n"},
      {"app.py", kFlaskApp + "if __name__ == '__main__':\n    app.run()\n"}};
  Run withheld = productionServer(kScript, files, false);
  CHECK(withheld.after == kScript);
  CHECK_THAT(withheld.messages, Catch::Contains("gunicorn is a dependency in requirements.txt"));
}

TEST_CASE("a script in a subdirectory is imported through --pythonpath, not --chdir", "[production-server]") {
  std::string dockerfile = "FROM python:3.12\nWORKDIR /srv\nCOPY . .\nCMD python src/app.py\n";
  Run run = productionServer(dockerfile,
                             {{"requirements.txt", "flask\ngunicorn\n"},
                              {"src/app.py", kFlaskApp + "if __name__ == '__main__':\n    app.run()\n"}});
  CHECK_THAT(run.after, Catch::Contains("\"--pythonpath\", \"src\", \"app:app\"]"));
}
