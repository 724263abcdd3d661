#include "transforms/secrets/declarations.h"

#include "engine/instruction_edits.h"
#include "engine/style.h"
#include "model/variables.h"

namespace dfopt::transforms::secrets {
namespace {

struct NameValue {
  std::string name;
  std::optional<std::string> value;
};

std::vector<NameValue> namesAndValues(const model::Instruction& instruction) {
  std::vector<NameValue> out;
  const auto& parts = instruction.buildkit.next;
  if (instruction.is("arg")) {
    for (const auto& part : parts) {
      size_t equals = part.value.find('=');
      if (equals == std::string::npos) {
        out.push_back({part.value, std::nullopt});
      } else {
        out.push_back({part.value.substr(0, equals), model::unquoteValue(part.value.substr(equals + 1))});
      }
    }
  } else {
    for (size_t i = 0; i + 1 < parts.size(); i += 3) {
      out.push_back({parts[i].value, model::unquoteValue(parts[i + 1].value)});
    }
  }
  return out;
}

// Removes word `k` of a key=value list with the blank that separates it
// from its neighbour, so `ENV A=1 B=2` loses `B=2` and keeps its layout.
engine::Edit removeWord(const std::vector<model::Word>& words, size_t k) {
  if (k + 1 < words.size()) return {{words[k].range.begin, words[k + 1].range.begin}, ""};
  return {{words[k - 1].range.end, words[k].range.end}, ""};
}

}  // namespace

std::vector<Declaration> declarationsOf(const model::Dockerfile& file, size_t index) {
  const model::Instruction& instruction = file.instructions[index];
  std::vector<NameValue> pairs = namesAndValues(instruction);
  std::vector<Declaration> out;
  for (size_t k = 0; k < pairs.size(); ++k) {
    Declaration declaration;
    declaration.instruction = index;
    declaration.kind = instruction.is("arg") ? "ARG" : "ENV";
    declaration.name = pairs[k].name;
    declaration.value = pairs[k].value;
    if (pairs.size() == 1) {
      // The instruction's own lines: the author's comment lines above it stay.
      uint32_t begin = engine::lineStart(file.source->bytes(), instruction.range.begin);
      declaration.removal = {{begin, engine::blockEnd(file, instruction)}, ""};
    } else if (instruction.arguments.size() == pairs.size()) {
      declaration.removal = removeWord(instruction.arguments, k);
    }
    out.push_back(std::move(declaration));
  }
  return out;
}

}  // namespace dfopt::transforms::secrets
