// Servers fit for production started with their reloader (`uvicorn
// --reload`, `gunicorn --reload`, `hypercorn --reload`), and FastAPI's
// `fastapi dev`, whose production twin is `fastapi run`: the same server
// without the process that watches the source and restarts it.
#include <fmt/format.h>

#include "transforms/production_server/server.h"
#include "util/text.h"

namespace dfopt::transforms::production_server {
namespace {

using text::isOneOf;

constexpr std::string_view kReloadOptionsWithValue[] = {"--reload-dir",     "--reload-include",
                                                        "--reload-exclude", "--reload-delay",
                                                        "--reload-engine",  "--reload-extra-file"};

bool isReloadOption(std::string_view word) { return isOneOf(word, {"--reload", "--no-reload"}); }

// The words without the reloader's options (and their values).
std::vector<std::string> withoutReloader(const std::vector<std::string>& words, size_t from) {
  std::vector<std::string> kept(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(from));
  for (size_t i = from; i < words.size(); ++i) {
    std::string name = words[i].substr(0, words[i].find('='));
    if (isReloadOption(words[i])) continue;
    if (isOneOf(name, kReloadOptionsWithValue)) {
      if (name == words[i]) ++i;
      continue;
    }
    kept.push_back(words[i]);
  }
  return kept;
}

bool hasOption(const std::vector<std::string>& words, std::string_view name) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& word) {
    return word == name || word.starts_with(std::string(name) + "=");
  });
}

}  // namespace

std::optional<Plan> reloaderPlan(const Job& job) {
  const std::vector<std::string>& words = job.start.words;
  PythonCommand command = pythonCommand(words);
  if (!command.interpreter.empty() && !command.module) return std::nullopt;
  std::string program(text::baseName(command.program));
  size_t programAt = words.size() - command.args.size();
  Plan plan;
  if (program == "fastapi" && !command.args.empty() && command.args[0] == "dev") {
    plan.words = withoutReloader(words, programAt);
    plan.words[programAt] = "run";
    plan.was = "FastAPI's development server (fastapi dev)";
    plan.notes.push_back("fastapi run is the same uvicorn server without the reloader");
    if (!hasOption(words, "--host")) {
      plan.notes.push_back(
          "it listens on 0.0.0.0, fastapi run's default, rather than fastapi dev's 127.0.0.1, "
          "which only the container itself reaches");
    }
    return plan;
  }
  if (!isOneOf(program, {"uvicorn", "gunicorn", "hypercorn"}) || !hasOption(command.args, "--reload")) {
    return std::nullopt;
  }
  plan.words = withoutReloader(words, programAt);
  plan.was = fmt::format("{} with --reload, a development server that restarts on source edits", program);
  plan.notes.push_back(fmt::format("the same {} without the reloader that watches the source", program));
  return plan;
}

}  // namespace dfopt::transforms::production_server
