// secrets: BuildKit's SecretsUsedInArgOrEnv, with a fix. An ARG or ENV
// whose name BuildKit takes for a secret (or whose value looks like a key)
// keeps its value in the image's history or config. When the file may use
// BuildKit syntax and only RUN steps read the value, the declaration goes
// and those RUN steps get `--mount=type=secret`, which the build is given
// with `docker build --secret`. Unsafe: the build needs the secret passed
// that way from now on.
#include <fmt/format.h>
#include <re2/re2.h>

#include "engine/style.h"
#include "model/queries.h"
#include "model/variables.h"
#include "transforms/secrets/declarations.h"
#include "transforms/secrets/move.h"
#include "transforms/secrets/patterns.h"
#include "transforms/transforms.h"

namespace dfopt::transforms {
namespace {

using engine::Finding;
using engine::Severity;
using secrets::Declaration;

bool overlaps(const engine::Edit& a, const engine::Edit& b) {
  return a.range.begin < b.range.end && b.range.begin < a.range.end;
}

bool overlapsAny(const std::vector<engine::Edit>& edits, const std::vector<engine::Edit>& taken) {
  for (const engine::Edit& edit : edits) {
    for (const engine::Edit& other : taken) {
      if (overlaps(edit, other)) return true;
    }
  }
  return false;
}

std::string stored(const Declaration& declaration) {
  std::string where = declaration.kind == "ARG" ? "a build argument's value is recorded in the image history"
                                                : "an ENV value is stored in the image";
  if (declaration.value && !declaration.value->empty() && !model::hasVariable(*declaration.value)) {
    where += ", and this one is written in the Dockerfile (rotate it)";
  }
  return where;
}

std::string moved(const Declaration& declaration, const secrets::Move& move) {
  std::string build = fmt::format("docker build --secret id={0},env={0} .", declaration.name);
  if (move.runs == 0 && !move.setAgainOn.empty()) {
    return fmt::format(
        "removed, as no RUN step names it or runs a program that may read it before line {} sets it again; "
        "pass it, when needed, with {}",
        move.setAgainOn, build);
  }
  if (move.runs == 0) {
    return fmt::format(
        "removed, as no RUN step after it names it or runs a program that may read it; pass it, when needed, "
        "with {}",
        build);
  }
  if (move.everyRun) {
    return fmt::format(
        "moved to a secret mount on the RUN steps after it that run a program that may read it from the "
        "environment, as none names it; build with {}",
        build);
  }
  return fmt::format("moved to a secret mount on the RUN steps that use it; build with {}", build);
}

// Is the check turned off for this instruction: by the file's `# check=`
// directive, or a `# check=skip=...` comment above the instruction or above
// its stage's FROM?
bool skipped(const model::Dockerfile& file, size_t index) {
  constexpr std::string_view rule = "SecretsUsedInArgOrEnv";
  if (const model::Directive* check = file.directive("check");
      check && secrets::skipsCheck(check->value, rule)) {
    return true;
  }
  static const RE2 comment(R"((?i)\s*check\s*=\s*(.+?)\s*)");
  auto skipsIn = [&](const model::Instruction& instruction) {
    for (const model::Comment& line : instruction.comments) {
      std::string value;
      // BuildKit reads a comment's value up to the first blank: an explanation may follow.
      if (RE2::FullMatch(line.text, comment, &value))
        return secrets::skipsCheck(value.substr(0, value.find(' ')), rule);
    }
    return false;
  };
  return skipsIn(file.instructions[index]) || skipsIn(file.instructions[model::stageOf(file, index)->from]);
}

class Secrets final : public engine::Transform {
 public:
  std::string_view name() const override { return "secrets"; }

  engine::Result run(const model::Dockerfile& file, const context::BuildContext&,
                     const engine::Options& options) const override {
    engine::Result result;
    bool buildkit = engine::Style(file).buildkitAllowed();
    secrets::MountForm form = secrets::mountFormOf(file);
    std::vector<engine::Edit> taken;
    for (size_t index = 0; index < file.instructions.size(); ++index) {
      const model::Instruction& instruction = file.instructions[index];
      // BuildKit checks the ARGs of stages, not the global ones before the first FROM.
      if (!instruction.is("arg") && !instruction.is("env")) continue;
      if (!model::stageOf(file, index) || skipped(file, index)) continue;
      for (const Declaration& declaration : secrets::declarationsOf(file, index)) {
        std::optional<Finding> finding = check(file, declaration, buildkit, form);
        if (!finding) continue;
        // Two fixes cutting the same instruction: the second waits for the next pass.
        if (options.unsafeFixes && overlapsAny(finding->edits, taken)) continue;
        taken.insert(taken.end(), finding->edits.begin(), finding->edits.end());
        result.findings.push_back(std::move(*finding));
      }
    }
    return result;
  }

 private:
  static std::optional<Finding> check(const model::Dockerfile& file, const Declaration& declaration,
                                      bool buildkit, secrets::MountForm form) {
    bool byName = secrets::nameLooksSecret(declaration.name);
    std::string shape = declaration.value ? secrets::keyShape(*declaration.value) : "";
    if (!byName && shape.empty()) return std::nullopt;
    Finding finding;
    finding.offset = file.instructions[declaration.instruction].keywordRange.begin;
    std::string head = fmt::format(
        "SecretsUsedInArgOrEnv: do not use ARG or ENV instructions for sensitive data ({} \"{}\")",
        declaration.kind, declaration.name);
    if (!shape.empty()) head += fmt::format(", its value looks like {}", shape);
    if (shape.empty() && declaration.value &&
        secrets::isPublicFingerprint(declaration.name, *declaration.value)) {
      finding.severity = Severity::Info;
      finding.message = head + ": BuildKit reports the name, but the value is a public GPG key fingerprint";
      return finding;
    }
    if (shape.empty() && declaration.value && secrets::isTemplatePlaceholder(*declaration.value)) {
      finding.severity = Severity::Info;
      finding.message =
          head + ": BuildKit reports the name, but the value is a template's placeholder (%%NAME%%)";
      return finding;
    }
    if (shape.empty() && declaration.kind == "ENV" && declaration.value && declaration.value->empty()) {
      finding.severity = Severity::Info;
      finding.message = head + ": BuildKit reports the name, but the value is empty: no secret is stored";
      return finding;
    }
    if (secrets::reachesFinalImage(file, declaration)) {
      finding.message = fmt::format(
          "{}: {}; not moved to a secret mount: an ENV of the final image reaches the running container, "
          "which may "
          "read it (give it to the container when it starts: docker run -e {} or a secrets file)",
          head, stored(declaration), declaration.name);
      return finding;
    }
    if (!buildkit) {
      finding.message = fmt::format(
          "{}: {}; not moved to RUN --mount=type=secret, which needs BuildKit: the file has no `# syntax=` "
          "directive and uses no RUN --mount",
          head, stored(declaration));
      return finding;
    }
    secrets::Move move = secrets::planMove(file, declaration, form);
    if (!move.refusal.empty()) {
      finding.message =
          fmt::format("{}: {}; not moved to a secret mount: {}", head, stored(declaration), move.refusal);
      return finding;
    }
    finding.message = fmt::format("{}: {}; {}", head, stored(declaration), moved(declaration, move));
    finding.edits = std::move(move.edits);
    finding.safety = engine::Safety::Unsafe;
    return finding;
  }
};

}  // namespace

std::unique_ptr<engine::Transform> makeSecrets() { return std::make_unique<Secrets>(); }

}  // namespace dfopt::transforms
