#include "model/reuse.h"

#include <unordered_set>

namespace dfopt::model {
namespace {

void move(ByteRange& range, int64_t delta) {
  range.begin = static_cast<uint32_t>(range.begin + delta);
  range.end = static_cast<uint32_t>(range.end + delta);
}

}  // namespace

ReusableInstructions::ReusableInstructions(Dockerfile* previous) : previous_(previous) {
  if (!previous_) return;
  // An instruction with a warning (an empty continuation line) is read
  // again, which gives the warning at its new place.
  std::unordered_set<uint32_t> warned;
  for (const Warning& warning : previous_->warnings) warned.insert(warning.offset);
  byBytes_.reserve(previous_->instructions.size());
  for (size_t i = 0; i < previous_->instructions.size(); ++i) {
    const Instruction& instruction = previous_->instructions[i];
    if (warned.contains(instruction.range.begin)) continue;
    byBytes_.emplace(previous_->source->slice(instruction.range), i);
  }
}

std::optional<Instruction> ReusableInstructions::take(std::string_view bytes, uint32_t begin, char escape) {
  if (!previous_ || previous_->escape != escape) return std::nullopt;
  auto found = byBytes_.find(bytes);
  if (found == byBytes_.end()) return std::nullopt;
  Instruction instruction = std::move(previous_->instructions[found->second]);
  byBytes_.erase(found);
  const int64_t delta = static_cast<int64_t>(begin) - instruction.range.begin;
  // Derived from its own bytes at their offsets: moved with them.
  if (delta != 0) instruction.commandLine.moveBy(delta);
  moveInstruction(instruction, delta);
  instruction.comments.clear();
  return instruction;
}

void moveInstruction(Instruction& instruction, int64_t delta) {
  move(instruction.range, delta);
  move(instruction.lineRange, delta);
  move(instruction.keywordRange, delta);
  move(instruction.argumentsRange, delta);
  for (Flag& flag : instruction.flags) move(flag.range, delta);
  for (Word& word : instruction.arguments) move(word.range, delta);
  for (Heredoc& heredoc : instruction.heredocs) move(heredoc.range, delta);
  for (Comment& comment : instruction.comments) move(comment.range, delta);
  for (Comment& comment : instruction.innerComments) move(comment.range, delta);
  for (LogicalLine::Segment& segment : instruction.line.segments)
    segment.source = static_cast<uint32_t>(segment.source + delta);
  if (instruction.trigger) {
    auto trigger = std::make_shared<Instruction>(*instruction.trigger);
    moveInstruction(*trigger, delta);
    instruction.trigger = std::move(trigger);
  }
}

}  // namespace dfopt::model
