// StageNameCasing: a stage named with capitals. BuildKit lower-cases stage
// names and looks every reference up case-insensitively, so writing the
// name and its references (`FROM <stage>`, `COPY --from=`, `RUN
// --mount=from=`) in lower case changes nothing but the bytes.
#include <fmt/format.h>

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/lint_config.h"
#include "util/text.h"

namespace dfopt::transforms::buildkit {
namespace {

bool sameName(std::string_view a, std::string_view b) { return text::lower(a) == text::lower(b); }

std::string_view sourceOf(const model::Dockerfile& file, model::ByteRange range) {
  return std::string_view(file.source->bytes()).substr(range.begin, range.end - range.begin);
}

// `--from=<name>` written as is (no quotes, no continuation): its value.
void renameFromFlag(const model::Dockerfile& file, const model::Flag& flag, std::string_view name,
                    std::vector<engine::Edit>& edits) {
  std::string_view written = sourceOf(file, flag.range);
  const std::string prefix = "--" + flag.name + "=";
  if (written != prefix + flag.value || !sameName(flag.value, name)) return;
  if (flag.value == text::lower(flag.value)) return;
  uint32_t begin = flag.range.begin + static_cast<uint32_t>(prefix.size());
  edits.push_back({{begin, flag.range.end}, text::lower(flag.value)});
}

// `--mount=...,from=<name>,...` written as is: the from field's value.
void renameMountFrom(const model::Dockerfile& file, const model::Flag& flag, std::string_view name,
                     std::vector<engine::Edit>& edits) {
  std::string_view written = sourceOf(file, flag.range);
  const std::string prefix = "--mount=";
  if (written != prefix + flag.value) return;
  size_t at = 0;
  while (at <= flag.value.size()) {
    size_t comma = flag.value.find(',', at);
    std::string_view field = std::string_view(flag.value).substr(at, comma - at);
    size_t equals = field.find('=');
    if (equals != std::string_view::npos && text::lower(field.substr(0, equals)) == "from") {
      std::string_view value = field.substr(equals + 1);
      if (sameName(value, name) && value != text::lower(value)) {
        uint32_t begin = flag.range.begin + static_cast<uint32_t>(prefix.size() + at + equals + 1);
        edits.push_back({{begin, begin + static_cast<uint32_t>(value.size())}, text::lower(value)});
      }
    }
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
}

bool nameTakenElsewhere(const model::Dockerfile& file, const model::Stage& stage) {
  for (const model::Stage& other : file.stages) {
    if (other.index != stage.index && sameName(other.name, stage.name)) return true;
  }
  return false;
}

std::vector<engine::Edit> renameEdits(const model::Dockerfile& file, const model::Stage& stage) {
  const model::Instruction& from = file.instructions[stage.from];
  std::vector<engine::Edit> edits{{from.arguments[2].range, text::lower(stage.name)}};
  for (size_t i = 0; i < file.instructions.size(); ++i) {
    const model::Instruction& instruction = file.instructions[i];
    for (const model::Flag& flag : instruction.flags) {
      if (flag.name == "from" && instruction.is("copy")) renameFromFlag(file, flag, stage.name, edits);
      if (flag.name == "mount" && instruction.is("run")) renameMountFrom(file, flag, stage.name, edits);
    }
    // FROM names a stage only when that stage comes before it
    if (instruction.is("from") && i > stage.from && !instruction.arguments.empty()) {
      const model::Word& base = instruction.arguments[0];
      if (sameName(base.text, stage.name) && base.text != text::lower(base.text) &&
          base.range.end - base.range.begin == base.text.size()) {
        edits.push_back({base.range, text::lower(base.text)});
      }
    }
  }
  return edits;
}

}  // namespace

void stageNameCasing(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const model::Dockerfile& file = input.file;
  for (const model::Stage& stage : file.stages) {
    const model::Instruction& from = file.instructions[stage.from];
    if (from.arguments.size() != 3 || stage.name.empty()) continue;
    if (stage.name == text::lower(stage.name)) continue;
    if (!ruleEnabled(file, "StageNameCasing", false, &from)) continue;
    engine::Finding finding;
    finding.offset = from.arguments[2].range.begin;
    finding.message = fmt::format("Stage name '{}' should be lowercase", stage.name);
    if (nameTakenElsewhere(file, stage)) {
      finding.message += "; not renamed: another stage has the same name";
    } else {
      finding.edits = renameEdits(file, stage);
    }
    findings.push_back(std::move(finding));
  }
}

}  // namespace dfopt::transforms::buildkit
