// Internal to the BuildKit port: the subset of shell/lex.go that parser.go
// uses to find heredoc words.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace dfopt::buildkit {

struct LexError {
  std::string message;
};

// Lex.ProcessWords with the lexer as parser.go configures it: the words, or an
// error (Go then also returns no words).
std::variant<std::vector<std::string>, LexError> processWords(std::string_view src, bool rawQuotes,
                                                              bool rawEscapes);

}  // namespace dfopt::buildkit
