#include "model/words.h"

#include <algorithm>

namespace dfopt::model {
namespace {

bool isSeparator(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }
bool isSpace(char c) { return isSeparator(c) || c == '\n'; }

size_t skipSpaces(std::string_view line, size_t at, size_t end) {
  while (at < end && isSpace(line[at])) ++at;
  return at;
}

Span trimmed(std::string_view line, Span span) {
  while (span.begin < span.end && isSpace(line[span.begin])) ++span.begin;
  while (span.end > span.begin && isSpace(line[span.end - 1])) --span.end;
  return span;
}

// End of a word that may contain quotes; the escape character protects the
// next character (outside single quotes when `singleQuotesLiteral`).
size_t quotedWordEnd(std::string_view line, size_t at, size_t end, char escape, bool singleQuotesLiteral) {
  char quote = 0;
  for (; at < end; ++at) {
    char c = line[at];
    if (quote == 0 && isSpace(c)) return at;
    if (c == escape && !(quote == '\'' && singleQuotesLiteral)) {
      ++at;
      continue;
    }
    if (quote == 0 && (c == '\'' || c == '"'))
      quote = c;
    else if (quote != 0 && c == quote)
      quote = 0;
  }
  return end;
}

}  // namespace

CommandSpans splitCommandSpans(std::string_view line, size_t from, char escape) {
  CommandSpans spans;
  Span all = trimmed(line, {from, line.size()});
  size_t at = all.begin;
  while (at < all.end && !isSeparator(line[at])) ++at;
  spans.keyword = {all.begin, at};
  for (;;) {
    at = skipSpaces(line, at, all.end);
    bool flag = at + 1 < all.end && line[at] == '-' && line[at + 1] == '-';
    if (!flag) break;
    size_t end = quotedWordEnd(line, at, all.end, escape, false);
    if (end - at == 2) {  // a lone `--` ends the flags and is dropped
      at = end;
      break;
    }
    spans.flags.push_back({at, end});
    at = end;
  }
  spans.rest = trimmed(line, {at, all.end});
  return spans;
}

std::vector<Span> whitespaceWordSpans(std::string_view line, Span within) {
  std::vector<Span> words;
  size_t at = within.begin;
  while (at < within.end) {
    while (at < within.end && isSeparator(line[at])) ++at;
    size_t start = at;
    while (at < within.end && !isSeparator(line[at])) ++at;
    if (at > start) words.push_back({start, at});
  }
  return words;
}

std::vector<Span> shellWordSpans(std::string_view line, Span within, char escape) {
  std::vector<Span> words;
  size_t at = skipSpaces(line, within.begin, within.end);
  while (at < within.end) {
    size_t end = quotedWordEnd(line, at, within.end, escape, true);
    words.push_back({at, end});
    at = skipSpaces(line, end, within.end);
  }
  return words;
}

std::vector<Span> jsonStringSpans(std::string_view line, Span within) {
  std::vector<Span> strings;
  for (size_t at = within.begin; at < within.end; ++at) {
    if (line[at] != '"') continue;
    size_t start = at++;
    while (at < within.end && line[at] != '"') {
      if (line[at] == '\\') ++at;
      ++at;
    }
    strings.push_back({start, std::min(at + 1, within.end)});
  }
  return strings;
}

}  // namespace dfopt::model
