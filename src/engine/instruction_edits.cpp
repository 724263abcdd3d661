#include "engine/instruction_edits.h"

#include "engine/style.h"

namespace dfopt::engine {

uint32_t blockStart(const model::Dockerfile& file, const model::Instruction& instruction) {
  uint32_t start = instruction.range.begin;
  if (!instruction.comments.empty()) start = instruction.comments.front().range.begin;
  return lineStart(file.source->bytes(), start);
}

uint32_t blockEnd(const model::Dockerfile& file, const model::Instruction& instruction) {
  const std::string& bytes = file.source->bytes();
  uint32_t end = instruction.range.end;
  if (end > 0 && bytes[end - 1] == '\n') return end;
  return nextLineStart(bytes, end > 0 ? end - 1 : 0);
}

Edit insertBefore(const model::Dockerfile& file, const model::Instruction& instruction, std::string lines) {
  uint32_t at = blockStart(file, instruction);
  return {{at, at}, std::move(lines)};
}

Edit insertAfter(const model::Dockerfile& file, const model::Instruction& instruction, std::string lines) {
  uint32_t at = blockEnd(file, instruction);
  const std::string& bytes = file.source->bytes();
  if (at == bytes.size() && !bytes.empty() && bytes.back() != '\n') {
    lines = Style(file).newline() + lines;
  }
  return {{at, at}, std::move(lines)};
}

Edit removeBlock(const model::Dockerfile& file, const model::Instruction& instruction) {
  return {{blockStart(file, instruction), blockEnd(file, instruction)}, ""};
}

std::string blockText(const model::Dockerfile& file, const model::Instruction& instruction) {
  uint32_t begin = blockStart(file, instruction);
  std::string text = file.source->bytes().substr(begin, blockEnd(file, instruction) - begin);
  if (text.empty() || text.back() != '\n') text += Style(file).newline();
  return text;
}

bool followsBlankLine(const model::Dockerfile& file, const model::Instruction& instruction) {
  std::string_view bytes = file.source->bytes();
  uint32_t begin = blockStart(file, instruction);
  return begin > 0 && isBlankLine(bytes, lineStart(bytes, begin - 1));
}

}  // namespace dfopt::engine
