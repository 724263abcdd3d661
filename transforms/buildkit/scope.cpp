#include "transforms/buildkit/scope.h"

#include <algorithm>
#include <unordered_set>

#include "model/queries.h"
#include "transforms/buildkit/platform.h"
#include "util/text.h"

namespace dfopt::transforms::buildkit {
namespace {

// Variables BuildKit never puts in the environment (nonEnvArgs).
bool isNonEnvArg(std::string_view name) {
  return name == "BUILDKIT_SBOM_SCAN_CONTEXT" || name == "BUILDKIT_SBOM_SCAN_STAGE";
}

// An ARG word: its name, and its default as written when it has one.
std::pair<std::string, std::optional<std::string>> splitArg(const std::string& word) {
  size_t equals = word.find('=');
  if (equals == std::string::npos) return {word, std::nullopt};
  return {word.substr(0, equals), word.substr(equals + 1)};
}

void set(StageScope& scope, const std::string& name, std::optional<std::string> value) {
  if (!scope.env.contains(name)) scope.order.push_back(name);
  scope.env[name] = std::move(value);
}

// dispatchEnv and dispatchArg: what an ENV or ARG leaves in the scope.
void apply(const model::Dockerfile& file, const model::Instruction& instruction, const GlobalScope& global,
           StageScope& scope) {
  if (instruction.is("env")) {
    std::vector<std::pair<std::string, std::optional<std::string>>> pairs;
    const auto& parts = instruction.buildkit.next;
    for (size_t i = 0; i + 1 < parts.size(); i += 3) {
      auto key = model::expandWord(parts[i].value, scope.env, file.escape).result;
      auto value = model::expandWord(parts[i + 1].value, scope.env, file.escape).result;
      if (!key) {
        scope.complete = false;  // a name dfopt cannot tell
        continue;
      }
      pairs.emplace_back(*key, value);
    }
    for (auto& [key, value] : pairs) set(scope, key, value);
  } else if (instruction.is("arg")) {
    for (const auto& word : instruction.buildkit.next) {
      auto [name, fallback] = splitArg(word.value);
      std::optional<std::optional<std::string>> value;
      if (fallback) {
        value.emplace(model::expandWord(*fallback, scope.env, file.escape).result);
      } else if (auto found = global.args.find(name); found != global.args.end()) {
        value.emplace(found->second);
      }
      if (value && !isNonEnvArg(name)) set(scope, name, *value);
      scope.buildArgs.insert(name);
    }
  }
}

bool hasOnbuild(const model::Dockerfile& file, const model::Stage& stage) {
  for (size_t i = stage.from; i < stage.end; ++i) {
    if (file.instructions[i].is("onbuild")) return true;
  }
  return false;
}

}  // namespace

GlobalScope globalScope(const model::Dockerfile& file) {
  GlobalScope global;
  std::string target = file.stages.empty() ? "" : text::lower(file.stages.back().name);
  const std::pair<const char*, std::string> defaults[] = {
      {"BUILDPLATFORM", "linux/amd64"},
      {"BUILDOS", "linux"},
      {"BUILDOSVERSION", ""},
      {"BUILDARCH", "amd64"},
      {"BUILDVARIANT", ""},
      {"TARGETPLATFORM", "linux/amd64"},
      {"TARGETOS", "linux"},
      {"TARGETOSVERSION", ""},
      {"TARGETARCH", "amd64"},
      {"TARGETVARIANT", ""},
      {"TARGETSTAGE", target.empty() ? "default" : target},
  };
  for (const auto& [name, value] : defaults) global.args[name] = value;
  std::unordered_set<std::string> declared;
  for (const model::Instruction& instruction : file.instructions) {
    if (instruction.is("from")) break;
    if (!instruction.is("arg")) continue;
    for (const auto& word : instruction.buildkit.next) {
      auto [name, fallback] = splitArg(word.value);
      if (declared.insert(name).second) global.declared.push_back(name);
      if (!fallback) continue;
      model::WordExpansion expansion = model::expandWord(*fallback, global.args, file.escape);
      if (expansion.error) global.failed = true;
      global.args[name] = expansion.result;
    }
  }
  return global;
}

const model::Stage* baseStage(const model::Dockerfile& file, const model::Stage& stage,
                              const GlobalScope& global) {
  auto name = model::expandWord(stage.baseImage, global.args, file.escape).result;
  if (!name) return nullptr;
  const model::Stage* named = model::findStageByName(file, *name);
  return named && named->index < stage.index ? named : nullptr;
}

void forEachScope(const model::Dockerfile& file, const GlobalScope& global,
                  const std::function<void(size_t, const StageScope&)>& visit, size_t through) {
  std::vector<StageScope> ends;
  for (const model::Stage& stage : file.stages) {
    if (stage.from >= through) return;
    StageScope scope;
    const model::Stage* parent = baseStage(file, stage, global);
    if (parent) {
      scope = ends[parent->index];
      if (hasOnbuild(file, *parent)) scope.complete = false;
    } else {
      scope.root = &stage;
      // BuildKit sets PATH when the image has none; scratch has none.
      bool scratch = model::expandWord(stage.baseImage, global.args, file.escape).result == "scratch";
      set(scope, "PATH",
          scratch ? std::optional<std::string>("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                  : std::nullopt);
      scope.complete = scratch;
    }
    for (size_t i = stage.from + 1; i < stage.end; ++i) {
      visit(i, scope);
      if (i == through) return;
      apply(file, file.instructions[i], global, scope);
    }
    ends.push_back(std::move(scope));
  }
}

std::vector<FromExpansion> fromExpansions(const model::Dockerfile& file, const GlobalScope& global) {
  std::vector<FromExpansion> froms;
  if (global.failed) return froms;  // buildMetaArgs failed: no FROM is looked at
  for (const model::Stage& stage : file.stages) {
    FromExpansion from{&stage, model::expandWord(stage.baseImage, global.args, file.escape), std::nullopt};
    bool stops = from.name.error || from.name.result == "";
    if (!stops && !stage.platform.empty()) {
      from.platform = model::expandWord(stage.platform, global.args, file.escape);
      const auto& result = from.platform->result;
      stops = from.platform->error || result == "" || (result && !parsePlatform(*result));
    }
    froms.push_back(std::move(from));
    if (stops) break;
  }
  return froms;
}

std::vector<std::string> fromArgNames(const GlobalScope& global) {
  std::vector<std::string> names = global.declared;
  std::unordered_set<std::string_view> seen(global.declared.begin(), global.declared.end());
  for (const auto& [name, value] : global.args) {
    if (!seen.contains(name)) names.push_back(name);
  }
  return names;
}

std::string suggestName(const std::string& name, const std::vector<std::string>& options) {
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        size_t above = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    return row[b.size()];
  };
  std::string match;
  size_t best = 3;  // as hcl
  for (const std::string& option : options) {
    if (option == name) return "";
    size_t d = distance(name, option);
    if (d < best) {
      match = option;
      best = d;
    }
  }
  return match;
}

}  // namespace dfopt::transforms::buildkit
