// dockerignore: writes the build context's .dockerignore, or adds to the one
// there, so version control, secrets, local dependencies, caches and stale
// build output stay out of the context the build is sent. An entry is
// proposed only for something the context holds (node_modules and .venv also
// before they exist, when the image installs its own), and only when it
// excludes nothing the Dockerfile copies or names. A user's lines are never
// changed: new entries go below them, under "# added by dfopt".
//
// What the build uses: build_use.cpp, context_paths.cpp, tooling.cpp; the
// candidate entries: candidates.cpp; which are added: decide.cpp; the file:
// write.cpp.
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "engine/style.h"
#include "transforms/dockerignore/build_use.h"
#include "transforms/dockerignore/entries.h"
#include "transforms/transforms.h"
#include "util/text.h"

namespace dfopt::transforms {
namespace dockerignore {

using context::BuildContext;
using engine::Finding;
using engine::Severity;
using model::Dockerfile;
using model::Instruction;

namespace {

class DockerignoreTransform final : public engine::Transform {
 public:
  std::string_view name() const override { return "dockerignore"; }

  engine::Result run(const Dockerfile& file, const BuildContext& context,
                     const engine::Options&) const override {
    engine::Result result;
    if (file.instructions.empty()) return result;
    const SharedPaths sharedPaths = contextPaths(context);
    const BuildUse use = buildUse(file, context, sharedPaths);
    reportExcludedSources(file, context, use, result);
    Decision decision = decide(file, context, use, sharedPaths);
    for (Finding& kept : decision.kept) result.findings.push_back(std::move(kept));
    if (decision.added.empty()) {
      if (!context.dockerignoreText() && decision.considered.empty()) {
        result.findings.push_back(nothingToExclude(file));
      }
      return result;
    }
    Finding finding;
    finding.offset = file.instructions[0].keywordRange.begin;
    finding.message = summary(decision.added, context.dockerignoreText().has_value());
    finding.files.push_back({".dockerignore", dockerignoreText(context.dockerignoreText(), decision.added,
                                                               engine::Style(file).newline())});
    result.findings.push_back(std::move(finding));
    return result;
  }

 private:
  static Finding nothingToExclude(const Dockerfile& file) {
    Finding finding;
    finding.severity = Severity::Info;
    finding.offset = file.instructions[0].keywordRange.begin;
    finding.message =
        "no .dockerignore written: the build context holds no version control, secrets, dependencies, "
        "caches or build output to keep out";
    return finding;
  }

  // Sources the user's .dockerignore already takes away from a COPY or ADD.
  static void reportExcludedSources(const Dockerfile& file, const BuildContext& context, const BuildUse& use,
                                    engine::Result& result) {
    std::set<std::pair<size_t, std::string>> reported;
    for (const Use& copied : use.copied) {
      if (!context.dockerignore().excludes(copied.path) ||
          !reported.insert({copied.instruction, copied.path}).second) {
        continue;
      }
      const Instruction& instruction = file.instructions[copied.instruction];
      Finding finding;
      finding.severity = Severity::Info;
      finding.offset = instruction.keywordRange.begin;
      finding.message =
          fmt::format(".dockerignore excludes {}, which this {} copies: the build will not find it",
                      copied.path, text::upper(instruction.command));
      result.findings.push_back(std::move(finding));
    }
  }
};

}  // namespace
}  // namespace dockerignore

std::unique_ptr<engine::Transform> makeDockerignore() {
  return std::make_unique<dockerignore::DockerignoreTransform>();
}

}  // namespace dfopt::transforms
