// Which package tools the RUN steps run, and whether they install the
// dependencies or build the project that an ecosystem's folders hold.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/package_commands.h"
#include "transforms/dockerignore/build_use.h"

namespace dfopt::transforms::dockerignore {

using engine::Ecosystem;
using model::Dockerfile;
using model::Instruction;

namespace {

struct Tooling {
  Ecosystem ecosystem;
  std::vector<std::string_view> installs;  // argument words that install ("" : no arguments but flags)
  std::vector<std::string_view> builds;    // argument words that build the project ("build" also "build:x")
};

const std::vector<Tooling>& allTooling() {
  static const std::vector<Tooling> tooling = {
      {Ecosystem::Pip, {"install"}, {"install", "wheel"}},
      {Ecosystem::Poetry, {"install", "sync"}, {"install", "sync", "build"}},
      {Ecosystem::Uv, {"sync", "install"}, {"sync", "install", "build"}},
      {Ecosystem::Pipenv, {"install", "sync"}, {"install", "sync"}},
      {Ecosystem::Npm, {"ci", "install", "i"}, {"build"}},
      {Ecosystem::Yarn, {"", "install"}, {"build"}},
      {Ecosystem::Pnpm, {"install", "i"}, {"build"}},
      {Ecosystem::Go, {"build", "install", "download"}, {"build", "install"}},
      {Ecosystem::Cargo, {"build", "install", "fetch"}, {"build", "install"}},
      {Ecosystem::Maven,
       {"package", "install", "verify", "dependency:go-offline"},
       {"package", "install", "verify"}},
      {Ecosystem::Gradle,
       {"build", "assemble", "bootJar", "installDist"},
       {"build", "assemble", "bootJar", "installDist"}},
      {Ecosystem::Bundler, {"install"}, {"install"}},
      {Ecosystem::Composer, {"install"}, {"install"}},
  };
  return tooling;
}

bool isPython(Ecosystem e) {
  return e == Ecosystem::Pip || e == Ecosystem::Poetry || e == Ecosystem::Uv || e == Ecosystem::Pipenv;
}
bool isJavaScript(Ecosystem e) { return e == Ecosystem::Npm || e == Ecosystem::Yarn || e == Ecosystem::Pnpm; }

// Ecosystems sharing their dependency folders: any of their tools recreates them.
bool sameFamily(Ecosystem a, Ecosystem b) {
  return a == b || (isPython(a) && isPython(b)) || (isJavaScript(a) && isJavaScript(b));
}

bool argumentsSay(const ProgramRun& run, const std::vector<std::string_view>& words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view word) {
    if (word.empty()) {
      return std::all_of(run.arguments.begin(), run.arguments.end(),
                         [](const std::string& argument) { return argument.starts_with('-'); });
    }
    return std::any_of(run.arguments.begin(), run.arguments.end(), [&](const std::string& argument) {
      return argument == word || (argument.starts_with(word) && argument[word.size()] == ':');
    });
  });
}

// npx runs packages from npm's folders, so it counts as npm.
std::optional<Ecosystem> ecosystemRun(const ProgramRun& run) {
  if (run.program == "npx") return Ecosystem::Npm;
  return engine::ecosystemOfProgram(run.program);
}

bool createsVirtualenv(const ProgramRun& run) {
  return run.program == "venv" || run.program == "virtualenv" ||
         (run.program == "uv" && !run.arguments.empty() && run.arguments[0] == "venv");
}

bool isWordCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

}  // namespace

std::string familyName(Ecosystem e) {
  if (isPython(e)) return "Python";
  if (isJavaScript(e)) return "Node.js";
  std::string name(engine::infoFor(e).name);
  name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

bool usesTooling(const ProgramRun& run) { return createsVirtualenv(run) || ecosystemRun(run).has_value(); }

bool buildRuns(const BuildUse& use, Ecosystem ecosystem, Step step) {
  return std::any_of(use.runs.begin(), use.runs.end(), [&](const ProgramRun& run) {
    if (step == Step::Install && isPython(ecosystem) && createsVirtualenv(run)) return true;
    return std::any_of(allTooling().begin(), allTooling().end(), [&](const Tooling& tooling) {
      bool ran = sameFamily(tooling.ecosystem, ecosystem) && ecosystemRun(run) == tooling.ecosystem;
      return ran && argumentsSay(run, step == Step::Install ? tooling.installs : tooling.builds);
    });
  });
}

std::optional<size_t> runMentioning(const Dockerfile& file, std::string_view program) {
  if (program.empty()) return std::nullopt;
  for (size_t i = 0; i < file.instructions.size(); ++i) {
    const Instruction& instruction = file.instructions[i];
    if (!instruction.is("run")) continue;
    std::string_view text = instruction.argumentsText();
    for (size_t at = text.find(program); at != std::string_view::npos; at = text.find(program, at + 1)) {
      bool startsWord = at == 0 || !isWordCharacter(text[at - 1]);
      size_t end = at + program.size();
      bool endsWord = end == text.size() || !isWordCharacter(text[end]);
      if (startsWord && endsWord) return i;
    }
  }
  return std::nullopt;
}

}  // namespace dfopt::transforms::dockerignore
