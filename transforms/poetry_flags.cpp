// poetry-flags: `poetry install --no-dev` spelled as the Poetry in use
// understands it. From Poetry 1.2 on, Poetry reads --no-dev as `--only main`
// (with a deprecation warning), and Poetry 2 removed it: `--only main` is the
// same install, the main group only, where `--without dev` would still
// install any other non-optional group (test, docs). The version is the one
// the stage pins (pip/pipx/installer, ENV or ARG POETRY_VERSION, a Poetry
// image's tag), else the one poetry.lock needs: its lock-version 2 is read only
// by Poetry 1.3 and newer. `poetry export` never had --no-dev.
#include <fmt/format.h>

#include "analysis/copied_files.h"
#include "analysis/effects.h"
#include "engine/poetry_version.h"
#include "engine/source_commands.h"
#include "model/queries.h"
#include "transforms/transforms.h"

namespace dfopt::transforms {
namespace {

using engine::Finding;
using engine::PoetrySource;
using engine::SourceCommand;

enum class Verdict { Fix, UnsafeFix, Keep, Unknown };

struct Decision {
  Verdict verdict = Verdict::Unknown;
  std::string evidence;
  std::optional<engine::PoetryVersion> version;
};

std::string versionText(const engine::PoetryVersion& version) {
  return fmt::format("{}.{}", version.major, version.minor);
}

// The Poetry the stage installs, else the one of the stages it is built FROM.
engine::StagePoetry poetryOfStage(const model::Dockerfile& file,
                                  const std::vector<analysis::Effects>& effects, size_t stage) {
  const model::Stage& current = file.stages[stage];
  engine::StagePoetry poetry = engine::stagePoetry(file, current.from, current.end);
  for (size_t parent : effects[current.from].stagesUsed) {
    if (poetry.source == PoetrySource::None && parent < stage) poetry = poetryOfStage(file, effects, parent);
  }
  return poetry;
}

// The Poetry that reads the poetry.lock the copies bring to the RUN's
// directory: 1.3 or newer when it has lock-version 2 (older ones refuse it).
std::optional<engine::PoetryVersion> lockReader(const model::Dockerfile& file,
                                                const std::vector<analysis::Effects>& effects,
                                                const context::BuildContext& context, size_t run) {
  if (!effects[run].workdir) return std::nullopt;
  std::string lockPath = model::resolvePath(*effects[run].workdir, "poetry.lock");
  auto lock = analysis::contextFileAt(file, effects, context, run, lockPath);
  if (!lock) return std::nullopt;
  auto writer = engine::lockPoetryVersion(context.read(*lock).value_or(""));
  if (!writer || !writer->atLeast(1, 3)) return std::nullopt;
  return writer;
}

Decision decide(const model::Dockerfile& file, const std::vector<analysis::Effects>& effects,
                const context::BuildContext& context, size_t run) {
  const model::Stage* stage = model::stageOf(file, run);
  engine::StagePoetry poetry = poetryOfStage(file, effects, stage->index);
  if (poetry.source == PoetrySource::Pinned) {
    return {poetry.version->atLeast(1, 2) ? Verdict::Fix : Verdict::Keep, poetry.evidence, poetry.version};
  }
  if (poetry.source == PoetrySource::LegacyInstaller) return {Verdict::Keep, poetry.evidence, {}};
  if (auto reader = lockReader(file, effects, context, run)) return {Verdict::Fix, reader->evidence, {}};
  if (poetry.source == PoetrySource::UnpinnedInstall) return {Verdict::UnsafeFix, poetry.evidence, {}};
  return {};
}

// The subcommand of `poetry [options] SUB ...`, or 0 when it is not Poetry.
size_t subcommandOf(const SourceCommand& command) {
  size_t program = engine::programIndex(command);
  if (text::baseName(command.arg(program)) != "poetry") return 0;
  for (size_t i = program + 1; i < command.words.size(); ++i) {
    if (!command.words[i].value.starts_with("-")) return i;
  }
  return 0;
}

std::string installMessage(const Decision& decision) {
  constexpr std::string_view kSame = "--only main installs the main dependencies only, as --no-dev did";
  switch (decision.verdict) {
    case Verdict::Fix:
      if (!decision.version)
        return fmt::format(
            "{}, which only Poetry 1.3 or newer reads; those read the deprecated --no-dev as "
            "--only main, and Poetry 2 removed it: {}",
            decision.evidence, kSame);
      if (decision.version->atLeast(2, 0))
        return fmt::format("Poetry {}, from {}, has no --no-dev, so poetry install --no-dev fails: {}",
                           versionText(*decision.version), decision.evidence, kSame);
      return fmt::format(
          "Poetry {}, from {}, reads the deprecated --no-dev as --only main, and Poetry 2 "
          "removed it: {}",
          versionText(*decision.version), decision.evidence, kSame);
    case Verdict::UnsafeFix:
      return fmt::format(
          "{} installs the newest Poetry, 2.x, which has no --no-dev, so poetry install "
          "--no-dev fails: --only main (Poetry 1.2 and newer) installs the main dependencies "
          "only, as --no-dev did (unsafe: the version is chosen at build time; pin Poetry)",
          decision.evidence);
    default:
      return "--no-dev kept: dfopt cannot tell which Poetry runs here (pin it: pip install poetry==X); "
             "from Poetry 1.2 --only main replaces it, and Poetry 2 fails on --no-dev";
  }
}

class PoetryFlags final : public engine::Transform {
 public:
  std::string_view name() const override { return "poetry-flags"; }

  engine::Result run(const model::Dockerfile& file, const context::BuildContext& context,
                     const engine::Options&) const override {
    engine::Result result;
    for (size_t i = 0; i < file.instructions.size(); ++i) {
      if (!file.instructions[i].is("run") || !model::stageOf(file, i)) continue;
      const engine::CommandLine& line = engine::commandLineOf(file.instructions[i]);
      for (const SourceCommand& command : line.commands) {
        size_t sub = subcommandOf(command);
        if (sub == 0) continue;
        for (size_t w = sub + 1; w < command.words.size(); ++w) {
          if (command.words[w].value != "--no-dev") continue;
          const std::vector<analysis::Effects>& effects =
              analysis::analyzeEffects(file);  // kept in the model
          if (auto finding = findingFor(file, effects, context, i, line.json, command, sub, w))
            result.findings.push_back(std::move(*finding));
        }
      }
    }
    return result;
  }

 private:
  static std::optional<Finding> findingFor(const model::Dockerfile& file,
                                           const std::vector<analysis::Effects>& effects,
                                           const context::BuildContext& context, size_t run, bool json,
                                           const SourceCommand& command, size_t sub, size_t at) {
    const engine::SourceWord& word = command.words[at];
    Finding finding;
    finding.offset = word.range.begin;
    if (command.words[sub].value == "export") {
      finding.message =
          "poetry export has no --no-dev option, so the command fails; it leaves the development "
          "dependencies out by default, so without --no-dev it exports what was meant";
      finding.edits.push_back({{command.words[at - 1].range.end, word.range.end}, ""});
      return finding;
    }
    if (command.words[sub].value != "install") return std::nullopt;
    Decision decision = decide(file, effects, context, run);
    if (decision.verdict == Verdict::Keep) return std::nullopt;
    finding.message = installMessage(decision);
    if (decision.verdict == Verdict::Unknown) {
      finding.severity = engine::Severity::Info;
      return finding;
    }
    if (decision.verdict == Verdict::UnsafeFix) finding.safety = engine::Safety::Unsafe;
    std::string replacement = json ? R"("--only", "main")" : "--only main";
    finding.edits.push_back({word.range, replacement});
    return finding;
  }
};

}  // namespace

std::unique_ptr<engine::Transform> makePoetryFlags() { return std::make_unique<PoetryFlags>(); }

}  // namespace dfopt::transforms
