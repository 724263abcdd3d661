#pragma once
// ARG and ENV values known at a point of a Dockerfile, and expanding
// $VAR / ${VAR} / ${VAR:-default} in words with them.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/dockerfile.h"

namespace dfopt::model {

// name -> value; a name mapped to nothing has no known value (ARG without
// a default).
using Variables = std::map<std::string, std::optional<std::string>, std::less<>>;

// The ARG and ENV values in scope just before instruction `index`: those
// of its stage, plus global ARGs (before the first FROM) the stage
// redeclares without a value.
Variables variablesBefore(const Dockerfile& file, size_t index);

// variablesBefore for instruction after instruction: it applies each
// declaration once as the index grows (asking variablesBefore for every
// instruction is quadratic in a file of many ENVs). An index below the last
// one asked starts its stage again.
class VariablesWalk {
 public:
  explicit VariablesWalk(const Dockerfile& file);
  const Variables& before(size_t index);

 private:
  const Dockerfile& file_;
  Variables globals_;  // the ARGs before the first FROM
  size_t firstFrom_ = 0;
  const Stage* stage_ = nullptr;
  size_t applied_ = 0;  // how many of the stage's declarations are in variables_
  size_t last_ = 0;     // the last index asked
  Variables variables_;
};

// Expands every variable in `word`; nothing when one has no known value.
std::optional<std::string> expandVariables(std::string_view word, const Variables& variables);

bool hasVariable(std::string_view word);

// The names of the variables a word refers to ($NAME, ${NAME...}), in order.
std::vector<std::string> variableNames(std::string_view word);

// ENV/LABEL/ARG value as the builder will see it: surrounding quotes removed.
std::string unquoteValue(std::string_view value);

}  // namespace dfopt::model
