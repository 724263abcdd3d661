// Port of BuildKit's Lex.ProcessWordWithMatches (frontend/dockerfile/shell/
// lex.go): one word with its variables expanded from an environment, and
// which variable names were found in it and which were not.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace dfopt::buildkit {

// name -> value; a value of nullopt is set, but to something not known here.
using Environment = std::map<std::string, std::optional<std::string>, std::less<>>;

struct WordExpansion {
  bool error = false;                            // BuildKit fails on this word (bad substitution, `${X?}`...)
  std::optional<std::string> result;             // nothing when it depends on an unknown value or on a
                                                 // pattern operator (`%`, `#`, `/`) not ported here
  std::set<std::string, std::less<>> matched;    // names found in the environment
  std::set<std::string, std::less<>> unmatched;  // names looked up and not found
};

// Quotes are processed and `escape` escapes, as ProcessWordWithMatches does
// with the Dockerfile's escape token; an unset variable expands to "".
WordExpansion processWordWithMatches(std::string_view word, const Environment& environment, char escape);

}  // namespace dfopt::buildkit
