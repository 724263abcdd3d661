#pragma once
// The instructions of an earlier model that a changed text repeats byte for
// byte. What an instruction is depends only on its bytes and the file's
// escape character (it starts a line, in the state every instruction starts
// in), so the model of a step's result takes those from the model before the
// step, moved to their new offsets, instead of reading them from the tree
// again: a step changes a few instructions and leaves the rest as they were.
// They are moved out of the earlier model, not copied: the pipeline drops
// that model once the new one is built.
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "model/dockerfile.h"

namespace dfopt::model {

class ReusableInstructions {
 public:
  // `previous` (may be null: nothing to reuse) must outlive this object.
  explicit ReusableInstructions(Dockerfile* previous);

  // An earlier instruction written exactly as `bytes`, taken out of the
  // earlier model and moved so that it starts at `begin`, with no comments
  // above it (its new place decides those) and its positions left for the
  // caller to set; nullopt when there is none (left: one with the same
  // bytes was taken already), or the escape character differs.
  std::optional<Instruction> take(std::string_view bytes, uint32_t begin, char escape);

 private:
  Dockerfile* previous_;
  std::unordered_map<std::string_view, size_t> byBytes_;  // into previous_'s source
};

// Adds `delta` to every byte offset of the instruction (and of ONBUILD's
// trigger, which is copied, not shared).
void moveInstruction(Instruction& instruction, int64_t delta);

}  // namespace dfopt::model
