#pragma once
// Where BuildKit's words lie in a joined instruction line: the same splitting
// rules as src/buildkit, reporting spans (logical offsets) instead of text.
#include <string_view>
#include <vector>

namespace dfopt::model {

struct Span {
  size_t begin = 0;
  size_t end = 0;
};

// The keyword span and the `--flag` spans that follow it, like
// splitCommand + extractBuilderFlags; `rest` is where the arguments start.
struct CommandSpans {
  Span keyword;
  std::vector<Span> flags;
  Span rest;  // trimmed like BuildKit's args
};
CommandSpans splitCommandSpans(std::string_view line, size_t from, char escape);

// Runs of non-whitespace (`[\t\v\f\r ]+` separates them).
std::vector<Span> whitespaceWordSpans(std::string_view line, Span within);
// parseWords: words separated by blanks outside quotes.
std::vector<Span> shellWordSpans(std::string_view line, Span within, char escape);
// The string literals of a JSON array.
std::vector<Span> jsonStringSpans(std::string_view line, Span within);

}  // namespace dfopt::model
