#pragma once
// Edits transforms make again and again, in the file's own style: insert
// lines before an instruction, remove an instruction, move one (with the
// comments attached to it), append to the end of the file.
#include <string>
#include <string_view>

#include "engine/edit.h"
#include "model/dockerfile.h"

namespace dfopt::engine {

// Where an instruction's block starts: its first attached comment line, or
// its own line (indentation included).
uint32_t blockStart(const model::Dockerfile& file, const model::Instruction& instruction);
// Just past the newline that ends the instruction (heredocs included).
uint32_t blockEnd(const model::Dockerfile& file, const model::Instruction& instruction);

// Inserts `lines` (each ending in the file's newline) before the
// instruction and its attached comments.
Edit insertBefore(const model::Dockerfile& file, const model::Instruction& instruction, std::string lines);
// Inserts `lines` right after the instruction.
Edit insertAfter(const model::Dockerfile& file, const model::Instruction& instruction, std::string lines);
// Removes the instruction with its attached comments.
Edit removeBlock(const model::Dockerfile& file, const model::Instruction& instruction);
// The instruction's text with its attached comments, as written.
std::string blockText(const model::Dockerfile& file, const model::Instruction& instruction);
// Is there a blank line right above the instruction's block (a paragraph of
// its own)?
bool followsBlankLine(const model::Dockerfile& file, const model::Instruction& instruction);

}  // namespace dfopt::engine
