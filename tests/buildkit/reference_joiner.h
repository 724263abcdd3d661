// Test oracle: a plain port of the line loop of BuildKit's parser.Parse
// (frontend/dockerfile/parser/parser.go + directives.go): BOM, parser
// directives (escape), comments, line continuations, empty continuation
// lines, heredoc bodies. Each logical line goes through parseInstructionLine.
// Not product code; it exists to check the instruction parser against
// BuildKit's own test data.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "buildkit/instruction_parser.h"

namespace dfopt::buildkit::reference {

struct JoinedHeredoc {
  HeredocWord word;
  std::string content;  // raw body lines, each with its line ending
};

struct JoinedInstruction {
  std::string line;  // the logical line given to newNodeFromLine
  Node node;
  int startLine = 0;  // 1-based, as BuildKit's StartLine/EndLine
  int endLine = 0;
  std::vector<JoinedHeredoc> heredocs;
};

struct JoinResult {
  std::vector<JoinedInstruction> instructions;
  std::vector<std::string> warnings;  // Warning.Short texts
  char escape = '\\';
  std::optional<std::string> error;  // parser.Parse error message (without location)
};

JoinResult joinDockerfile(std::string_view content);

// result.AST.Dump() + "\n": one "(" + dump + ")" line per instruction.
std::string dumpAll(const JoinResult& result);

}  // namespace dfopt::buildkit::reference
