#pragma once
// What the pipeline keeps of its input's model to map findings back to the
// input and find the ignores that silence them: each instruction's place,
// command, stage and (hashed) text. The input's model itself goes once a
// step changes the text, as a second model would double the memory a large
// file takes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/dockerfile.h"

namespace dfopt::engine {

// Packed: a file may have a hundred thousand instructions.
struct InputInstruction {
  static constexpr uint32_t kNoStage = UINT32_MAX;

  std::string command;  // lower case
  syntax::ByteRange range;
  uint32_t keyword = 0;           // where its keyword starts
  uint32_t stage = kNoStage;      // the index of its stage; kNoStage before the first FROM
  uint32_t stageFrom = kNoStage;  // and of that stage's FROM
  size_t argumentsHash = 0;       // of argumentsText()
  size_t firstArgumentHash = 0;   // of arguments[0].text, when it has arguments
  bool hasArguments = false;
  bool hasFlags = false;

  bool is(std::string_view lowerCaseCommand) const { return command == lowerCaseCommand; }
  // The same command and text (an instruction a step moved).
  bool same(const model::Instruction& other) const;
  // The same text under another command (an ADD a step made a COPY).
  bool sameArguments(const model::Instruction& other) const;
  // The same command on the same first argument, both with flags or both
  // without (a COPY of the same source to another place).
  bool similar(const model::Instruction& other) const;
};

class InputIndex {
 public:
  InputIndex() = default;  // of an input that did not parse
  explicit InputIndex(const model::Dockerfile& input);

  const std::vector<InputInstruction>& instructions() const { return instructions_; }
  // The instruction whose range holds `offset`.
  std::optional<size_t> instructionAt(uint32_t offset) const;
  // The last instruction starting at or before `offset` (the first when none does).
  size_t instructionBefore(uint32_t offset) const;

 private:
  std::vector<InputInstruction> instructions_;
};

}  // namespace dfopt::engine
