#include "analysis/effects.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "analysis/run_effects.h"
#include "context/build_context.h"
#include "model/queries.h"
#include "model/variables.h"
#include "util/text.h"

namespace dfopt::analysis {
namespace {

using model::Instruction;

bool pathsOverlap(std::string_view a, std::string_view b) {
  return text::isUnder(a, b) || text::isUnder(b, a);
}

// Does a path read, minus its exceptions, overlap a write?
bool readMeetsWrite(const Access& read, const Access& write) {
  if (!pathsOverlap(read.resource.name, write.resource.name)) return false;
  for (const std::string& left : read.except) {
    if (text::isUnder(write.resource.name, left)) return false;
  }
  return true;
}

bool sameState(const Resource& a, const Resource& b) {
  using Kind = Resource::Kind;
  if (a.kind == Kind::AllVariables || b.kind == Kind::AllVariables) {
    return (a.kind == Kind::Variable || a.kind == Kind::AllVariables) &&
           (b.kind == Kind::Variable || b.kind == Kind::AllVariables);
  }
  return a.kind == b.kind && a.name == b.name;
}

using model::kPathMax;

// A RUN --mount flag's value: the stage or image it takes from (empty for
// the context), its source, and whether it binds.
struct Mount {
  std::string from;
  std::string source = ".";
  bool bind = false;
};

Mount parseMount(std::string_view value) {
  Mount mount;
  mount.bind =
      value.find("type=bind") != std::string_view::npos || value.find("type=") == std::string_view::npos;
  for (size_t at = 0; at <= value.size();) {
    size_t comma = std::min(value.find(',', at), value.size());
    std::string_view field = value.substr(at, comma - at);
    if (field.starts_with("from=")) mount.from = std::string(field.substr(5));
    if (field.starts_with("source=") || field.starts_with("src="))
      mount.source = std::string(field.substr(field.find('=') + 1));
    at = comma + 1;
  }
  return mount;
}

void addStageReference(const model::Dockerfile& file, std::string_view reference, StageUses& uses) {
  if (auto stage = stageNamed(file, reference)) {
    uses.used.push_back(*stage);
    return;
  }
  bool imageLike = reference.find_first_of("/:@.$") != std::string_view::npos;
  if (!imageLike) uses.unknown.emplace_back(reference);
}

class Walk {
 public:
  explicit Walk(const model::Dockerfile& file) : file_(file), effects_(file.instructions.size()) {}

  std::vector<Effects> run() {
    for (size_t i = 0; i < file_.instructions.size(); ++i) visit(i);
    return std::move(effects_);
  }

 private:
  void visit(size_t index);
  void from(const Instruction& instruction, Effects& effects);
  void copy(const Instruction& instruction, Effects& effects);
  void run(const Instruction& instruction, Effects& effects);
  void declare(const Instruction& instruction, Effects& effects);
  void useStages(size_t index, Effects& effects) {
    StageUses uses = stageUsesOf(file_, *stage_, index);
    effects.stagesUsed = std::move(uses.used);
    effects.unknownStages = std::move(uses.unknown);
  }

  std::optional<std::string> expand(std::string_view word) const {
    if (!model::hasVariable(word)) return model::unquoteValue(word);
    auto expanded = model::expandVariables(word, variables_);
    if (!expanded) return std::nullopt;
    return model::unquoteValue(*expanded);
  }
  std::string home() const {
    if (user_.empty() || user_ == "root" || user_ == "0" || user_.starts_with("0:") ||
        user_.starts_with("root:")) {
      return "/root";
    }
    return "/home/" + user_.substr(0, user_.find(':'));
  }
  static void access(Effects& effects, Resource resource, bool write, Reason why) {
    effects.accesses.push_back({std::move(resource), write, {}, std::move(why)});
  }
  void readsVariablesOf(const Instruction& instruction, Effects& effects) {
    for (const model::Word& word : instruction.arguments) {
      for (std::string& name : model::variableNames(word.text)) {
        access(effects, Resource::variable(name), false, fmt::format("uses ${}", name));
      }
    }
  }

  const model::Dockerfile& file_;
  std::vector<Effects> effects_;
  model::Variables globals_;
  model::Variables variables_;
  std::optional<std::string> workdir_ = std::string("/");
  std::string user_;
  std::vector<std::optional<std::string>> stageWorkdirs_;  // at the end of each stage
  std::vector<std::string> stageUsers_;
  std::optional<size_t> stage_;
};

void Walk::visit(size_t index) {
  const Instruction& instruction = file_.instructions[index];
  Effects& effects = effects_[index];
  effects.index = index;
  if (instruction.is("from")) {
    if (!stage_) globals_ = variables_;  // the ARGs before the first FROM
    if (stage_) {
      stageWorkdirs_.push_back(workdir_);
      stageUsers_.push_back(user_);
    }
    stage_ = stage_ ? *stage_ + 1 : 0;
    effects.stage = stage_;
    from(instruction, effects);
    return;
  }
  effects.stage = stage_;
  effects.step = stage_.has_value();
  effects.workdir = workdir_;
  effects.home = home();
  if (!stage_) {  // ARGs before the first FROM
    declare(instruction, effects);
    return;
  }
  const std::string& command = instruction.command;
  if (command == "copy" || command == "add") {
    copy(instruction, effects);
  } else if (command == "run") {
    run(instruction, effects);
  } else if (command == "workdir") {
    readsVariablesOf(instruction, effects);
    access(effects, Resource::state(Resource::Kind::Workdir), false,
           "WORKDIR is relative to the previous one");
    access(effects, Resource::state(Resource::Kind::Workdir), true, "WORKDIR sets the working directory");
    if (workdir_ && !instruction.arguments.empty()) {
      auto target = expand(instruction.arguments[0].text);
      workdir_ = target ? std::optional(model::resolvePath(*workdir_, *target)) : std::nullopt;
      // Linux refuses a path over PATH_MAX, so the build fails there; unknown
      // rather than kept, a chain of relative WORKDIRs costs linear memory.
      if (workdir_ && workdir_->size() > kPathMax) workdir_ = std::nullopt;
    }
    effects.workdir = workdir_;
  } else if (command == "user") {
    readsVariablesOf(instruction, effects);
    access(effects, Resource::state(Resource::Kind::User), true, "USER sets the user");
    if (!instruction.arguments.empty()) user_ = expand(instruction.arguments[0].text).value_or("unknown");
  } else if (command == "shell") {
    access(effects, Resource::state(Resource::Kind::Shell), true, "SHELL sets the shell");
  } else if (command == "env" || command == "arg") {
    declare(instruction, effects);
  } else {  // EXPOSE, LABEL, CMD, ENTRYPOINT, VOLUME, HEALTHCHECK, STOPSIGNAL, ONBUILD...
    readsVariablesOf(instruction, effects);
  }
}

void Walk::from(const Instruction& instruction, Effects& effects) {
  variables_ = {};
  user_.clear();
  workdir_ = std::string("/");
  if (instruction.arguments.empty()) return;
  const std::string& base = instruction.arguments[0].text;
  for (std::string& name : model::variableNames(base)) {
    access(effects, Resource::variable(name), false, fmt::format("the base image uses ${}", name));
  }
  useStages(effects.index, effects);
  if (!effects.stagesUsed.empty()) {
    workdir_ = stageWorkdirs_[effects.stagesUsed[0]];
    user_ = stageUsers_[effects.stagesUsed[0]];
  }
  effects.workdir = workdir_;
}

void Walk::copy(const Instruction& instruction, Effects& effects) {
  effects.layer = true;
  readsVariablesOf(instruction, effects);
  const model::Flag* from = instruction.flag("from");
  useStages(effects.index, effects);
  std::vector<std::string> words;
  for (const model::Word& word : instruction.arguments) words.push_back(word.text);
  if (words.empty()) return;
  if (!model::unquoteValue(words.back()).starts_with('/')) {
    access(effects, Resource::state(Resource::Kind::Workdir), false,
           "its destination is relative to the WORKDIR");
  }
  auto destination = expand(words.back());
  std::string target =
      destination && workdir_ ? model::resolvePath(*workdir_, *destination) : std::string("/");
  access(effects, Resource::path(target), true,
         fmt::format("{} writes {}", text::lower(instruction.keyword) == "add" ? "ADD" : "COPY", target));
  if (destination && workdir_) effects.destination = target;
  effects.intoDirectory = words.size() > 2 || (destination && destination->ends_with('/'));
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (from && !effects.stagesUsed.empty()) {
      auto source = expand(words[i]);
      effects.stageSources.push_back(source ? model::resolvePath("/", *source) : std::string("/"));
    }
    if (from || words[i].starts_with("<<")) continue;  // a stage, an image or a heredoc: not the context
    auto source = expand(words[i]);
    if (!source) {
      effects.contextSources.push_back(".");  // unknown: anything
    } else if (!model::isRemoteSource(*source)) {
      effects.contextSources.push_back(context::cleanPath(*source));
    }
  }
}

void Walk::run(const Instruction& instruction, Effects& effects) {
  effects.layer = true;
  useStages(effects.index, effects);
  for (const model::Flag& flag : instruction.flags) {
    if (flag.name != "mount") continue;
    Mount mount = parseMount(flag.value);
    if (mount.from.empty() && mount.bind) effects.contextSources.push_back(context::cleanPath(mount.source));
  }
  effects.accesses.addRunStateReads();
  std::string cwd = workdir_.value_or("/");
  std::shared_ptr<const RunEffects> run;
  if (instruction.jsonForm) {
    std::vector<std::string> words;
    for (const auto& node : instruction.buildkit.next) words.push_back(node.value);
    run = execEffects(words, cwd, home(), variables_);
  } else if (!instruction.heredocs.empty()) {
    std::string script;
    for (const model::Heredoc& heredoc : instruction.heredocs) script += heredoc.content;
    run = runEffects(script, cwd, home(), variables_);
  } else {
    run = runEffects(instruction.argumentsText(), cwd, home(), variables_);
  }
  effects.unknownCommand = run->unknownCommand;
  effects.installsDependencies = run->installsDependencies;
  effects.accesses.addShared(std::shared_ptr<const std::vector<Access>>(run, &run->accesses));
  if (!workdir_) {  // the working directory is unknown: it may be anywhere
    effects.accesses.push_back({Resource::path("/"), true, {}, "the WORKDIR is not known"});
  }
}

void Walk::declare(const Instruction& instruction, Effects& effects) {
  const auto& parts = instruction.buildkit.next;
  if (instruction.is("arg")) {
    for (const auto& arg : parts) {
      std::string name = arg.value.substr(0, arg.value.find('='));
      size_t equals = arg.value.find('=');
      // Before the first FROM, the ARGs declared so far are the globals.
      const model::Variables& globals = stage_ ? globals_ : variables_;
      auto global = globals.find(name);
      if (equals != std::string::npos) {
        variables_[name] = model::unquoteValue(arg.value.substr(equals + 1));
      } else if (global != globals.end()) {
        variables_[name] = global->second;
      } else {
        variables_[name] = std::nullopt;
      }
      access(effects, Resource::variable(name), true, fmt::format("ARG {}", name));
    }
    return;
  }
  readsVariablesOf(instruction, effects);
  for (size_t i = 0; i + 1 < parts.size(); i += 3) {
    variables_[parts[i].value] = model::unquoteValue(parts[i + 1].value);
    access(effects, Resource::variable(parts[i].value), true, fmt::format("ENV {}", parts[i].value));
  }
}

}  // namespace

const Access& AccessList::operator[](size_t i) const {
  static const std::array<Access, kRunStateReads> runStateReads = {
      Access(Resource::state(Resource::Kind::Workdir), false, {}, "RUN runs in the WORKDIR"),
      Access(Resource::state(Resource::Kind::User), false, {}, "RUN runs as the USER"),
      Access(Resource::state(Resource::Kind::Shell), false, {}, "RUN runs in the SHELL"),
      Access(Resource::state(Resource::Kind::AllVariables), false, {}, "RUN sees every variable")};
  size_t own = i;  // where in own_, if i is one of its accesses
  if (runStateAt_ && i >= *runStateAt_) {
    if (i < *runStateAt_ + kRunStateReads) return runStateReads[i - *runStateAt_];
    own -= kRunStateReads;
  }
  if (shared_ && own >= sharedAt_) {
    if (own < sharedAt_ + shared_->size()) return (*shared_)[own - sharedAt_];
    own -= shared_->size();
  }
  return own_[own];
}

bool conflicts(const Access& a, const Access& b) {
  if (!a.write && !b.write) return false;
  if (a.cache || b.cache) return false;
  if ((a.toolPaths && b.virtualenvWrite) || (b.toolPaths && a.virtualenvWrite)) return false;
  if (a.resource.kind != Resource::Kind::Path || b.resource.kind != Resource::Kind::Path) {
    return sameState(a.resource, b.resource);
  }
  if (a.write && b.write) return pathsOverlap(a.resource.name, b.resource.name);
  return a.write ? readMeetsWrite(b, a) : readMeetsWrite(a, b);
}

std::optional<size_t> stageNamed(const model::Dockerfile& file, std::string_view reference) {
  const model::Stage* stage = model::findStage(file, reference);
  if (!stage) return std::nullopt;
  return stage->index;
}

const std::vector<Effects>& analyzeEffects(const model::Dockerfile& file) {
  return file.effects.get<std::vector<Effects>>([&] { return Walk(file).run(); });
}

std::string describe(const model::Instruction& instruction, size_t maxLength) {
  std::string out = text::lower(instruction.keyword);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string& line = instruction.line.text;
  size_t keywordAt = std::min(line.size(), line.find_first_not_of(" \t"));
  std::string rest = line.substr(std::min(line.size(), keywordAt + instruction.keyword.size()));
  bool blank = false;
  for (char c : rest) {
    bool isBlank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (isBlank && blank) continue;
    out += isBlank ? ' ' : c;
    blank = isBlank;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > maxLength && maxLength > 3) out = out.substr(0, maxLength - 3) + "...";
  return out;
}

StageUses stageUsesOf(const model::Dockerfile& file, size_t stage, size_t index) {
  const Instruction& instruction = file.instructions[index];
  StageUses uses;
  if (instruction.is("from")) {
    if (instruction.arguments.empty()) return uses;
    const std::string& base = instruction.arguments[0].text;
    auto parent = stageNamed(file, base);
    if (parent && *parent < stage) {
      uses.used.push_back(*parent);
    } else if (parent) {
      uses.unknown.push_back(base);  // a stage of this file that is not built yet
    }
  } else if (instruction.is("copy") || instruction.is("add")) {
    if (const model::Flag* from = instruction.flag("from")) addStageReference(file, from->value, uses);
  } else if (instruction.is("run")) {
    for (const model::Flag& flag : instruction.flags) {
      if (flag.name != "mount") continue;
      Mount mount = parseMount(flag.value);
      if (!mount.from.empty()) addStageReference(file, mount.from, uses);
    }
  }
  return uses;
}

}  // namespace dfopt::analysis
