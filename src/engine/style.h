#pragma once
// The house style of a Dockerfile, so inserted lines look like their
// neighbours: line endings, keyword case, indentation.
#include <string>
#include <string_view>

#include "model/dockerfile.h"

namespace dfopt::engine {

class Style {
 public:
  explicit Style(const model::Dockerfile& file);

  const std::string& newline() const { return newline_; }
  // `KEYWORD` in the file's case ("COPY" or "copy").
  std::string keyword(std::string_view upperCase) const;
  // A full line: keyword in the file's case, the rest, the file's newline.
  std::string line(std::string_view upperCaseKeyword, std::string_view rest) const;
  // The indentation of the line holding `offset`.
  std::string indentationAt(const model::Dockerfile& file, uint32_t offset) const;
  // Does the file already use BuildKit-only syntax (or ask for it with a
  // `# syntax=` directive)? Only then may rewrites use heredocs, --link, --mount.
  bool buildkitAllowed() const { return buildkit_; }

 private:
  std::string newline_ = "\n";
  bool lowerCase_ = false;
  bool buildkit_ = false;
};

// Offset of the start of the line holding `offset`.
uint32_t lineStart(std::string_view text, uint32_t offset);
// Offset just past the newline ending the line holding `offset` (or the end).
uint32_t nextLineStart(std::string_view text, uint32_t offset);
// Is the line starting at `lineBegin` blank (only spaces, tabs, CR)? False
// at the end of the text, where there is no line.
bool isBlankLine(std::string_view text, uint32_t lineBegin);

}  // namespace dfopt::engine
