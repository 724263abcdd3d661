// Flask's development server: a script that calls `app.run(...)`, and
// `flask run` (also `python -m flask run`), which finds the app as Flask
// does: --app, FLASK_APP, else wsgi.py or app.py in the working directory.
#include <algorithm>

#include <fmt/format.h>
#include <re2/re2.h>

#include "engine/ecosystem.h"
#include "model/queries.h"
#include "transforms/production_server/server.h"
#include "util/text.h"

namespace dfopt::transforms::production_server {
namespace {

using text::isOneOf;

constexpr std::string_view kDefaultHost = "127.0.0.1";
constexpr std::string_view kReachable = "0.0.0.0";

bool isIdentifier(std::string_view name) { return RE2::FullMatch(name, R"([A-Za-z_]\w*)"); }

// The host gunicorn binds: the development server's, or 0.0.0.0 for its
// default 127.0.0.1, which no one outside the container reaches.
std::string reachableHost(std::string_view host, Plan& plan) {
  if (!host.empty()) return std::string(host);
  plan.notes.push_back(
      fmt::format("it listens on {} rather than the development server's default {}, which "
                  "only the container itself reaches",
                  kReachable, kDefaultHost));
  return std::string(kReachable);
}

// `flask run` and the options before it: --app, --debug.
struct FlaskRun {
  std::string app, host, port;
  bool debug = false;
};

std::string optionValue(const std::vector<std::string>& args, size_t& i, std::string_view name) {
  const std::string& word = args[i];
  if (word.size() > name.size() && word[name.size()] == '=') return word.substr(name.size() + 1);
  if (i + 1 >= args.size()) throw Refusal{fmt::format("`{}` has no value", word)};
  return args[++i];
}

FlaskRun readFlaskRun(const std::vector<std::string>& args) {
  FlaskRun run;
  bool afterRun = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    std::string name = word.substr(0, word.find('='));
    if (word == "run" && !afterRun) {
      afterRun = true;
    } else if (isOneOf(name, {"--app", "-A"})) {
      run.app = optionValue(args, i, name);
    } else if (isOneOf(name, {"--host", "-h"})) {
      run.host = optionValue(args, i, name);
    } else if (isOneOf(name, {"--port", "-p"})) {
      run.port = optionValue(args, i, name);
    } else if (isOneOf(word, {"--debug", "--reload", "--debugger"})) {
      run.debug = true;
    } else if (!isOneOf(word, {"--no-debug", "--no-reload", "--no-debugger", "--with-threads",
                               "--without-threads"})) {
      throw Refusal{fmt::format("flask run gets `{}`, which gunicorn has no counterpart for here", word)};
    }
  }
  return run;
}

// The context file of a module Flask imports from the working directory
// ("web.app" -> web/app.py or web/app/__init__.py).
std::optional<std::string> moduleFile(const Job& job, std::string_view module) {
  std::string path(module);
  std::replace(path.begin(), path.end(), '.', '/');
  if (auto found = job.contextFile(path + ".py")) return found;
  return job.contextFile(path + "/__init__.py");
}

// FLASK_APP's forms: "app.py", "src/app.py", "web.app", "web.app:app", "web:create_app()".
struct AppReference {
  std::string module, object, pythonpath;
};

AppReference parseAppReference(std::string_view value) {
  AppReference reference;
  std::string_view path = value.substr(0, value.find(':'));
  if (value.find(':') != std::string_view::npos)
    reference.object = std::string(value.substr(value.find(':') + 1));
  std::string module(path);
  if (module.ends_with(".py")) module.resize(module.size() - 3);
  if (module.find('/') != std::string::npos) {
    reference.pythonpath = text::dirName(module);
    module = std::string(text::baseName(module));
  }
  reference.module = module;
  return reference;
}

}  // namespace

PythonCommand pythonCommand(const std::vector<std::string>& words) {
  PythonCommand command;
  if (words.empty()) return command;
  size_t at = 0;
  if (std::string(text::baseName(words[0])).starts_with("python")) {
    command.interpreter = words[0];
    for (at = 1; at < words.size() && words[at].starts_with("-") && words[at] != "-m"; ++at) {
      if (isOneOf(words[at], {"-W", "-X"})) ++at;
    }
    if (at < words.size() && words[at] == "-m") {
      command.module = true;
      ++at;
    }
  }
  if (at < words.size()) command.program = words[at];
  for (size_t i = at + 1; i < words.size(); ++i) command.args.push_back(words[i]);
  return command;
}

std::optional<Plan> flaskScriptPlan(const Job& job) {
  PythonCommand command = pythonCommand(job.start.words);
  if (command.interpreter.empty() || command.module || !command.program.ends_with(".py")) return std::nullopt;
  std::optional<std::string> path = job.contextFile(command.program);
  if (!path) return std::nullopt;
  std::optional<FlaskScript> script = flaskScript(job.context.read(*path).value_or(""), *path);
  if (!script) return std::nullopt;
  if (!command.args.empty()) {
    throw Refusal{fmt::format("{} gets arguments (`{}`), which gunicorn would not pass on", *path,
                              fmt::join(command.args, " "))};
  }
  std::string module(text::baseName(command.program));
  module.resize(module.size() - 3);
  if (!isIdentifier(module)) throw Refusal{fmt::format("{} is not a name Python can import", *path)};
  Plan plan;
  plan.server = "gunicorn";
  plan.project = text::dirName(*path);
  plan.was = fmt::format("Flask's development server ({}.run in {})", script->object, *path);
  std::string host = reachableHost(script->host, plan);
  plan.words = {scriptBeside(command.interpreter, "gunicorn"), "--bind",
                bindAddress(host, script->port.empty() ? "5000" : script->port)};
  if (command.program.find('/') != std::string::npos && text::dirName(command.program) != ".") {
    plan.words.push_back("--pythonpath");
    plan.words.push_back(text::dirName(command.program));
  }
  plan.words.push_back(fmt::format("{}:{}", module, script->object));
  if (script->debug) plan.notes.push_back("the debugger and reloader that debug=True turned on are gone");
  return plan;
}

std::optional<Plan> flaskRunPlan(const Job& job) {
  PythonCommand command = pythonCommand(job.start.words);
  bool flask = text::baseName(command.program) == "flask" && (command.interpreter.empty() || command.module);
  if (!flask) return std::nullopt;
  FlaskRun run = readFlaskRun(command.args);
  Plan plan;
  plan.server = "gunicorn";
  std::string debug = job.variable("FLASK_DEBUG").value_or("");
  if (run.debug || isOneOf(text::lower(debug), {"1", "true", "yes"})) {
    plan.developmentReason = run.debug ? "flask run runs in debug mode" : "FLASK_DEBUG turns on debug mode";
  }
  if (job.variable("FLASK_ENV").value_or("") == "development")
    plan.developmentReason = "FLASK_ENV is development";
  if (run.app.empty()) run.app = job.variable("FLASK_APP").value_or("");
  if (run.host.empty()) run.host = job.variable("FLASK_RUN_HOST").value_or("");
  if (run.port.empty()) run.port = job.variable("FLASK_RUN_PORT").value_or("5000");
  AppReference app;
  std::optional<std::string> file;
  if (run.app.empty()) {
    for (std::string_view candidate : {"wsgi", "app"}) {
      file = moduleFile(job, candidate);
      app.module = candidate;
      if (file) break;
    }
    if (!file)
      throw Refusal{
          "flask run finds no app: neither --app nor FLASK_APP is set, and the image has no "
          "wsgi.py or app.py from the build context in the WORKDIR"};
  } else {
    app = parseAppReference(run.app);
    std::string path = app.pythonpath.empty() ? app.module : app.pythonpath + "/" + app.module;
    file = moduleFile(job, path);
    if (!file && app.object.empty())
      throw Refusal{fmt::format("the app {} names is not a file of the build context", run.app)};
  }
  if (app.object.empty()) {
    std::optional<std::string> object = flaskAppObject(job.context.read(*file).value_or(""));
    if (!object) {
      throw Refusal{
          fmt::format("{} defines no Flask app that flask run would find (app = Flask(...), "
                      "create_app or make_app)",
                      *file)};
    }
    app.object = *object;
  }
  if (file) plan.project = text::dirName(*file);
  plan.was = fmt::format("Flask's development server (flask run of {}:{})", app.module, app.object);
  std::string host = reachableHost(run.host, plan);
  plan.words = {
      command.interpreter.empty() ? std::string("gunicorn") : scriptBeside(command.interpreter, "gunicorn"),
      "--bind", bindAddress(host, run.port)};
  if (!app.pythonpath.empty()) {
    plan.words.push_back("--pythonpath");
    plan.words.push_back(app.pythonpath);
  }
  plan.words.push_back(fmt::format("{}:{}", app.module, app.object));
  return plan;
}

}  // namespace dfopt::transforms::production_server
