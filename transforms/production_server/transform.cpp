// production-server: a Python development server started by the final
// stage (Flask's app.run or flask run, Django's runserver, a server with
// --reload, fastapi dev) becomes the production server bound to the same
// host and port, when the project already depends on it; otherwise an info
// that says what to add. Every fix is unsafe: the server changes (workers,
// no reloader, no debugger). A development target stays as it is.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/development.h"
#include "model/queries.h"
#include "model/variables.h"
#include "transforms/production_server/server.h"
#include "transforms/transforms.h"
#include "util/text.h"

namespace dfopt::transforms {
namespace {

using engine::Finding;
using production_server::Job;
using production_server::Plan;
using production_server::Refusal;

constexpr std::string_view kName = "production-server";

// The CMD or ENTRYPOINT a message about the start is about.
size_t startInstruction(const model::Dockerfile& file, const model::Stage& stage) {
  size_t found = stage.from;
  for (size_t i = stage.from + 1; i < stage.end; ++i) {
    if (file.instructions[i].is("cmd") || (file.instructions[i].is("entrypoint") && found == stage.from))
      found = i;
  }
  return found;
}

std::string jsonArray(const std::vector<std::string>& words) {
  std::string out = "[";
  for (const std::string& word : words) out += (out.size() > 1 ? ", " : "") + nlohmann::json(word).dump();
  return out + "]";
}

Finding finding(const model::Dockerfile& file, size_t index, engine::Severity severity, std::string message) {
  Finding out;
  out.transform = std::string(kName);
  out.offset = file.instructions[index].keywordRange.begin;
  out.severity = severity;
  out.message = std::move(message);
  return out;
}

// Why the final stage is a development target by its name or the file's, or "".
std::string developmentTarget(const model::Stage& stage, const engine::Options& options) {
  if (engine::isDevelopmentStageName(stage.name)) return fmt::format("the stage is named {}", stage.name);
  if (engine::isDevelopmentFileName(options.fileName)) {
    return fmt::format("{} is a development Dockerfile", text::baseName(options.fileName));
  }
  return "";
}

// A comment above the start command that says the development server is
// meant: "hot-reloading", "for development".
std::string commentedDevelopment(const model::Instruction& instruction) {
  for (const model::Comment& comment : instruction.comments) {
    std::string lowered = text::lower(comment.text);
    if (text::contains(lowered, "reload") || text::contains(lowered, "development")) {
      return fmt::format("the comment above it asks for it (\"{}\")",
                         production_server::shortened(comment.text));
    }
  }
  return "";
}

constexpr std::string_view kKept = "a development target keeps its development server";

std::optional<Plan> planFor(const Job& job) {
  for (auto make : {production_server::djangoPlan, production_server::flaskRunPlan,
                    production_server::reloaderPlan, production_server::flaskScriptPlan}) {
    if (std::optional<Plan> plan = make(job)) return plan;
  }
  return std::nullopt;
}

std::string notes(const std::vector<std::string>& list) {
  std::string out;
  for (const std::string& note : list) out += "; " + note;
  return out;
}

Finding report(const Job& job, const Plan& plan) {
  const model::Instruction& instruction = job.file.instructions[job.start.index];
  std::string keyword = text::upper(instruction.command);
  std::vector<std::string> words = job.start.launcher;
  words.insert(words.end(), plan.words.begin(), plan.words.end());
  std::string command = jsonArray(words);
  std::string was = fmt::format("the {} runs {}", keyword, plan.was);
  std::string reason = developmentTarget(job.stage, job.options);
  if (reason.empty()) reason = plan.developmentReason;
  if (reason.empty()) reason = commentedDevelopment(instruction);
  if (!reason.empty()) {
    return finding(job.file, job.start.index, engine::Severity::Info,
                   fmt::format("{}, kept: {}, {}", was, reason, kKept));
  }
  std::string source;
  if (!plan.server.empty()) {
    std::optional<std::string> declared =
        production_server::dependencySource(job.file, job.stage, job.context, plan.project, plan.server);
    if (!declared) {
      return finding(
          job.file, job.start.index, engine::Severity::Info,
          fmt::format("{}, which is not for production: {}, then use {} {}", was,
                      production_server::howToAdd(job.file, job.context, plan.project, plan.server), keyword,
                      command));
    }
    source = fmt::format(" ({} is a dependency in {})", plan.server, *declared);
  }
  std::vector<std::string> extra = plan.notes;
  production_server::PythonCommand python = production_server::pythonCommand(job.start.words);
  bool unbuffered = !python.interpreter.empty() && text::isOneOf(std::string_view("-u"), job.start.words);
  if (unbuffered && !job.variables.contains("PYTHONUNBUFFERED")) {
    extra.push_back("without python -u the output is buffered unless ENV PYTHONUNBUFFERED=1 is set");
  }
  if (plan.server == "gunicorn")
    extra.push_back("gunicorn runs one synchronous worker by default (--workers sets more)");
  Finding out = finding(job.file, job.start.index, engine::Severity::Warning,
                        fmt::format("{}, which is not for production: {} {} instead{}{}", was, keyword,
                                    command, source, notes(extra)));
  out.safety = engine::Safety::Unsafe;
  out.edits.push_back({instruction.argumentsRange, command});
  return out;
}

class ProductionServer final : public engine::Transform {
 public:
  std::string_view name() const override { return kName; }

  engine::Result run(const model::Dockerfile& file, const context::BuildContext& context,
                     const engine::Options& options) const override {
    engine::Result result;
    const model::Stage* stage = model::finalStage(file);
    if (!stage) return result;
    try {
      std::optional<production_server::StartCommand> start = production_server::startCommand(file, *stage);
      if (!start) return result;
      Job job{file,
              context,
              options,
              *stage,
              *start,
              model::workdirBefore(file, start->index),
              model::variablesBefore(file, start->index)};
      if (std::optional<Plan> plan = planFor(job)) result.findings.push_back(report(job, *plan));
    } catch (const Refusal& refusal) {
      std::string reason = developmentTarget(*stage, options);
      std::string message = reason.empty() ? "development server kept: " + refusal.message
                                           : fmt::format("development server kept: {}, {}", reason, kKept);
      result.findings.push_back(
          finding(file, startInstruction(file, *stage), engine::Severity::Info, message));
    }
    return result;
  }
};

}  // namespace

namespace production_server {

std::optional<std::string> Job::variable(std::string_view name) const {
  auto found = variables.find(name);
  if (found == variables.end()) return std::nullopt;
  std::optional<std::string> value =
      found->second ? model::expandVariables(*found->second, variables) : std::nullopt;
  if (!value) throw Refusal{fmt::format("{} has no value dfopt can know (an ARG without a default)", name)};
  return value;
}

std::optional<std::string> Job::contextFile(std::string_view path) const {
  if (!path.starts_with("/") && !workdir) return std::nullopt;
  return contextFileAt(file, context, stage, model::resolvePath(workdir.value_or("/"), path));
}

std::string scriptBeside(std::string_view interpreter, std::string_view program) {
  if (interpreter.find('/') == std::string_view::npos) return std::string(program);
  return text::dirName(interpreter) + "/" + std::string(program);
}

std::string bindAddress(std::string_view host, std::string_view port) {
  bool ipv6 = host.find(':') != std::string_view::npos && !host.starts_with("[");
  return ipv6 ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

}  // namespace production_server

std::unique_ptr<engine::Transform> makeProductionServer() { return std::make_unique<ProductionServer>(); }

}  // namespace dfopt::transforms
