#include "engine/input_index.h"

#include <algorithm>
#include <functional>

#include "model/queries.h"

namespace dfopt::engine {
namespace {

size_t hashOf(std::string_view text) { return std::hash<std::string_view>{}(text); }

}  // namespace

bool InputInstruction::same(const model::Instruction& other) const {
  return command == other.command && argumentsHash == hashOf(other.argumentsText());
}

bool InputInstruction::sameArguments(const model::Instruction& other) const {
  return hasArguments && argumentsHash == hashOf(other.argumentsText());
}

bool InputInstruction::similar(const model::Instruction& other) const {
  return command == other.command && hasArguments && !other.arguments.empty() &&
         firstArgumentHash == hashOf(other.arguments[0].text) && hasFlags == !other.flags.empty();
}

InputIndex::InputIndex(const model::Dockerfile& input) {
  instructions_.reserve(input.instructions.size());
  for (size_t i = 0; i < input.instructions.size(); ++i) {
    const model::Instruction& instruction = input.instructions[i];
    InputInstruction& kept = instructions_.emplace_back();
    kept.command = instruction.command;
    kept.range = instruction.range;
    kept.keyword = instruction.keywordRange.begin;
    kept.argumentsHash = hashOf(instruction.argumentsText());
    kept.hasArguments = !instruction.arguments.empty();
    if (kept.hasArguments) kept.firstArgumentHash = hashOf(instruction.arguments[0].text);
    kept.hasFlags = !instruction.flags.empty();
    if (const model::Stage* stage = model::stageOf(input, i)) {
      kept.stage = static_cast<uint32_t>(stage->index);
      kept.stageFrom = static_cast<uint32_t>(stage->from);
    }
  }
}

std::optional<size_t> InputIndex::instructionAt(uint32_t offset) const {
  if (instructions_.empty() || offset < instructions_[0].range.begin) return std::nullopt;
  size_t index = instructionBefore(offset);
  return offset < instructions_[index].range.end ? std::optional<size_t>(index) : std::nullopt;
}

size_t InputIndex::instructionBefore(uint32_t offset) const {
  auto after = std::upper_bound(instructions_.begin(), instructions_.end(), offset,
                                [](uint32_t at, const InputInstruction& i) { return at < i.range.begin; });
  return after == instructions_.begin() ? 0 : static_cast<size_t>(std::prev(after) - instructions_.begin());
}

}  // namespace dfopt::engine
