// The edits of a split: the stage becomes the build stage (named, with the
// recipe's insertions, without the instructions that move), the recipe's
// own stages, if any, are appended, and then the production stage: FROM the runtime image, the copied ENV,
// LABEL and ARG instructions, the recipe's steps, the USER, and the moved
// CMD, ENTRYPOINT, EXPOSE, HEALTHCHECK, STOPSIGNAL and VOLUME.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "engine/ignores.h"
#include "engine/instruction_edits.h"
#include "model/queries.h"
#include "transforms/multi_stage/job.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::contains;
using text::isOneOf;

bool isRoot(std::string_view user) {
  std::string name(user.substr(0, user.find(':')));
  return name == "root" || name == "0";
}

// Can the production stage run as `user`? Numeric ids always; names only
// when the runtime image itself has them.
bool userExistsIn(std::string_view user, std::string_view runtime) {
  std::string name(user.substr(0, user.find(':')));
  if (isDigits(name))
    return user.find(':') == std::string_view::npos || isDigits(user.substr(user.find(':') + 1));
  if (name == "nobody") return !contains(runtime, "scratch");
  if (name == "node") return engine::parseImageReference(runtime).officialName() == "node";
  if (name == "nonroot") return contains(runtime, "distroless");
  return false;
}

// The USER the production stage needs written (nothing when a moved USER
// already says it, or the app runs as root).
std::optional<std::string> userToWrite(const Job& job, const std::vector<size_t>& moved) {
  std::string user = model::userAtEnd(job.file, job.stage);
  if (user.empty() || isRoot(user)) return std::nullopt;
  size_t last = job.stage.from;
  for (size_t i = job.stage.from + 1; i < job.stage.end; ++i) {
    if (job.instruction(i).is("user")) last = i;
  }
  if (!userExistsIn(user, job.runtime) && !job.runtimeChosen) {
    notSplit(job.offset(last), fmt::format("the app runs as {}, which {} does not have", user, job.runtime));
  }
  if (std::find(moved.begin(), moved.end(), last) != moved.end()) return std::nullopt;
  return user;
}

// Removes a moved instruction with its comments; below a blank line, the
// blank lines after it go too, so no run of blank lines is left behind.
Edit removeMoved(const Dockerfile& file, const Instruction& instruction) {
  Edit edit = engine::removeBlock(file, instruction);
  const std::string& bytes = file.source->bytes();
  bool blankAbove = engine::followsBlankLine(file, instruction);
  while (blankAbove && engine::isBlankLine(bytes, edit.range.end)) {
    edit.range.end = engine::nextLineStart(bytes, edit.range.end);
  }
  return edit;
}

std::string rewrittenBlock(const Dockerfile& file, const Instruction& instruction, std::vector<Edit> edits) {
  uint32_t begin = engine::blockStart(file, instruction);
  for (Edit& edit : edits) {
    edit.range.begin -= begin;
    edit.range.end -= begin;
  }
  return *engine::applyEdits(engine::blockText(file, instruction), std::move(edits));
}

bool movesToProduction(const Job& job, size_t index) {
  const Instruction& instruction = job.instruction(index);
  static constexpr std::string_view kRuntimeOnly[] = {"cmd",         "entrypoint", "expose",
                                                      "healthcheck", "stopsignal", "volume"};
  if (isOneOf(instruction.command, kRuntimeOnly)) return true;
  return instruction.is("user") && index > job.facts.lastBuildStep;
}

bool continuesVariableName(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Does `text` use the variable `name`, as $name or ${name...}?
bool usesVariable(std::string_view text, std::string_view name) {
  auto namedAt = [&](size_t at) {
    if (!text.substr(at).starts_with(name)) return false;
    size_t end = at + name.size();
    return end == text.size() || !continuesVariableName(text[end]);
  };
  for (size_t dollar = text.find('$'); dollar != std::string_view::npos;
       dollar = text.find('$', dollar + 1)) {
    bool braced = dollar + 1 < text.size() && text[dollar + 1] == '{';
    if (namedAt(dollar + 1) || (braced && namedAt(dollar + 2))) return true;
  }
  return false;
}

// Variables only the build tool chains read; the production stage has none of those tools.
bool isToolChainVariable(std::string_view name) {
  constexpr std::string_view kNames[] = {"GOFLAGS", "GOPROXY",  "GOPRIVATE",  "GONOSUMDB",   "GONOPROXY",
                                         "GOSUMDB", "GOOS",     "GOARCH",     "GOARM",       "GOAMD64",
                                         "GOPATH",  "GOCACHE",  "GOMODCACHE", "GO111MODULE", "GOTOOLCHAIN",
                                         "GOBIN",   "RUSTFLAGS"};
  constexpr std::string_view kPrefixes[] = {"CGO_", "CARGO_", "RUSTUP_", "MAVEN_", "GRADLE_", "POETRY_"};
  return isOneOf(name, kNames) ||
         std::any_of(std::begin(kPrefixes), std::end(kPrefixes),
                     [&](std::string_view prefix) { return name.starts_with(prefix); });
}

bool setsOnlyToolChainVariables(const Instruction& env) {
  const auto& parts = env.buildkit.next;
  for (size_t k = 0; k < parts.size(); k += 3) {
    if (!isToolChainVariable(parts[k].value)) return false;
  }
  return !parts.empty();
}

// ENV, LABEL and MAINTAINER instructions are copied (not the ENVs only
// the build tools read); an ARG too when a copied or moved instruction
// uses it.
std::vector<size_t> copiedToProduction(const Job& job, const std::vector<size_t>& moved) {
  std::vector<size_t> copied;
  for (size_t i = job.stage.from + 1; i < job.stage.end; ++i) {
    const Instruction& instruction = job.instruction(i);
    if (instruction.is("env") && setsOnlyToolChainVariables(instruction)) continue;
    if (instruction.is("env") || instruction.is("label") || instruction.is("maintainer")) copied.push_back(i);
  }
  std::vector<size_t> users = copied;
  users.insert(users.end(), moved.begin(), moved.end());
  for (size_t i = job.stage.from + 1; i < job.stage.end; ++i) {
    const Instruction& arg = job.instruction(i);
    if (!arg.is("arg")) continue;
    bool used = std::any_of(arg.buildkit.next.begin(), arg.buildkit.next.end(), [&](const auto& node) {
      std::string name = node.value.substr(0, node.value.find('='));
      return std::any_of(users.begin(), users.end(), [&](size_t user) {
        return user > i && usesVariable(job.instruction(user).line.text, name);
      });
    });
    if (used) copied.push_back(i);
  }
  std::sort(copied.begin(), copied.end());
  return copied;
}

// An ENV that sets tool-chain variables beside others (`ENV
// PYTHONUNBUFFERED=1 POETRY_VERSION=1.1.13`) goes to production with the
// others only, and without the comments above it, which may speak of the
// tool chain; any other instruction as written.
std::string copiedText(const Job& job, const Instruction& instruction) {
  if (!instruction.is("env")) return engine::blockText(job.file, instruction);
  std::vector<std::string> kept;
  bool dropped = false;
  for (const model::Word& word : instruction.arguments) {
    size_t equals = word.text.find('=');
    if (equals == std::string::npos) return engine::blockText(job.file, instruction);  // ENV KEY value
    if (isToolChainVariable(word.text.substr(0, equals))) {
      dropped = true;
    } else {
      kept.push_back(word.text);
    }
  }
  if (!dropped) return engine::blockText(job.file, instruction);
  return job.productionLine("ENV", fmt::format("{}", fmt::join(kept, " ")));
}

// The blank line between the stages, judged on the build stage as edited.
std::string separatorBefore(const Job& job, const std::vector<Edit>& buildEdits) {
  std::string built = engine::applyEdits(job.file.source->bytes(), buildEdits).value_or("");
  const std::string& newline = job.style.newline();
  if (built.empty()) return "";
  if (built.back() != '\n') return newline + newline;
  uint32_t lastLine = engine::lineStart(built, static_cast<uint32_t>(built.size() - 1));
  return engine::isBlankLine(built, lastLine) ? "" : newline;
}

// The inline ignores above the split stage's FROM (`# dfopt:
// ignore[non-root] -- ...`) speak of the image the stage built, which the
// production stage now builds: they go above its FROM too, as written, so
// that the next run silences what this one did.
std::string ignoresOfStage(const Job& job) {
  const std::string& bytes = job.file.source->bytes();
  std::string lines;
  for (const model::Comment& comment : job.instruction(job.stage.from).comments) {
    std::optional<engine::Pragma> pragma = engine::parsePragma(comment.text);
    if (!pragma || pragma->scope != engine::IgnoreScope::Instruction) continue;
    uint32_t begin = engine::lineStart(bytes, comment.range.begin);
    lines += bytes.substr(begin, comment.range.end - begin) + job.style.newline();
  }
  return lines;
}

std::string productionStage(const Job& job, const Plan& plan, const std::vector<size_t>& copied,
                            const std::vector<size_t>& moved) {
  const engine::Style& style = job.style;
  const Instruction& from = job.instruction(job.stage.from);
  std::string platform;
  const model::Flag* flag = from.flag("platform");
  if (flag && !plan.leavesBuildPlatform) {
    platform = job.file.source->bytes().substr(flag->range.begin, flag->range.size()) + " ";
  }
  std::string text =
      ignoresOfStage(job) + job.indentation(job.stage.from) +
      style.line("FROM", fmt::format("{}{} {} production", platform, job.runtime, style.keyword("AS")));
  for (size_t index : copied) text += copiedText(job, job.instruction(index));
  if (plan.workdir) text += job.productionLine("WORKDIR", job.facts.workdir);
  text += plan.productionSteps;
  if (auto user = userToWrite(job, moved)) text += job.productionLine("USER", *user);
  for (size_t index : moved) {
    auto rewrite = plan.rewrites.find(index);
    text += rewrite == plan.rewrites.end()
                ? engine::blockText(job.file, job.instruction(index))
                : rewrittenBlock(job.file, job.instruction(index), rewrite->second);
  }
  return text;
}

}  // namespace

std::vector<Edit> splitEdits(const Job& job, const Plan& plan) {
  std::vector<Edit> edits;
  const Instruction& from = job.instruction(job.stage.from);
  if (job.stage.name.empty()) {
    uint32_t at = from.arguments[0].range.end;
    edits.push_back({{at, at}, fmt::format(" {} {}", job.style.keyword("AS"), job.buildStage)});
  }
  // insertions first: one at the same offset as a removal must come before it
  edits.insert(edits.end(), plan.buildEdits.begin(), plan.buildEdits.end());
  std::vector<size_t> moved;
  for (size_t i = job.stage.from + 1; i < job.stage.end; ++i) {
    if (!movesToProduction(job, i)) continue;
    moved.push_back(i);
    edits.push_back(removeMoved(job.file, job.instruction(i)));
  }
  std::string production = productionStage(job, plan, copiedToProduction(job, moved), moved);
  std::string_view bytes = job.file.source->bytes();
  // A file without a final newline keeps ending without one.
  if (!bytes.empty() && bytes.back() != '\n' && production.ends_with(job.style.newline()))
    production.resize(production.size() - job.style.newline().size());
  uint32_t end = static_cast<uint32_t>(bytes.size());
  edits.push_back({{end, end}, separatorBefore(job, edits) + plan.stages + production});
  return edits;
}

}  // namespace dfopt::transforms::multi_stage
