// Django's development server, `manage.py runserver`: gunicorn serves the
// WSGI application settings.WSGI_APPLICATION names, with the settings
// module the command used.
#include <fmt/format.h>
#include <re2/re2.h>

#include "engine/ecosystem.h"
#include "transforms/production_server/server.h"
#include "util/text.h"

namespace dfopt::transforms::production_server {
namespace {

using text::isOneOf;

struct Runserver {
  std::string settings, host, port = "8000";
  bool ipv6 = false;
  bool insecure = false;
};

// runserver's [addr:]port: "0.0.0.0:8000", "8000", "0:8000", "[::]:8000".
void readAddressPort(std::string_view value, Runserver& run) {
  std::string host, port;
  if (RE2::FullMatch(value, R"(\d+)")) {
    run.port = std::string(value);
  } else if (RE2::FullMatch(value, R"((\[[0-9a-fA-F:]+\]|[\w.-]+):(\d+))", &host, &port)) {
    run.host = host == "0" ? "0.0.0.0" : host;
    run.port = port;
  } else {
    throw Refusal{fmt::format("runserver listens on `{}`, an address dfopt cannot read", value)};
  }
}

Runserver readRunserver(const std::vector<std::string>& args) {
  Runserver run;
  bool command = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "runserver" && !command) {
      command = true;
    } else if (word.starts_with("--settings")) {
      run.settings = word.find('=') != std::string::npos ? word.substr(word.find('=') + 1)
                                                         : (i + 1 < args.size() ? args[++i] : "");
    } else if (isOneOf(word, {"--ipv6", "-6"})) {
      run.ipv6 = true;
    } else if (word == "--insecure") {
      run.insecure = true;
    } else if (isOneOf(word, {"--noreload", "--nothreading", "--skip-checks", "--nostatic"})) {
    } else if (command && !word.starts_with("-")) {
      readAddressPort(word, run);
    } else {
      throw Refusal{fmt::format("manage.py gets `{}`, which gunicorn has no counterpart for here", word)};
    }
  }
  if (run.host.empty()) run.host = run.ipv6 ? "[::1]" : "";
  return run;
}

// The settings module manage.py sets by default.
std::optional<std::string> defaultSettings(std::string_view manage) {
  std::string settings;
  if (RE2::PartialMatch(manage, R"(DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"])", &settings))
    return settings;
  return std::nullopt;
}

// A dotted module of the project as a context file (mod.py or mod/__init__.py).
std::optional<std::string> moduleIn(const context::BuildContext& context, std::string_view project,
                                    std::string_view module) {
  std::string path(module);
  std::replace(path.begin(), path.end(), '.', '/');
  for (const std::string& candidate : {path + ".py", path + "/__init__.py"}) {
    std::string file = engine::contextPath(project, candidate);
    if (context.exists(file)) return file;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Plan> djangoPlan(const Job& job) {
  PythonCommand command = pythonCommand(job.start.words);
  if (command.module || text::baseName(command.program) != "manage.py") return std::nullopt;
  Runserver run = readRunserver(command.args);
  std::optional<std::string> manage = job.contextFile(command.program);
  if (!manage) throw Refusal{fmt::format("{} is not a file of the build context", command.program)};
  Plan plan;
  plan.server = "gunicorn";
  plan.project = text::dirName(*manage);
  std::string settings = run.settings;
  if (settings.empty()) settings = job.variable("DJANGO_SETTINGS_MODULE").value_or("");
  if (settings.empty()) settings = defaultSettings(job.context.read(*manage).value_or("")).value_or("");
  if (settings.empty())
    throw Refusal{fmt::format("{} names no settings module (DJANGO_SETTINGS_MODULE)", *manage)};
  std::optional<std::string> settingsFile = moduleIn(job.context, plan.project, settings);
  if (!settingsFile)
    throw Refusal{fmt::format("the settings module {} is not in the build context", settings)};
  std::string text = job.context.read(*settingsFile).value_or("");
  if (RE2::PartialMatch(text, R"(['"](daphne|channels)['"])")) {
    throw Refusal{fmt::format(
        "{} installs Channels or Daphne, with which runserver serves the ASGI application", *settingsFile)};
  }
  std::string application;
  if (!RE2::PartialMatch(text, R"(WSGI_APPLICATION\s*=\s*['"]([\w.]+)['"])", &application)) {
    application = settings.substr(0, settings.find('.')) + ".wsgi.application";
  }
  std::string module = application.substr(0, application.rfind('.'));
  std::optional<std::string> wsgi = moduleIn(job.context, plan.project, module);
  if (!wsgi) throw Refusal{fmt::format("the WSGI module {} is not in the build context", module)};
  plan.was = fmt::format("Django's development server (manage.py runserver, settings {})", settings);
  if (run.host.empty()) {
    run.host = "0.0.0.0";
    plan.notes.push_back(
        "it listens on 0.0.0.0 rather than runserver's default 127.0.0.1, which only the container "
        "itself reaches");
  }
  plan.words = {
      command.interpreter.empty() ? std::string("gunicorn") : scriptBeside(command.interpreter, "gunicorn"),
      "--bind", bindAddress(run.host, run.port)};
  if (command.program.find('/') != std::string::npos && text::dirName(command.program) != ".") {
    plan.words.push_back("--pythonpath");
    plan.words.push_back(text::dirName(command.program));
  }
  if (!run.settings.empty()) {
    plan.words.push_back("--env");
    plan.words.push_back("DJANGO_SETTINGS_MODULE=" + run.settings);
  }
  plan.words.push_back(fmt::format("{}:{}", module, application.substr(application.rfind('.') + 1)));
  if (!RE2::PartialMatch(text, R"((?i)whitenoise)")) {
    plan.notes.push_back(run.insecure
                             ? "gunicorn does not serve the static files runserver --insecure served: "
                               "WhiteNoise or a web server in front must"
                             : "gunicorn does not serve static files as runserver does with DEBUG on: "
                               "WhiteNoise or a web server in front must");
  }
  return plan;
}

}  // namespace dfopt::transforms::production_server
