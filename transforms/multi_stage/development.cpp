// Development targets: an image for working on the app (a stage named dev,
// a Dockerfile.dev, a server that reloads on source edits) needs its tool
// chain and its source, so multi-stage leaves it as it is; the other
// transforms still apply.
#include <array>

#include <fmt/format.h>

#include "engine/development.h"
#include "transforms/multi_stage/job.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::isOneOf;
using text::lower;

constexpr std::array<std::string_view, 3> kDevelopmentNames = {"dev", "development", "debug"};

// The words of the command past the launchers that run another program:
// `exec`, `npx`, `poetry run`, `pipenv run`, `python -m`.
std::vector<std::string> programWords(const SourceCommand& command) {
  std::vector<std::string> words = valuesOf(command);
  size_t at = programIndex(command);
  for (bool skipped = true; skipped && at < words.size();) {
    std::string name(text::baseName(words[at]));
    skipped = true;
    if (name == "npx") {
      at += 1;
    } else if ((name == "poetry" || name == "pipenv") && at + 1 < words.size() && words[at + 1] == "run") {
      at += 2;
    } else if (name.starts_with("python") && at + 1 < words.size() && words[at + 1] == "-m") {
      at += 2;
    } else {
      skipped = false;
    }
  }
  words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(std::min(at, words.size())));
  return words;
}

bool hasWord(const std::vector<std::string>& words, std::initializer_list<std::string_view> options) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& word) {
    return std::any_of(options.begin(), options.end(), [&](std::string_view option) {
      return word == option || word.starts_with(std::string(option) + "=");
    });
  });
}

// Is this a watcher or a development server: one that reloads on source edits or serves unbuilt source?
bool isDevelopmentServer(const std::vector<std::string>& words) {
  if (words.empty()) return false;
  std::string program(text::baseName(words[0]));
  std::string first = words.size() > 1 ? words[1] : "";
  std::string second = words.size() > 2 ? words[2] : "";
  if (isOneOf(program, {"nodemon", "ts-node-dev", "webpack-dev-server", "air", "watchexec"})) return true;
  if (isOneOf(program, {"npm", "yarn", "pnpm"})) {
    std::string script = first == "run" || first == "run-script" ? second : first;
    return isOneOf(script, {"dev", "develop", "watch", "serve", "start:dev"});
  }
  if (program == "vite") return first.empty() || first.starts_with("-") || first == "dev" || first == "serve";
  if (isOneOf(program, {"ng", "webpack"})) return first == "serve";
  if (isOneOf(program, {"next", "nuxt", "fastapi"})) return first == "dev";
  if (program == "react-scripts") return first == "start";
  if (isOneOf(program, {"uvicorn", "gunicorn", "hypercorn"})) return hasWord(words, {"--reload"});
  if (program == "flask") return hasWord(words, {"--debug", "--reload"});
  if (program == "manage.py" || (program.starts_with("python") && first.ends_with("manage.py")))
    return isOneOf(program == "manage.py" ? first : second, {"runserver", "runserver_plus"});
  if (program == "node") return hasWord(words, {"--watch"});
  if (program == "cargo") return first == "watch";
  return false;
}

}  // namespace

std::optional<NotSplit> developmentTarget(const Dockerfile& file, const model::Stage& stage,
                                          const engine::Options& options) {
  constexpr std::string_view kKept =
      "a development image keeps its tool chain and its source (the other transforms still apply)";
  if (isOneOf(lower(stage.name), kDevelopmentNames)) {
    return NotSplit{offsetOf(file, stage.from), fmt::format("the stage is named {}: {}", stage.name, kKept)};
  }
  if (engine::isDevelopmentFileName(options.fileName)) {
    return NotSplit{offsetOf(file, stage.from), fmt::format("{} is a development Dockerfile: {}",
                                                            text::baseName(options.fileName), kKept)};
  }
  for (size_t i = stage.from + 1; i < stage.end; ++i) {
    const Instruction& instruction = file.instructions[i];
    if (!instruction.is("cmd") && !instruction.is("entrypoint")) continue;
    for (const SourceCommand& command : commandLineOf(instruction).commands) {
      if (!isDevelopmentServer(programWords(command))) continue;
      return NotSplit{offsetOf(file, i), fmt::format("the {} runs `{}`, a development server that reloads on "
                                                     "source edits: {}",
                                                     instruction.keyword, shortened(command.text), kKept)};
    }
  }
  return std::nullopt;
}

}  // namespace dfopt::transforms::multi_stage
