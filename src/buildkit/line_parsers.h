// Internal to the BuildKit port: what instruction_parser.cpp (parser.go),
// line_parsers.cpp (line_parsers.go) and split_command.cpp (split_command.go)
// share.
#pragma once

#include <string_view>
#include <variant>
#include <vector>

#include "buildkit/instruction_parser.h"
#include "util/go_text.h"

namespace dfopt::buildkit {

// A parse function's result: the Next chain (as a list), the json attribute,
// and the nested instruction of ONBUILD.
struct Parsed {
  std::vector<Node> next;
  bool json = false;
  std::vector<Node> children;
};
using ParseResult = std::variant<Parsed, ParseError>;

// The word-splitting states of line_parsers.go, also used by split_command.go.
enum class Phase { InSpaces, InWord, InQuote };

// unicode.IsSpace(rune(b)) for a single byte: 0x85 and 0xA0 count too.
inline bool isSpaceByte(char c) { return golang::isSpace(static_cast<unsigned char>(c)); }

// The parse functions that dispatch (parser.go) picks by instruction.
ParseResult parseIgnore(std::string_view rest);
ParseResult parseNameVal(std::string_view rest, const char* key, char escape);
ParseResult parseNameOrNameVal(std::string_view rest, char escape);
ParseResult parseStringsWhitespaceDelimited(std::string_view rest);
ParseResult parseString(std::string_view rest);
ParseResult parseMaybeJSON(std::string_view rest);
ParseResult parseMaybeJSONToList(std::string_view rest);
ParseResult parseHealthConfig(std::string_view rest);
ParseResult parseSubCommand(std::string_view rest, char escape);

}  // namespace dfopt::buildkit
