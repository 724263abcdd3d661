#include "analysis/run_effects.h"

#include <memory>

#include <fmt/format.h>

#include "engine/package_commands.h"
#include "model/queries.h"
#include "shell/script.h"
#include "util/text.h"
#include "util/text_memo.h"

namespace dfopt::analysis {
namespace {

using engine::PackageTool;
using text::isOneOf;

// Where package tools find their programs, libraries and settings (a tool
// reads these, but of its working directory only what it names).
constexpr std::string_view kToolPaths[] = {"/usr", "/opt",  "/etc", "/root", "/home",
                                           "/bin", "/sbin", "/lib", "/go"};

// Where package tools and system package managers install.
constexpr std::string_view kSystemPaths[] = {"/usr", "/etc", "/var", "/lib", "/bin", "/sbin", "/opt"};

// What one command of a script does, with the directory it runs in.
class CommandEffects {
 public:
  CommandEffects(std::vector<std::string> words, std::string cwd, const std::string& home,
                 const model::Variables& variables, RunEffects& out)
      : words_(std::move(words)), cwd_(std::move(cwd)), home_(home), variables_(variables), out_(out) {}

  void add();

 private:
  const std::string& word(size_t i) const {
    static const std::string kNone;
    return i < words_.size() ? words_[i] : kNone;
  }
  // A path of the command, absolute; "/" when a variable in it has no known value.
  std::string at(std::string_view path) const {
    if (!model::hasVariable(path)) return model::resolvePath(cwd_, path);
    auto expanded = model::expandVariables(path, variables_);
    return expanded ? model::resolvePath(cwd_, *expanded) : std::string("/");
  }
  std::string_view program() const { return text::baseName(word(0)); }

  void read(std::string path, Reason why) {
    out_.accesses.push_back({Resource::path(std::move(path)), false, {}, std::move(why)});
  }
  void write(std::string path, Reason why) {
    out_.accesses.push_back({Resource::path(std::move(path)), true, {}, std::move(why)});
  }
  // The tool reads the image (its program, libraries, configuration) but,
  // of its working directory, only what other accesses name.
  void readsImageButWorkdir() {
    // The reasons, one per tool path, share one text: a package command makes
    // nine of these accesses.
    const std::string why = std::string(program()) + " runs programs and reads settings in ";
    auto texts = std::make_shared<std::string>();
    for (std::string_view root : kToolPaths) texts->append(why).append(root);
    const std::shared_ptr<const std::string> shared = std::move(texts);
    std::string_view rest = *shared;
    for (std::string_view root : kToolPaths) {
      Reason reason(shared, rest.substr(0, why.size() + root.size()));
      rest.remove_prefix(why.size() + root.size());
      Access access{Resource::path(std::string(root)), false, {cwd_}, std::move(reason)};
      access.toolPaths = true;
      out_.accesses.push_back(std::move(access));
    }
  }
  void readsManifests(std::initializer_list<std::string_view> names) {
    for (std::string_view name : names) read(at(name), fmt::format("{} reads {}", program(), name));
  }
  void readsWorkdir() { read(cwd_, fmt::format("{} reads the sources in {}", program(), cwd_)); }
  void writesWorkdir() { write(cwd_, fmt::format("{} may write anything in {}", program(), cwd_)); }
  void writesCache(std::string path, Reason why) {
    out_.accesses.push_back({Resource::path(std::move(path)), true, {}, std::move(why), true});
  }
  void writesHome(std::string_view below) {
    writesCache(home_ + "/" + std::string(below), fmt::format("{} writes its cache", program()));
  }
  // Where pip and Poetry install: the virtualenv VIRTUAL_ENV names (an ENV or
  // an assignment before the command), else the system's Python.
  void writesPythonEnvironment(std::string_view tool) {
    auto active = variables_.find("VIRTUAL_ENV");
    if (active != variables_.end()) {
      write(active->second ? at(*active->second) : std::string("/"),
            fmt::format("{} installs into the virtualenv VIRTUAL_ENV names", tool));
      out_.accesses.back().virtualenvWrite = active->second.has_value();
      return;
    }
    write("/usr/local", fmt::format("{} installs into the Python environment", tool));
  }
  // POETRY_VIRTUALENVS_IN_PROJECT=true (and virtualenvs not switched off):
  // Poetry installs into the project's .venv only.
  bool poetryInstallsInProject() const {
    auto value = [&](std::string_view name) {
      auto found = variables_.find(name);
      return found != variables_.end() && found->second ? text::lower(*found->second) : std::string();
    };
    return variables_.find("VIRTUAL_ENV") == variables_.end() &&
           isOneOf(value("POETRY_VIRTUALENVS_IN_PROJECT"), {"true", "1"}) &&
           !isOneOf(value("POETRY_VIRTUALENVS_CREATE"), {"false", "0"});
  }
  void writesSystem() {
    for (std::string_view path : kSystemPaths)
      write(std::string(path), fmt::format("{} installs into {}", program(), path));
  }
  void unknown() {
    out_.unknownCommand = true;
    read("/", fmt::format("{} is not a command dfopt models: it may read anything", program()));
    writesWorkdir();
  }

  bool packageCommand();
  void python(PackageTool tool, size_t sub);
  void node(size_t sub);
  void go(size_t sub);
  void compiled(PackageTool tool, size_t sub);
  bool fileCommand();

  std::vector<std::string> words_;
  std::string cwd_;
  const std::string& home_;
  const model::Variables& variables_;
  RunEffects& out_;
};

bool hasWordAfter(const std::vector<std::string>& words, size_t from, std::string_view value) {
  for (size_t i = from; i < words.size(); ++i) {
    if (words[i] == value) return true;
  }
  return false;
}

// Arguments after `from` that are not options.
std::vector<std::string> operands(const std::vector<std::string>& words, size_t from) {
  std::vector<std::string> out;
  for (size_t i = from; i < words.size(); ++i) {
    if (!words[i].starts_with('-')) out.push_back(words[i]);
  }
  return out;
}

void CommandEffects::python(PackageTool tool, size_t sub) {
  std::string verb = word(sub);
  readsImageButWorkdir();
  if (tool == PackageTool::Pip || tool == PackageTool::UvPip) {
    if (verb != "install" && verb != "sync") return;  // pip list, freeze, show...
    for (size_t i = sub + 1; i < words_.size(); ++i) {
      const std::string& w = words_[i];
      if (isOneOf(w, {"-r", "--requirement", "-c", "--constraint"}) && i + 1 < words_.size()) {
        ++i;
        read(at(words_[i]), fmt::format("pip installs what {} lists", words_[i]));
        out_.installsDependencies = true;
      } else if (w == "-e" || w == "--editable") {
        continue;
      } else if (!w.starts_with('-') &&
                 (w == "." || w.starts_with("./") || w.starts_with("/") || w.ends_with(".whl"))) {
        read(at(w), fmt::format("pip installs the project in {}", w));
      }
    }
    writesPythonEnvironment("pip");
    writesHome(".cache/pip");
    return;
  }
  if (tool == PackageTool::Poetry) {
    if (verb == "config") {
      if (hasWordAfter(words_, sub, "--local")) {
        write(at("poetry.toml"), "poetry config --local writes poetry.toml");
      } else {
        write(home_ + "/.config/pypoetry", "poetry config writes its configuration");
      }
      return;
    }
    if (verb != "install" && verb != "sync" && verb != "export" && verb != "build") {
      readsWorkdir();
      writesWorkdir();
      return;
    }
    read(home_ + "/.config/pypoetry", "poetry reads its configuration");
    out_.installsDependencies = verb == "install" || verb == "sync";
    readsManifests({"pyproject.toml", "poetry.lock", "poetry.toml"});
    if (verb == "build" || (verb != "export" && !hasWordAfter(words_, sub, "--no-root"))) readsWorkdir();
    if (verb == "export" || verb == "build") {
      writesWorkdir();
      return;
    }
    if (!poetryInstallsInProject()) writesPythonEnvironment("poetry");
    // With VIRTUAL_ENV set, Poetry uses that virtualenv and creates none.
    if (!variables_.contains("VIRTUAL_ENV")) write(at(".venv"), "poetry may create the project's virtualenv");
    writesHome(".cache/pypoetry");
    return;
  }
  if (tool == PackageTool::Uv) {
    if (verb != "sync") return unknown();
    readsManifests({"pyproject.toml", "uv.lock", ".python-version"});
    out_.installsDependencies = true;
    if (!hasWordAfter(words_, sub, "--no-install-project")) readsWorkdir();
    write(at(".venv"), "uv sync writes the project's virtualenv");
    writesHome(".cache/uv");
    return;
  }
  if (tool == PackageTool::Pipenv) {
    readsManifests({"Pipfile", "Pipfile.lock"});
    out_.installsDependencies = true;
    write("/usr/local", "pipenv installs into the Python environment");
    writesHome(".local/share/virtualenvs");
    return;
  }
}

void CommandEffects::node(size_t sub) {
  std::string verb = word(sub);
  readsImageButWorkdir();
  if (verb == "global" || hasWordAfter(words_, sub, "-g") || hasWordAfter(words_, sub, "--global")) {
    write("/usr/local", fmt::format("{} installs packages globally", program()));
    writesHome(program() == "yarn" ? ".cache/yarn" : ".npm");
    return;
  }
  bool install = isOneOf(verb, {"ci", "install", "i", "add"}) || (program() == "yarn" && verb.empty());
  if (!install) {  // npm run build, yarn build, npx...: the project's own scripts
    readsWorkdir();
    writesWorkdir();
    return;
  }
  readsManifests({"package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                  "pnpm-workspace.yaml", ".npmrc", ".yarnrc", ".yarnrc.yml"});
  write(at("node_modules"), fmt::format("{} installs into node_modules", program()));
  out_.installsDependencies = operands(words_, sub + 1).empty() && verb != "add";
  writesHome(program() == "pnpm" ? ".local/share/pnpm" : program() == "yarn" ? ".cache/yarn" : ".npm");
  if (!operands(words_, sub + 1).empty() || verb == "add") {
    write(at("package.json"), fmt::format("{} {} with packages changes package.json", program(), verb));
  }
}

void CommandEffects::go(size_t sub) {
  readsImageButWorkdir();
  std::string verb = word(sub);
  if (verb == "mod" && word(sub + 1) == "download") {
    readsManifests({"go.mod", "go.sum"});
    out_.installsDependencies = true;
    writesCache("/go/pkg/mod", "go mod download fills the module cache");
    writesHome("go/pkg/mod");
    return;
  }
  readsWorkdir();  // tidy, build, test, generate...: the sources
  writesCache("/go/pkg/mod", "go fills its module cache");
  for (size_t i = sub + 1; i + 1 < words_.size(); ++i) {
    if (words_[i] == "-o") write(at(words_[i + 1]), fmt::format("go {} -o writes {}", verb, words_[i + 1]));
  }
  writesHome(".cache/go-build");
  if (verb == "mod" && word(sub + 1) == "tidy") {
    write(at("go.mod"), "go mod tidy rewrites go.mod");
    write(at("go.sum"), "go mod tidy rewrites go.sum");
    return;
  }
  writesWorkdir();
}

void CommandEffects::compiled(PackageTool tool, size_t sub) {
  readsImageButWorkdir();
  std::string verb = word(sub);
  switch (tool) {
    case PackageTool::Cargo:
      readsManifests({"Cargo.toml", "Cargo.lock"});
      write("/usr/local/cargo", "cargo fills its registry");
      writesHome(".cargo");
      out_.installsDependencies = verb == "fetch";
      if (verb == "fetch") return;
      break;
    case PackageTool::Maven:
      readsManifests({"pom.xml"});
      writesHome(".m2");
      out_.installsDependencies = verb.starts_with("dependency:");
      if (verb.starts_with("dependency:")) return;
      break;
    case PackageTool::Gradle:
      readsManifests({"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"});
      writesHome(".gradle");
      break;
    case PackageTool::Bundler:
      readsManifests({"Gemfile", "Gemfile.lock"});
      write("/usr/local/bundle", "bundle installs gems");
      out_.installsDependencies = verb == "install" || verb.empty();
      if (verb == "install" || verb.empty()) return;
      break;
    case PackageTool::Composer:
      readsManifests({"composer.json", "composer.lock"});
      write(at("vendor"), "composer installs into vendor");
      writesHome(".composer");
      out_.installsDependencies = verb == "install";
      if (verb == "install" || verb == "update") return;
      break;
    default:
      break;
  }
  readsWorkdir();
  writesWorkdir();
}

bool CommandEffects::packageCommand() {
  auto command = engine::packageCommandOf(words_);
  if (!command) return false;
  size_t sub = command->subcommand;
  // Options before the subcommand ("npm --prefix x ci") are skipped.
  while (sub < words_.size() && words_[sub].starts_with('-')) ++sub;
  switch (command->tool) {
    case PackageTool::Pip:
    case PackageTool::UvPip:
    case PackageTool::Uv:
    case PackageTool::Pipenv:
    case PackageTool::Poetry:
      python(command->tool, sub);
      return true;
    case PackageTool::Npm:
    case PackageTool::Yarn:
    case PackageTool::Pnpm:
      node(sub);
      return true;
    case PackageTool::Corepack:
      readsImageButWorkdir();
      write("/usr/local", "corepack installs package managers");
      writesHome(".cache/node/corepack");
      return true;
    case PackageTool::Go:
      go(sub);
      return true;
    default:
      compiled(command->tool, sub);
      return true;
  }
}

// Commands that only touch the paths they name.
bool CommandEffects::fileCommand() {
  const std::string_view name = program();
  if (isOneOf(name, {"true", ":", "echo", "printf", "set", "export", "test", "[", "exit", "sleep", "env",
                     "id", "whoami", "uname", "date", "nproc", "pwd", "which"})) {
    return true;
  }
  std::vector<std::string> paths = operands(words_, 1);
  if (isOneOf(name, {"mkdir", "rm", "touch", "chmod", "chown", "chgrp", "rmdir", "unlink"})) {
    if (name == "chmod" || name == "chown" || name == "chgrp") {
      if (!paths.empty()) paths.erase(paths.begin());  // the mode or owner
    }
    for (const std::string& path : paths) write(at(path), fmt::format("{} {}", name, path));
    return true;
  }
  if (isOneOf(name, {"cp", "mv", "ln"})) {
    if (paths.size() < 2) return false;
    for (size_t i = 0; i + 1 < paths.size(); ++i) {
      read(at(paths[i]), fmt::format("{} reads {}", name, paths[i]));
      if (name == "mv") write(at(paths[i]), fmt::format("mv removes {}", paths[i]));
    }
    write(at(paths.back()), fmt::format("{} writes {}", name, paths.back()));
    return true;
  }
  if (isOneOf(name, {"cat", "ls", "head", "tail", "grep", "wc", "sha256sum", "md5sum", "stat", "file"})) {
    for (const std::string& path : paths) read(at(path), fmt::format("{} reads {}", name, path));
    return true;
  }
  if (isOneOf(name, {"apt-get", "apt", "apk", "yum", "dnf", "microdnf", "useradd", "adduser", "groupadd",
                     "addgroup", "usermod", "update-ca-certificates", "ldconfig"})) {
    readsImageButWorkdir();
    writesSystem();
    if (name == "useradd" || name == "adduser")
      write("/home", fmt::format("{} creates a home directory", name));
    return true;
  }
  return false;
}

void CommandEffects::add() {
  if (words_.empty()) return;
  if (engine::isPythonProgram(program()) && word(1) == "-m" && word(2) == "venv" && !word(3).empty()) {
    readsImageButWorkdir();
    write(at(words_.back()), "python -m venv creates the virtualenv");
    out_.accesses.back().virtualenvWrite = true;
    return;
  }
  if (packageCommand() || fileCommand()) return;
  unknown();
}

std::vector<std::string> valuesOf(const shell::Command& command) {
  std::vector<std::string> values;
  for (const shell::Word& word : command.words) values.push_back(word.value);
  return values;
}

// The file a redirection writes, if any (">out", "2>>log"; not ">&2").
std::optional<std::string> redirectionTarget(std::string_view redirection) {
  size_t arrow = redirection.find('>');
  if (arrow == std::string_view::npos) return std::nullopt;
  std::string_view target = redirection.substr(arrow + 1);
  if (target.starts_with('>') || target.starts_with('|')) target.remove_prefix(1);
  if (target.starts_with('&')) return std::nullopt;
  while (!target.empty() && target.front() == ' ') target.remove_prefix(1);
  if (target.empty() || target == "/dev/null") return std::nullopt;
  return std::string(target);
}

// The variables a command sees: the stage's, and the `NAME=value` words before it.
model::Variables withAssignments(const model::Variables& variables, const shell::Command& command) {
  model::Variables seen = variables;
  for (const shell::Word& assignment : command.assignments) {
    size_t equals = assignment.value.find('=');
    if (equals == std::string::npos) continue;
    std::string value = assignment.value.substr(equals + 1);
    seen[assignment.value.substr(0, equals)] =
        model::hasVariable(value) ? model::expandVariables(value, variables) : std::optional(value);
  }
  return seen;
}

RunEffects computeRunEffects(std::string_view script, const std::string& workdir, const std::string& home,
                             const model::Variables& variables) {
  RunEffects out;
  std::shared_ptr<const shell::Script> shared = shell::parseScriptShared(script);
  const shell::Script& parsed = *shared;
  if (parsed.complex) {
    out.unknownCommand = true;
    out.accesses.push_back(
        {Resource::path("/"), false, {}, "the script uses shell constructs dfopt does not model"});
    out.accesses.push_back(
        {Resource::path(workdir), true, {}, "the script may write anything in " + workdir});
    return out;
  }
  std::string cwd = workdir;
  for (const shell::Command& command : parsed.commands) {
    std::vector<std::string> words = valuesOf(command);
    if (!words.empty() && words[0] == "cd") {
      if (words.size() < 2 || words[1].find('$') != std::string::npos) {
        cwd = "/";  // cd to $HOME or a variable: anywhere
        out.accesses.push_back({Resource::path("/"), true, {}, "cd to a directory dfopt cannot tell"});
      } else {
        cwd = model::resolvePath(cwd, words[1]);
      }
      continue;
    }
    for (const std::string& redirection : command.redirections) {
      if (auto target = redirectionTarget(redirection)) {
        out.accesses.push_back(
            {Resource::path(model::resolvePath(cwd, *target)), true, {}, "a redirection writes " + *target});
      }
    }
    // A copy of the variables per command would grow with the square of a
    // file of many ENVs and RUNs: only a command with assignments makes one.
    std::optional<model::Variables> seen;
    if (!command.assignments.empty()) seen = withAssignments(variables, command);
    CommandEffects(std::move(words), cwd, home, seen ? *seen : variables, out).add();
  }
  return out;
}

// The effects runEffects found, per thread, by script, directories and
// variables: the pipeline analyses every new model's RUNs, and most are the
// RUNs of the model before in the same place. The key holds all the
// variables, so only a script of few is kept. An entry (a RUN's accesses)
// takes a few KB: 128 keep a file's RUNs and the ones common to many files
// (a corpus check finds as many as with 1,024), at a MB of peak memory per
// thread where 1,024 took four.
thread_local text::TextMemo<RunEffects> knownEffects(4 << 20, 128);

std::string effectsKey(std::string_view script, const std::string& workdir, const std::string& home,
                       const model::Variables& variables) {
  std::string key;
  text::appendKeyPart(key, script);
  text::appendKeyPart(key, workdir);
  text::appendKeyPart(key, home);
  for (const auto& [name, value] : variables) {
    text::appendKeyPart(key, name);
    key.push_back(value ? '=' : '?');
    if (value) text::appendKeyPart(key, *value);
  }
  return key;
}

}  // namespace

std::shared_ptr<const RunEffects> runEffects(std::string_view script, const std::string& workdir,
                                             const std::string& home, const model::Variables& variables) {
  constexpr size_t kMaxScript = 64 << 10;
  constexpr size_t kMaxVariables = 64;
  if (script.size() > kMaxScript || variables.size() > kMaxVariables)
    return std::make_shared<const RunEffects>(computeRunEffects(script, workdir, home, variables));
  return knownEffects.get([&] { return effectsKey(script, workdir, home, variables); },
                          [&] { return computeRunEffects(script, workdir, home, variables); });
}

std::shared_ptr<const RunEffects> execEffects(const std::vector<std::string>& words,
                                              const std::string& workdir, const std::string& home,
                                              const model::Variables& variables) {
  auto out = std::make_shared<RunEffects>();
  CommandEffects(words, workdir, home, variables, *out).add();
  return out;
}

}  // namespace dfopt::analysis
