// UndefinedVar: a variable an instruction expands (ENV, LABEL, ADD, COPY,
// WORKDIR, USER, VOLUME, STOPSIGNAL, an ARG default, RUN --mount) that is
// neither in the stage's environment nor a declared ARG, so it expands to
// nothing. BuildKit also knows the base image's environment; dfopt does
// not, so it decides only stages built on scratch (directly or through
// other stages), where the environment is the file's own plus PATH.
#include <fmt/format.h>

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/scope.h"

namespace dfopt::transforms::buildkit {
namespace {

bool isHeredocWord(std::string_view word) {
  size_t marker = word.find("<<");
  if (marker == std::string_view::npos) return false;
  return word.substr(0, marker).find_first_not_of("0123456789") == std::string_view::npos;
}

// The words dispatch expands in an instruction other than ARG
// (instructions.SupportsSingleWordExpansion), as BuildKit holds them.
std::vector<std::string> expandedWords(const model::Instruction& instruction) {
  std::vector<std::string> words;
  const auto& next = instruction.buildkit.next;
  if (instruction.is("env") || instruction.is("label")) {
    for (size_t i = 0; i + 1 < next.size(); i += 3) {
      words.push_back(next[i].value);
      words.push_back(next[i + 1].value);
    }
  } else if (instruction.is("copy") || instruction.is("add")) {
    for (const model::Flag& flag : instruction.flags) {
      if (flag.name == "chown" || flag.name == "chmod" ||
          (instruction.is("add") && flag.name == "checksum")) {
        words.push_back(flag.value);
      }
    }
    for (const auto& word : next) {
      if (instruction.heredocs.empty() || !isHeredocWord(word.value)) words.push_back(word.value);
    }
  } else if (instruction.is("workdir") || instruction.is("user") || instruction.is("stopsignal") ||
             instruction.is("volume")) {
    for (const auto& word : next) words.push_back(word.value);
  } else if (instruction.is("run")) {
    for (const model::Flag& flag : instruction.flags) {
      if (flag.name != "mount") continue;
      // parseMount: each key=value field's value
      std::string_view fields = flag.value;
      while (!fields.empty()) {
        size_t comma = fields.find(',');
        std::string_view field = fields.substr(0, comma);
        if (size_t equals = field.find('='); equals != std::string_view::npos) {
          words.emplace_back(field.substr(equals + 1));
        }
        fields.remove_prefix(comma == std::string_view::npos ? fields.size() : comma + 1);
      }
    }
  }
  return words;
}

class Reporter {
 public:
  Reporter(const CheckInput& input, const model::Instruction& instruction,
           std::vector<engine::Finding>& findings)
      : input_(input), instruction_(instruction), findings_(findings) {}

  // reportUnmatchedVariables for one word.
  void check(std::string_view word, const StageScope& scope) {
    model::WordExpansion expansion = model::expandWord(word, scope.env, input_.file.escape);
    for (const std::string& name : expansion.unmatched) {
      if (scope.buildArgs.contains(name) || name == "BUILDKIT_SBOM_SCAN_CONTEXT" ||
          name == "BUILDKIT_SBOM_SCAN_STAGE" || reported_.contains(name)) {
        continue;
      }
      reported_.insert(name);
      engine::Finding finding;
      finding.offset = instruction_.keywordRange.begin;
      finding.message = fmt::format("Usage of undefined variable '${}'", name);
      if (std::string match = suggestName(name, scope.order); !match.empty()) {
        finding.message += fmt::format(" (did you mean ${}?)", match);
      }
      findings_.push_back(std::move(finding));
    }
  }

 private:
  const CheckInput& input_;
  const model::Instruction& instruction_;
  std::vector<engine::Finding>& findings_;
  std::set<std::string, std::less<>> reported_;
};

}  // namespace

void undefinedVar(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const model::Dockerfile& file = input.file;
  const GlobalScope& global = input.global;
  if (global.failed) return;
  forEachScope(file, global, [&](size_t i, const StageScope& before) {
    if (!before.complete) return;
    const model::Instruction& instruction = file.instructions[i];
    Reporter reporter(input, instruction, findings);
    if (!instruction.is("arg")) {
      for (const std::string& word : expandedWords(instruction)) reporter.check(word, before);
      return;
    }
    // An ARG's defaults are expanded one by one, each seeing the ones before.
    StageScope scope = before;
    for (const auto& word : instruction.buildkit.next) {
      size_t equals = word.value.find('=');
      std::string name = word.value.substr(0, equals);
      if (equals != std::string::npos) {
        std::string fallback = word.value.substr(equals + 1);
        reporter.check(fallback, scope);
        scope.env[name] = model::expandWord(fallback, scope.env, file.escape).result;
        scope.order.push_back(name);
      } else if (auto found = global.args.find(name); found != global.args.end()) {
        scope.env[name] = found->second;
        scope.order.push_back(name);
      }
      scope.buildArgs.insert(name);
    }
  });
}

}  // namespace dfopt::transforms::buildkit
