#pragma once
// Bytes in, model out: the one entry point from text to a Dockerfile.
#include <optional>
#include <string>
#include <vector>

#include "model/dockerfile.h"

namespace dfopt::model {

struct Problem {
  uint32_t offset;
  std::string message;
};

struct ParseOutcome {
  std::shared_ptr<const syntax::SourceText> source;
  std::optional<Dockerfile> dockerfile;  // set when `errors` is empty
  std::vector<Problem> errors;
};

ParseOutcome parseDockerfile(std::string bytes);

}  // namespace dfopt::model
