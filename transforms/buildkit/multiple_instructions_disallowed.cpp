// MultipleInstructionsDisallowed: a CMD, ENTRYPOINT or HEALTHCHECK that a
// later one of its kind in the same stage replaces. The earlier one never
// reaches the image: the later one sets the same setting, and an ENTRYPOINT
// in between only clears a CMD inherited from the base, which the later CMD
// replaces anyway. So it is removed, its lines with it (the comments above
// it stay); not when comment lines sit inside its continuation, which would
// go with it.
#include <fmt/format.h>

#include "engine/line_mention.h"
#include "engine/style.h"
#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/lint_config.h"

namespace dfopt::transforms::buildkit {
namespace {

// The instruction's lines, its indentation included.
model::ByteRange wholeLines(const model::Dockerfile& file, const model::Instruction& instruction) {
  std::string_view bytes = file.source->bytes();
  uint32_t begin = engine::lineStart(bytes, instruction.range.begin);
  bool indented =
      bytes.substr(begin, instruction.range.begin - begin).find_first_not_of(" \t") == std::string_view::npos;
  return {indented ? begin : instruction.range.begin, instruction.range.end};
}

}  // namespace

void multipleInstructionsDisallowed(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const model::Dockerfile& file = input.file;
  for (const model::Stage& stage : file.stages) {
    for (std::string_view command : {"cmd", "entrypoint", "healthcheck"}) {
      const model::Instruction* previous = nullptr;
      for (size_t i = stage.from + 1; i < stage.end; ++i) {
        const model::Instruction& instruction = file.instructions[i];
        if (!instruction.is(command)) continue;
        // the later instruction's linter reports the earlier one
        if (previous != nullptr && ruleEnabled(file, "MultipleInstructionsDisallowed", false, &instruction)) {
          engine::Finding finding;
          finding.offset = previous->keywordRange.begin;
          finding.message = fmt::format(
              "Multiple {} instructions should not be used in the same stage because only the last one will "
              "be used; line {} replaces this one",
              instruction.keyword, engine::lineMention(instruction.range.begin));
          if (previous->innerComments.empty()) {
            finding.edits.push_back({wholeLines(file, *previous), ""});
          } else {
            finding.message += " (not removed: the comment lines inside it would go with it)";
          }
          findings.push_back(std::move(finding));
        }
        previous = &instruction;
      }
    }
  }
}

}  // namespace dfopt::transforms::buildkit
