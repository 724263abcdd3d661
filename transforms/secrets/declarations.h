#pragma once
// The variables an ARG or ENV instruction declares, each with the edit
// that removes it alone.
#include <optional>
#include <string>
#include <vector>

#include "engine/edit.h"
#include "model/dockerfile.h"

namespace dfopt::transforms::secrets {

struct Declaration {
  size_t instruction = 0;  // index in Dockerfile::instructions
  std::string kind;        // "ARG" or "ENV", as BuildKit names them
  std::string name;
  std::optional<std::string> value;  // quotes removed; nothing for an ARG without a default
  // Removes this declaration and nothing else; nothing when the words of
  // the instruction do not line up with its declarations.
  std::optional<engine::Edit> removal;
};

// The declarations of instruction `index` (an ARG or ENV), in order.
std::vector<Declaration> declarationsOf(const model::Dockerfile& file, size_t index);

}  // namespace dfopt::transforms::secrets
