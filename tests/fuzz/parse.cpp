// The parser and the model: any bytes give a model or errors, never a
// crash, and every range of the model lies inside the source; the grammar's
// scanner alone outlines the input as tree-sitter's tree does, or leaves it
// to tree-sitter, as it must every input tree-sitter finds an error in; the
// input parsed again after a change, where it changed, gives the tree a
// whole parse gives, the scanner's outline read again there the outline a
// whole read gives, and the model built from the earlier model the same
// model, with the same commands (engine::commandLineOf) in its instructions.
#include <cstdint>
#include <string>

#include "check.h"
#include "engine/source_commands.h"
#include "model/dump.h"
#include "model/parse.h"
#include "model/queries.h"
#include "syntax/outline.h"
#include "syntax/syntax_tree.h"

using namespace dfopt;

namespace {

bool inside(const model::ByteRange& range, size_t size) {
  return range.begin <= range.end && range.end <= size;
}

void checkInstruction(const model::Instruction& instruction, size_t size) {
  fuzz::require(inside(instruction.range, size), "an instruction's range lies in the source");
  fuzz::require(inside(instruction.lineRange, size), "an instruction's line range lies in the source");
  for (const model::Word& word : instruction.arguments)
    fuzz::require(inside(word.range, size), "a word's range lies in the source");
  for (const model::Flag& flag : instruction.flags)
    fuzz::require(inside(flag.range, size), "a flag's range lies in the source");
  for (const model::Heredoc& heredoc : instruction.heredocs)
    fuzz::require(inside(heredoc.range, size), "a heredoc's range lies in the source");
  for (size_t i = 0; i < instruction.line.text.size(); ++i)
    fuzz::require(instruction.line.sourceOffset(i) < size, "a logical line's bytes lie in the source");
  if (instruction.trigger) checkInstruction(*instruction.trigger, size);
}

void checkOutline(std::string_view input) {
  if (syntax::findEncodingProblem(input)) return;
  std::optional<syntax::Outline> read = syntax::readOutline(input);
  if (!read) return;
  syntax::SyntaxTree tree = syntax::SyntaxTree::parse(std::string(input));
  fuzz::require(tree.ok(), "the scanner alone outlines only a text tree-sitter parses without errors");
  fuzz::require(!syntax::firstDifference(*read, syntax::outlineOf(tree)),
                "the scanner alone outlines a text as tree-sitter's tree does");
}

// The change, chosen by the input's hash, turns an earlier text (the input
// with a part cut out and a snippet in its place) into the input.
void checkReparse(std::string_view input) {
  static const char* const kSnippets[] = {"", "RUN a\n", "\\\n", "<<EOF\n", "# escape=`\n", "EOF\n", "\""};
  size_t hash = std::hash<std::string_view>{}(input);
  auto begin = static_cast<uint32_t>(hash % (input.size() + 1));
  auto end = static_cast<uint32_t>(begin + (hash >> 20) % (input.size() - begin + 1));
  std::string_view snippet = kSnippets[(hash >> 40) % std::size(kSnippets)];
  std::string before = std::string(input.substr(0, begin)).append(snippet).append(input.substr(end));
  if (syntax::findEncodingProblem(before) || syntax::findEncodingProblem(input)) return;
  syntax::SyntaxTree previous = syntax::SyntaxTree::parse(before);
  syntax::TextChange change{{begin, begin + static_cast<uint32_t>(snippet.size())}, end - begin};
  syntax::SyntaxTree again = syntax::SyntaxTree::reparse(std::string(input), previous, {change});
  fuzz::require(!syntax::firstDifference(again, syntax::SyntaxTree::parse(std::string(input))),
                "a reparse equals a whole parse");
  // the scanner's outline read again where it changed equals one read whole
  if (std::optional<syntax::Outline> read = syntax::readOutline(before)) {
    std::optional<syntax::Outline> readAgain = syntax::readOutlineAgain(input, *read, {change});
    std::optional<syntax::Outline> whole = syntax::readOutline(input);
    fuzz::require(readAgain.has_value() == whole.has_value() && (!whole || *readAgain == *whole),
                  "an outline read again where the text changed equals one read whole");
  }
  // and the model that takes the earlier model's unchanged instructions
  // equals the model built from nothing
  model::ParseOutcome earlier = model::parseDockerfileKeepingTree(before);
  if (!earlier.dockerfile) return;
  // its commands read first: an instruction taken over keeps them only
  // where they are still true
  for (const model::Instruction& instruction : earlier.dockerfile->instructions)
    engine::commandLineOf(instruction);
  model::ParseOutcome reused = model::parseDockerfileKeepingTree(
      std::string(input), {earlier.tree.get(), earlier.outline.get(), {change}, &*earlier.dockerfile});
  model::ParseOutcome whole = model::parseDockerfile(std::string(input));
  fuzz::require(reused.dockerfile.has_value() == whole.dockerfile.has_value() &&
                    reused.errors.size() == whole.errors.size(),
                "a model built from the earlier one parses as a whole parse does");
  if (!whole.dockerfile) return;
  fuzz::require(model::jsonDump(*reused.dockerfile) == model::jsonDump(*whole.dockerfile),
                "a model built from the earlier one equals one built from nothing");
  for (size_t i = 0; i < whole.dockerfile->instructions.size(); ++i)
    fuzz::require(engine::describe(engine::commandLineOf(reused.dockerfile->instructions[i])) ==
                      engine::describe(engine::commandLineOf(whole.dockerfile->instructions[i])),
                  "an instruction taken over from the earlier model has the commands of one read anew");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  checkOutline(std::string_view(reinterpret_cast<const char*>(data), size));
  checkReparse(std::string_view(reinterpret_cast<const char*>(data), size));
  model::ParseOutcome parsed = model::parseDockerfile(std::string(reinterpret_cast<const char*>(data), size));
  if (!parsed.dockerfile) {
    fuzz::require(!parsed.errors.empty(), "a file that does not parse has an error");
    for (const model::Problem& problem : parsed.errors)
      fuzz::require(problem.offset <= size, "an error's offset lies in the source");
    return 0;
  }
  const model::Dockerfile& file = *parsed.dockerfile;
  uint32_t previousEnd = 0;
  for (const model::Instruction& instruction : file.instructions) {
    checkInstruction(instruction, size);
    fuzz::require(instruction.range.begin >= previousEnd, "instructions are in order and do not overlap");
    previousEnd = instruction.range.end;
  }
  for (const model::Comment& comment : file.comments)
    fuzz::require(inside(comment.range, size), "a comment's range lies in the source");
  for (size_t i = 0; i < file.stages.size(); ++i) {
    const model::Stage& stage = file.stages[i];
    fuzz::require(stage.from < stage.end && stage.end <= file.instructions.size(),
                  "a stage is a non-empty run of instructions");
    fuzz::require(model::stageOf(file, stage.from) == &stage, "a stage's FROM belongs to it");
  }
  model::buildkitDump(file);
  model::jsonDump(file);
  return 0;
}
