// CopyIgnoredFile: a COPY or ADD source from the build context that the
// .dockerignore leaves out, so the build fails or copies nothing there.
// Decided as BuildKit does: only when the .dockerignore has no '!'
// exception (BuildKit gives up on those too), the source cleaned and
// matched with its parent directories. No fix: whether the copy or the
// pattern is wrong is the author's call.
#include <fmt/format.h>

#include "context/go_filepath.h"
#include "model/queries.h"
#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/scope.h"
#include "util/go_text.h"
#include "util/text.h"

namespace dfopt::transforms::buildkit {
namespace {

bool isHeredocWord(std::string_view word) {
  size_t marker = word.find("<<");
  return marker != std::string_view::npos &&
         word.substr(0, marker).find_first_not_of("0123456789") == std::string_view::npos;
}

// The sources BuildKit reads from the context: not a COPY --from, not a
// URL or git address, not a heredoc.
std::vector<std::string> contextSources(const model::Instruction& instruction) {
  std::vector<std::string> sources;
  if (!(instruction.is("copy") && !instruction.flag("from")) && !instruction.is("add")) return sources;
  const auto& next = instruction.buildkit.next;
  for (size_t i = 0; i + 1 < next.size(); ++i) {
    const std::string& word = next[i].value;
    if (!instruction.heredocs.empty() && isHeredocWord(word)) continue;
    if (instruction.is("add") && model::isRemoteSource(word)) continue;
    sources.push_back(word);
  }
  return sources;
}

// Is a Dockerfile-specific ignore file (`Dockerfile.dockerignore`) there,
// which BuildKit reads instead of .dockerignore?
bool hasOwnIgnoreFile(const CheckInput& input) {
  const std::string& name = input.options.fileName;
  return !name.empty() && input.context.exists(std::string(text::baseName(name)) + ".dockerignore");
}

}  // namespace

void copyIgnoredFile(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const context::Dockerignore& ignore = input.context.dockerignore();
  if (ignore.empty() || ignore.hasExceptions() || !ignore.invalidPatterns().empty() ||
      hasOwnIgnoreFile(input)) {
    return;
  }
  const model::Dockerfile& file = input.file;
  const GlobalScope& global = input.global;
  if (global.failed) return;
  forEachScope(file, global, [&](size_t i, const StageScope& scope) {
    const model::Instruction& instruction = file.instructions[i];
    for (const std::string& word : contextSources(instruction)) {
      model::WordExpansion expansion = model::expandWord(word, scope.env, file.escape);
      // A name the base image may set leaves the path unknown.
      if (!expansion.result || (!scope.complete && !expansion.unmatched.empty())) continue;
      std::string source = context::cleanGoPath(*expansion.result);
      if ((source == "." || source == "/") && !ignore.excludesEveryRootEntry()) continue;
      if (!ignore.matchesOrParentMatches(source)) continue;
      engine::Finding finding;
      finding.offset = instruction.keywordRange.begin;
      finding.message = fmt::format("Attempting to {} file {} that is excluded by .dockerignore",
                                    instruction.is("add") ? "Add" : "Copy", golang::quote(source));
      findings.push_back(std::move(finding));
    }
  });
}

}  // namespace dfopt::transforms::buildkit
