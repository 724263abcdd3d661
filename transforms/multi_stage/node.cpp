// The Node recipe (npm, yarn, pnpm): the production stage installs the
// production dependencies from the manifests, copies the app, and takes the
// build output, if the build stage makes one, from it.
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "engine/ecosystem.h"
#include "model/queries.h"
#include "shell/script.h"
#include "transforms/multi_stage/manifests.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::baseName;
using text::isOneOf;

int nodeMajor(const BaseImage& base) {
  std::string digits;
  for (char c : base.image.tag) {
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    digits += c;
  }
  return digits.empty() || digits.size() > 3 ? 0 : std::stoi(digits);
}

std::string productionInstall(const Job& job, bool locked) {
  switch (job.ecosystem) {
    case Tool::Yarn:
      return locked ? "yarn install --production --frozen-lockfile" : "yarn install --production";
    case Tool::Pnpm:
      return locked ? "pnpm install --prod --frozen-lockfile" : "pnpm install --prod";
    default: {
      int major = nodeMajor(job.base);
      std::string omitDev = major > 0 && major < 15 ? "--production" : "--omit=dev";  // npm 6 and older
      return fmt::format("{} {}", locked ? "npm ci" : "npm install", omitDev);
    }
  }
}

engine::Ecosystem engineEcosystem(Tool tool) {
  switch (tool) {
    case Tool::Yarn:
      return engine::Ecosystem::Yarn;
    case Tool::Pnpm:
      return engine::Ecosystem::Pnpm;
    default:
      return engine::Ecosystem::Npm;
  }
}

nlohmann::json parsePackageJson(const Job& job, const DirectoryCopy& source) {
  std::optional<nlohmann::json> package = engine::parseJson(readManifest(job, source, "package.json"));
  if (!package || !package->is_object())
    notSplit(job.offset(source.index), "package.json is not a JSON object");
  return std::move(*package);
}

std::string packageString(const nlohmann::json& package, std::string_view key, std::string_view inner = "") {
  const nlohmann::json* value = &package;
  for (std::string_view part : {key, inner}) {
    if (part.empty()) continue;
    if (!value->is_object() || !value->contains(part)) return "";
    value = &(*value)[std::string(part)];
  }
  return value->is_string() ? value->get<std::string>() : "";
}

// Does package.json list `program` (a package, or the last part of a scoped one) under `section`?
bool listsPackage(const nlohmann::json& package, std::string_view section, std::string_view program) {
  const auto list = package.find(section);
  if (list == package.end() || !list->is_object()) return false;
  for (const auto& [name, version] : list->items()) {
    if (name == program || baseName(name) == program) return true;
  }
  return false;
}

bool isDevDependency(const nlohmann::json& package, std::string_view program) {
  return listsPackage(package, "devDependencies", program) && !listsPackage(package, "dependencies", program);
}

// The words of the command that starts the app: the runner's own, or,
// through `npm start` / `yarn start` / `npm run X`, the first command of
// that package.json script.
std::vector<std::string> startWords(const Job& job, const nlohmann::json& package) {
  CommandLine line = analysedCommandLine(job, job.runner());
  if (line.commands.empty()) return {};
  std::vector<std::string> words = valuesOf(line.commands[0]);
  words.erase(words.begin(), words.begin() + static_cast<long>(programIndex(line.commands[0])));
  if (words.empty() || !isOneOf(words[0], std::array<std::string_view, 3>{"npm", "yarn", "pnpm"}))
    return words;
  std::vector<std::string> args = operands(words, 1);
  std::string script = args.empty() ? "start" : args[0];
  if ((script == "run" || script == "run-script") && args.size() > 1) script = args[1];
  std::string text = packageString(package, "scripts", script);
  if (text.empty())
    return script == "start" ? std::vector<std::string>{"node", "server.js"} : std::vector<std::string>{};
  shell::Script parsed = shell::parseScript(text);
  if (parsed.commands.empty()) return {};
  std::vector<std::string> scriptWords;
  for (const shell::Word& word : parsed.commands[0].words) scriptWords.push_back(word.value);
  return scriptWords;
}

std::string startProgram(const std::vector<std::string>& words) {
  if (words.empty()) return "";
  return words[0] == "npx" && words.size() > 1 ? words[1] : std::string(baseName(words[0]));
}

std::optional<std::string> firstComponent(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  return std::string(path.substr(0, slash));
}

std::optional<std::string> optionValue(const shell::Command& command, std::string_view option) {
  for (size_t i = 0; i < command.words.size(); ++i) {
    const std::string& word = command.words[i].value;
    if (word == option && i + 1 < command.words.size()) return command.words[i + 1].value;
    if (word.starts_with(std::string(option) + "=")) return word.substr(option.size() + 1);
  }
  return std::nullopt;
}

std::optional<std::string> tsconfigOutDir(const Job& job, const DirectoryCopy& source) {
  auto text = job.context.read(engine::contextPath(source.source, "tsconfig.json"));
  if (!text) return std::nullopt;
  std::optional<nlohmann::json> config = engine::parseJsonWithComments(*text);
  std::string outDir =
      config && config->is_object() ? packageString(*config, "compilerOptions", "outDir") : "";
  if (outDir.empty()) return std::nullopt;
  return outDir;
}

// Where the build script writes, by the tool it runs.
std::optional<std::string> buildScriptOutput(const Job& job, const DirectoryCopy& source,
                                             std::string_view script) {
  for (const shell::Command& command : shell::parseScript(script).commands) {
    std::string tool = command.name();
    std::string sub = command.words.size() > 1 ? command.words[1].value : "";
    if (tool == "tsc") {
      if (auto dir = optionValue(command, "--outDir")) return dir;
      return tsconfigOutDir(job, source);
    }
    if (tool == "next" && sub == "build") return ".next";
    if (tool == "vite" && sub == "build") return optionValue(command, "--outDir").value_or("dist");
    if (tool == "react-scripts" && sub == "build") return "build";
    if ((tool == "nest" || tool == "ng") && sub == "build") return "dist";
  }
  return std::nullopt;
}

// The directory `npm run build` fills: named by the script the app starts
// (`node dist/server.js`), by package.json "main", or by the build tool.
std::string buildOutput(const Job& job, const DirectoryCopy& source, const nlohmann::json& package,
                        const std::vector<std::string>& start) {
  std::optional<std::string> dir;
  if (startProgram(start) == "node") {
    std::vector<std::string> args = operands(start, 1, {"-r", "--require"});
    if (!args.empty()) dir = firstComponent(args[0]);
  }
  if (!dir) dir = firstComponent(packageString(package, "main"));
  if (!dir) dir = buildScriptOutput(job, source, packageString(package, "scripts", "build"));
  if (dir) {
    std::string relative = model::resolvePath("/", *dir).substr(1);
    if (!relative.empty() && !isOneOf(relative, std::array<std::string_view, 2>{"node_modules", "src"})) {
      return relative;
    }
  }
  notSplit(job.offset(job.runner()), "dfopt cannot tell which directory the build script writes");
}

// pnpm is not in node images: the production stage sets it up as the build stage did.
std::string pnpmSetup(const Job& job) {
  std::vector<std::string> commands;
  for (const StageCommand* command : commandsOf(job, Tool::Pnpm, Role::Setup))
    commands.push_back(command->command.text);
  if (commands.empty())
    notSplit(job.offset(job.stage.from), "dfopt cannot tell how the build stage installs pnpm");
  return job.productionLine("RUN", fmt::format("{}", fmt::join(commands, " && ")));
}

void checkYarnClassic(const Job& job, const DirectoryCopy& source, const nlohmann::json& package) {
  std::string manager = packageString(package, "packageManager");
  bool berry = job.context.exists(engine::contextPath(source.source, ".yarnrc.yml")) ||
               (manager.starts_with("yarn@") && !manager.starts_with("yarn@1."));
  if (berry)
    notSplit(job.offset(source.index), "Yarn 2+ has no `install --production`; dfopt knows only Yarn 1");
}

}  // namespace

Plan nodePlan(const Job& job) {
  checkAppDirectory(job);
  const std::string& app = job.facts.workdir;
  for (const StageCommand& command : job.facts.commands) {
    bool step = command.kind.role == Role::Install || command.kind.role == Role::Build;
    if (step && command.workdir != app) {
      notSplit(job.offset(command.index), fmt::format("`{}` runs in {}, not in the app directory {}",
                                                      shortened(command.command.text), command.workdir, app));
    }
  }
  const DirectoryCopy& source = copyHolding(job, app, "package.json");
  nlohmann::json package = parsePackageJson(job, source);
  if (job.ecosystem == Tool::Yarn) checkYarnClassic(job, source, package);
  std::vector<std::string> start = startWords(job, package);
  std::string program = startProgram(start);
  if (isDevDependency(package, program)) {
    notSplit(job.offset(job.runner()),
             fmt::format("the app starts with {}, a devDependency that the production install leaves out",
                         program));
  }
  bool builds = !commandsOf(job, job.ecosystem, Role::Build).empty();
  std::vector<std::string> dropped = baseImageLeftOut(job);
  if (package.contains("devDependencies") && !package["devDependencies"].empty())
    dropped.push_back("the devDependencies");
  if (dropped.empty()) {
    notSplit(job.offset(job.stage.from),
             fmt::format("nothing to gain: package.json has no devDependencies and {} is "
                         "already lean",
                         job.runtime));
  }

  engine::Ecosystem ecosystem = engineEcosystem(job.ecosystem);
  std::vector<std::string> manifests;
  bool locked = false;
  for (const std::string& path : engine::existingManifests(job.context, source.source, ecosystem)) {
    if (job.context.dockerignore().excludes(path)) continue;
    manifests.push_back(path);
    locked = locked || baseName(path) == engine::lockFileOf(ecosystem);
  }
  std::string flags = source.flags.empty() ? "" : source.flags + " ";
  Plan plan;
  if (job.ecosystem == Tool::Pnpm) plan.productionSteps += pnpmSetup(job);
  plan.productionSteps +=
      job.productionLine("COPY", fmt::format("{}{} ./", flags, fmt::join(manifests, " ")));
  plan.productionSteps += job.productionLine("RUN", productionInstall(job, locked));
  plan.productionSteps += job.productionLine("COPY", fmt::format("{}{} .", flags, source.written));
  if (builds) {
    std::string output = buildOutput(job, source, package, start);
    const model::Flag* chown = job.instruction(source.index).flag("chown");
    std::string owner = chown ? fmt::format("--chown={} ", chown->value) : "";
    plan.productionSteps += job.productionLine(
        "COPY",
        fmt::format("--from={} {}{} ./{}", job.buildStage, owner, model::resolvePath(app, output), output));
  }
  plan.summary = fmt::format("{} gets the production dependencies{}, without {}", job.runtime,
                             builds ? " and the build output" : "", fmt::join(dropped, " and "));
  return plan;
}

}  // namespace dfopt::transforms::multi_stage
