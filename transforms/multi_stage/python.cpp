// The pip recipe: the build stage installs into a virtualenv, which the
// production stage gets with the app; and what the Python recipes share.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "engine/ecosystem.h"
#include "engine/instruction_edits.h"
#include "engine/package_commands.h"
#include "model/queries.h"
#include "transforms/multi_stage/manifests.h"
#include "transforms/multi_stage/python.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::baseName;
using text::isOneOf;
using text::isUnder;
using text::lower;

// Packages that compile against system libraries the full image has and the slim one lacks.
constexpr std::string_view kNativePythonPackages[] = {"psycopg2",   "mysqlclient", "pyodbc", "python-ldap",
                                                      "pycurl",     "gdal",        "uwsgi",  "mod-wsgi",
                                                      "pygraphviz", "pyaudio"};

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// Can `c` go on with a package name (as "-" does in "psycopg2-binary")?
bool continuesName(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

// Does a requirements file name `package` (lower case), whatever the case:
// at the start, after a blank or a quote, with no more of a name after it
// ("psycopg2==2.9" and "psycopg2[binary]" do, "psycopg2-binary" does not)?
bool mentionsPackage(std::string_view text, std::string_view package) {
  std::string lowered = lower(text);
  for (size_t at = lowered.find(package); at != std::string::npos; at = lowered.find(package, at + 1)) {
    size_t end = at + package.size();
    bool starts = at == 0 || isBlank(lowered[at - 1]) || lowered[at - 1] == '"' || lowered[at - 1] == '\'';
    if (starts && (end == lowered.size() || !continuesName(lowered[end]))) return true;
  }
  return false;
}

// Adds the keys of a table ([tool.poetry.dependencies], [project.scripts]), lower case.
void addKeys(std::vector<std::string>& names, const toml::node* table) {
  if (!table || !table->is_table()) return;
  for (const auto& [key, value] : *table->as_table()) names.push_back(lower(key.str()));
}

// Adds the packages of a list of requirements ("flask>=3.0"), lower case.
void addRequirements(std::vector<std::string>& names, const toml::node* list) {
  if (!list || !list->is_array()) return;
  for (const toml::node& requirement : *list->as_array()) {
    std::string spec = requirement.value_or(std::string());
    spec.erase(0, spec.find_first_not_of(" \t"));
    if (!spec.empty()) names.push_back(requirementName(spec));
  }
}

// Adds the lists of requirements of each key ([project.optional-dependencies]).
void addRequirementLists(std::vector<std::string>& names, const toml::node* table) {
  if (!table || !table->is_table()) return;
  for (const auto& [key, list] : *table->as_table()) addRequirements(names, &list);
}

// Every package pyproject.toml depends on, lower case: PEP 621
// dependencies and extras, PEP 735 dependency groups, Poetry's
// dependencies and groups.
std::vector<std::string> pyprojectDependencies(const toml::table& pyproject) {
  std::vector<std::string> names;
  addRequirements(names, pyproject.at_path("project.dependencies").node());
  addRequirementLists(names, pyproject.at_path("project.optional-dependencies").node());
  addRequirementLists(names, pyproject.at_path("dependency-groups").node());
  addKeys(names, pyproject.at_path("tool.poetry.dependencies").node());
  addKeys(names, pyproject.at_path("tool.poetry.dev-dependencies").node());
  if (const toml::table* groups = pyproject.at_path("tool.poetry.group").as_table()) {
    for (const auto& [name, group] : *groups) addKeys(names, group.at_path("dependencies").node());
  }
  return names;
}

// The packages a pyproject.toml depends on or a poetry.lock holds, lower case.
std::vector<std::string> packagesOf(std::string_view manifest, const toml::table& document) {
  if (manifest == "pyproject.toml") return pyprojectDependencies(document);
  std::vector<std::string> names;
  for (const std::string& name : lockedPackages(document)) names.push_back(lower(name));
  return names;
}

}  // namespace

// Requirements files are read as words; pyproject.toml and poetry.lock as documents.
void checkNativeLibraries(const Job& job) {
  if (job.runtimeChosen) return;
  for (const std::string& path : job.context.files()) {
    std::string name(baseName(path));
    bool requirements = engine::isRequirementsFile(name);
    bool toml = name == "pyproject.toml" || name == "poetry.lock";
    if ((!requirements && !toml) || job.context.dockerignore().excludes(path)) continue;
    std::string text = job.context.read(path).value_or("");
    std::vector<std::string> packages;
    if (toml) packages = packagesOf(name, parseTomlFile(text, path, job.offset(job.stage.from)));
    for (std::string_view package : kNativePythonPackages) {
      if (requirements ? mentionsPackage(text, package) : isOneOf(package, packages)) {
        notSplit(job.offset(job.stage.from),
                 fmt::format("{} needs {}, which builds against system libraries that {} lacks", path,
                             package, job.runtime));
      }
    }
  }
}

bool declaresProgram(const toml::table& pyproject, std::string_view program) {
  std::vector<std::string> declared;
  addKeys(declared, pyproject.at_path("tool.poetry.dependencies").node());
  addKeys(declared, pyproject.at_path("tool.poetry.scripts").node());
  addKeys(declared, pyproject.at_path("project.scripts").node());
  addRequirements(declared, pyproject.at_path("project.dependencies").node());
  return isOneOf(lower(program), declared);
}

std::string virtualenvPip(const Job& job, std::string_view venv) {
  if (job.base.official) return "pip";
  return fmt::format("{}/bin/python -m pip", venv);
}

namespace {

// A blank line after lines inserted above an instruction that starts a paragraph.
std::string paragraphEnd(const Job& job, size_t index) {
  return engine::followsBlankLine(job.file, job.instruction(index)) ? job.style.newline() : "";
}

bool isContextCopy(const Instruction& instruction) {
  return (instruction.is("copy") || instruction.is("add")) && !instruction.flag("from");
}

void checkPipInstallsIntoVirtualenv(const Job& job) {
  for (const StageCommand* pip : commandsOf(job, Tool::Pip, Role::Install)) {
    if (hasOption(pip->command, {"--user", "-t", "--target", "--prefix", "--root"})) {
      notSplit(job.offset(pip->index),
               fmt::format("`{}` installs outside a virtualenv", shortened(pip->command.text)));
    }
  }
}

// What the production stage leaves behind in the build stage (nothing: no reason to split).
std::vector<std::string> pipLeavesOut(const Job& job) {
  std::vector<std::string> dropped = baseImageLeftOut(job);
  bool tools = std::any_of(job.facts.commands.begin(), job.facts.commands.end(), [](const StageCommand& c) {
    return c.kind.role == Role::Setup && c.kind.detail.empty();
  });
  if (tools) dropped.push_back("the build-only tools");
  bool cached = !envValue(job, "PIP_NO_CACHE_DIR") &&
                std::any_of(job.facts.commands.begin(), job.facts.commands.end(), [](const StageCommand& c) {
                  bool pipInstall =
                      c.kind.role == Role::Install || (c.kind.role == Role::Setup && c.kind.detail.empty());
                  return c.kind.tool == Tool::Pip && pipInstall && !hasOption(c.command, {"--no-cache-dir"});
                });
  if (cached) dropped.push_back("pip's download cache");
  return dropped;
}

}  // namespace

Plan pipPlan(const Job& job) {
  if (pipLeavesOut(job).empty()) {
    notSplit(job.offset(job.stage.from),
             fmt::format("nothing to gain: {} is already lean, and the build only installs "
                         "dependencies, without a download cache",
                         job.runtime));
  }
  checkAppDirectory(job);
  checkPipInstallsIntoVirtualenv(job);
  checkNativeLibraries(job);
  const std::string& app = job.facts.workdir;
  Plan plan;
  std::string venv(kVirtualenv);
  bool created = false;
  auto firstInstall = std::find_if(
      job.facts.commands.begin(), job.facts.commands.end(),
      [](const StageCommand& c) { return c.kind.tool == Tool::Pip && c.kind.role == Role::Install; });
  auto existing =
      std::find_if(job.facts.commands.begin(), job.facts.commands.end(), [](const StageCommand& c) {
        return c.kind.tool == Tool::Pip && c.kind.role == Role::Setup && !c.kind.detail.empty();
      });
  if (existing != job.facts.commands.end()) {
    if (firstInstall < existing) {
      notSplit(job.offset(firstInstall->index), "pip installs packages before the virtualenv exists");
    }
    venv = model::resolvePath(existing->workdir, existing->kind.detail);
  } else {
    // above the COPYs right before the install: the virtualenv does not depend on them
    size_t at = firstInstall->index;
    while (at - 1 > job.stage.from && isContextCopy(job.instruction(at - 1))) --at;
    std::string lines = job.line(at, "RUN", fmt::format("python -m venv {}", venv)) +
                        job.line(at, "ENV", fmt::format("PATH=\"{}/bin:$PATH\"", venv));
    plan.buildEdits.push_back(
        engine::insertBefore(job.file, job.instruction(at), lines + paragraphEnd(job, at)));
    created = true;
  }
  if (!isUnder(venv, app))
    plan.productionSteps +=
        job.productionLine("COPY", fmt::format("--from={} {} {}", job.buildStage, venv, venv));
  if (created) plan.productionSteps += job.productionLine("ENV", fmt::format("PATH=\"{}/bin:$PATH\"", venv));
  // fails the build when the virtualenv cannot start here
  std::string check = virtualenvPip(job, venv) == "pip"
                          ? ""
                          : job.productionLine("RUN", virtualenvPip(job, venv) + " --version");
  if (!isUnder(venv, app)) plan.productionSteps += check;
  plan.productionSteps +=
      job.productionLine("COPY", fmt::format("--from={} {} {}", job.buildStage, app, app));
  if (isUnder(venv, app)) plan.productionSteps += check;
  plan.summary = fmt::format("{} gets the virtualenv and the app, without {}", job.runtime,
                             fmt::join(pipLeavesOut(job), " and "));
  return plan;
}

}  // namespace dfopt::transforms::multi_stage
