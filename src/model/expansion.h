#pragma once
// Words expanded exactly as BuildKit's dispatch expands them (the port of
// its shell lexer in src/buildkit), with the names it found and missed.
#include <string_view>

#include "buildkit/word_expansion.h"

namespace dfopt::model {

using buildkit::Environment;
using buildkit::WordExpansion;

inline WordExpansion expandWord(std::string_view word, const Environment& environment, char escape) {
  return buildkit::processWordWithMatches(word, environment, escape);
}

}  // namespace dfopt::model
