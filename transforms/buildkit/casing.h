#pragma once
// Keyword casing as BuildKit judges it (validations.go).
#include <string_view>

#include "model/dockerfile.h"
#include "util/text.h"

namespace dfopt::transforms::buildkit {

inline bool isLowerCase(std::string_view word) { return text::lower(word) == word; }
inline bool isUpperCase(std::string_view word) { return text::upper(word) == word; }

// validateCommandCasing: do lower-case keywords outnumber upper-case ones?
// Only stages count (not the ARGs before the first FROM), and mixed-case
// keywords count for neither side; a tie goes to upper case.
bool majorityLowerCase(const model::Dockerfile& file);

// The keyword in the case ConsistentInstructionCasing asks for.
std::string keywordInMajorityCase(const model::Dockerfile& file, std::string_view keyword);

}  // namespace dfopt::transforms::buildkit
