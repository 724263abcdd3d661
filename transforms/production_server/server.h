#pragma once
// production-server: what its parts share. The start command of the final
// stage (start_command.cpp), the app's Python source (app_source.cpp), the
// image path a file of the build context lands at (locate.cpp), and whether
// the production server is a dependency of the project (dependencies.cpp).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context/build_context.h"
#include "engine/transform.h"
#include "model/dockerfile.h"
#include "model/variables.h"

namespace dfopt::transforms::production_server {

// Why a development server stays as it is; thrown, caught once by the transform.
struct Refusal {
  std::string message;
};

// The CMD or ENTRYPOINT of the final stage that starts the container.
struct StartCommand {
  size_t index = 0;                   // the instruction
  std::vector<std::string> launcher;  // kept in front of the server: `poetry run`, `pipenv run`
  std::vector<std::string> words;     // the program and its arguments
  std::string text;                   // the command as written, for messages
};

// The command the final stage starts with, when it is one command whose
// words are known. A development server in another shape (several
// commands, a variable, an ENTRYPOINT with a CMD after it) is a Refusal.
std::optional<StartCommand> startCommand(const model::Dockerfile& file, const model::Stage& stage);

// The command for a one-line message: at most 60 characters.
std::string shortened(std::string_view text);

// What a Flask script that starts the development server with `app.run`
// tells about it.
struct FlaskScript {
  std::string object;  // the app, as gunicorn names it: "app", "create_app()"
  std::string host;    // as app.run gives them; empty: the default
  std::string port;
  bool debug = false;
};

// The Flask development server `source` (the context file `path`) starts,
// or nothing when it starts none. A Refusal when gunicorn could not serve
// the same app: app.run outside the `__main__` block, more than app.run in
// that block, a host or port computed at run time.
std::optional<FlaskScript> flaskScript(std::string_view source, std::string_view path);

// The Flask app a module defines, as gunicorn names it ("app",
// "create_app()"), or nothing.
std::optional<std::string> flaskAppObject(std::string_view source);

// The context path of the file the image has at the absolute `imagePath`
// when the final stage ends: what a COPY or ADD of the context (also through
// a COPY --from of another stage) put there, and .dockerignore lets through.
std::optional<std::string> contextFileAt(const model::Dockerfile& file, const context::BuildContext& context,
                                         const model::Stage& stage, std::string_view imagePath);

// The manifest or lock file that makes `package` a main dependency of the
// project in `directory` (a context directory) or a directory above it,
// or a RUN of the stage that installs it by name; nothing when none does.
std::optional<std::string> dependencySource(const model::Dockerfile& file, const model::Stage& stage,
                                            const context::BuildContext& context, std::string_view directory,
                                            std::string_view package);

// How to make `package` a dependency of the project in `directory`, with
// the manifest the Dockerfile names if there are several: "add
// gunicorn to requirements.txt", "run `poetry add gunicorn`"...
std::string howToAdd(const model::Dockerfile& file, const context::BuildContext& context,
                     std::string_view directory, std::string_view package);

// What the plans read: the final stage, its start command, the WORKDIR it
// starts in and the variables it sees.
struct Job {
  const model::Dockerfile& file;
  const context::BuildContext& context;
  const engine::Options& options;
  const model::Stage& stage;
  const StartCommand& start;
  std::optional<std::string> workdir;
  model::Variables variables;

  // The value of an ENV or ARG the start command sees; a Refusal when it has no known value.
  std::optional<std::string> variable(std::string_view name) const;
  // The context file at `path` (relative to the WORKDIR, or absolute), if the image has one there.
  std::optional<std::string> contextFile(std::string_view path) const;
};

// The production command for a development server, and what to say about it.
struct Plan {
  std::vector<std::string> words;  // the new command, past the launcher
  std::string server;              // the package it needs (gunicorn); empty: it needs nothing new
  std::string was;                 // what ran: "Flask's development server (app.run in app.py)"
  std::vector<std::string> notes;  // what else changes
  std::string project = ".";       // the context directory of the app, where its manifests are
  std::string developmentReason;   // set: a development target, kept as it is
};

// The plans, one per kind of development server; nothing when the command
// starts none (a script that is not a Flask app).
std::optional<Plan> flaskScriptPlan(const Job& job);
std::optional<Plan> flaskRunPlan(const Job& job);
std::optional<Plan> djangoPlan(const Job& job);
std::optional<Plan> reloaderPlan(const Job& job);

// A command as Python runs it: `python -u app.py 1`, `python -m flask run`,
// or a program run directly (`flask run`, `./manage.py runserver`).
struct PythonCommand {
  std::string interpreter;        // `python3`, `/opt/venv/bin/python`; empty: the program runs directly
  std::string program;            // the script or module (`app.py`, `flask`), or the program as written
  bool module = false;            // run with -m
  std::vector<std::string> args;  // after the program
};
PythonCommand pythonCommand(const std::vector<std::string>& words);

// Where gunicorn (or another console script) is, next to the interpreter
// the command ran: "gunicorn", "/opt/venv/bin/gunicorn".
std::string scriptBeside(std::string_view interpreter, std::string_view program);
// "0.0.0.0:5000", "[::]:8000".
std::string bindAddress(std::string_view host, std::string_view port);

}  // namespace dfopt::transforms::production_server
