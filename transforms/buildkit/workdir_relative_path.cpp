// WorkdirRelativePath: the first WORKDIR of a stage (counting the stages it
// is built on) is relative, so where it lands depends on the base image's
// working directory. BuildKit reports only that first one: it fixes the
// ones after it. The fix makes it absolute when the directory it starts
// from is known: a stage built on scratch starts in "/". On an image, the
// image's WORKDIR decides, and dfopt cannot see it.
#include <algorithm>

#include <fmt/format.h>

#include "model/queries.h"
#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/scope.h"
#include "util/go_text.h"

namespace dfopt::transforms::buildkit {
namespace {

// A Windows path (`C:\app`, `\app`) is absolute on a Windows image: leave
// those to the platform, which dfopt does not know.
bool maybeWindowsPath(std::string_view path) {
  return path.starts_with('\\') || (path.size() >= 2 && path[1] == ':');
}

bool hasDotComponent(std::string_view path) {
  for (std::string_view rest = path; !rest.empty();) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    if (part == "." || part == "..") return true;
    rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
  }
  return false;
}

// "app" -> "/app" by inserting the slash; "./app" -> "/app" by rewriting.
// Only a plain word written on one line (no variable, quote or escape).
std::optional<engine::Edit> absoluteEdit(const model::Dockerfile& file, const model::Instruction& workdir,
                                         const std::string& path) {
  if (workdir.arguments.size() != 1) return std::nullopt;
  const model::Word& word = workdir.arguments[0];
  std::string_view written =
      std::string_view(file.source->bytes()).substr(word.range.begin, word.range.size());
  if (written != path || path.find_first_of(std::string("$\"' \t") + file.escape) != std::string::npos) {
    return std::nullopt;
  }
  if (!hasDotComponent(path)) return engine::Edit{{word.range.begin, word.range.begin}, "/"};
  return engine::Edit{word.range, model::resolvePath("/", path)};
}

}  // namespace

void workdirRelativePath(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const model::Dockerfile& file = input.file;
  const GlobalScope& global = input.global;
  if (global.failed) return;
  // The first WORKDIR of each stage whose stages below set none.
  std::vector<bool> firstWorkdir(file.instructions.size());
  std::vector<bool> setAtEnd;  // per stage: a WORKDIR was set in it or the stages below it
  for (const model::Stage& stage : file.stages) {
    const model::Stage* parent = baseStage(file, stage, global);
    bool set = parent && setAtEnd[parent->index];
    for (size_t i = stage.from + 1; i < stage.end && !set; ++i) {
      const model::Instruction& instruction = file.instructions[i];
      if (!instruction.is("workdir") || instruction.buildkit.next.empty()) continue;
      firstWorkdir[i] = true;
      set = true;
    }
    setAtEnd.push_back(set);
  }
  auto last = std::find(firstWorkdir.rbegin(), firstWorkdir.rend(), true);
  if (last == firstWorkdir.rend()) return;
  const size_t lastWorkdir = static_cast<size_t>(firstWorkdir.rend() - last) - 1;
  forEachScope(
      file, global,
      [&](size_t i, const StageScope& scope) {
        if (!firstWorkdir[i]) return;
        const model::Instruction& instruction = file.instructions[i];
        model::WordExpansion expansion =
            model::expandWord(instruction.buildkit.next[0].value, scope.env, file.escape);
        // A name the base image may set leaves the path unknown.
        if (!scope.complete && !expansion.unmatched.empty()) return;
        const std::optional<std::string>& path = expansion.result;
        if (!path || path->empty() || path->starts_with('/') || maybeWindowsPath(*path)) return;
        engine::Finding finding;
        finding.offset = instruction.keywordRange.begin;
        finding.message =
            fmt::format("Relative workdir {} can have unexpected results if the base image changes",
                        golang::quote(*path));
        if (!scope.complete) {
          finding.message += "; not fixed: the base image's WORKDIR decides where it lands";
        } else if (auto edit = absoluteEdit(file, instruction, *path)) {
          finding.edits.push_back(*edit);
        } else {
          finding.message += "; not fixed: dfopt rewrites only a plain path on one line";
        }
        findings.push_back(std::move(finding));
      },
      lastWorkdir);
}

}  // namespace dfopt::transforms::buildkit
