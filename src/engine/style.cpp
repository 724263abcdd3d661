#include "engine/style.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace dfopt::engine {
namespace {

bool isLowerCase(std::string_view word) {
  return std::none_of(word.begin(), word.end(), [](unsigned char c) { return std::isupper(c); });
}

bool usesBuildkitSyntax(const model::Instruction& instruction) {
  if (!instruction.heredocs.empty()) return true;
  for (const model::Flag& flag : instruction.flags) {
    if (flag.name == "mount" || flag.name == "link" || flag.name == "network" || flag.name == "security" ||
        flag.name == "parents" || flag.name == "exclude" || flag.name == "chmod" || flag.name == "checksum" ||
        flag.name == "keep-git-dir") {
      return true;
    }
  }
  return false;
}

}  // namespace

Style::Style(const model::Dockerfile& file) {
  if (file.crlf) newline_ = "\r\n";
  size_t lower = 0;
  for (const model::Instruction& instruction : file.instructions) {
    lower += isLowerCase(instruction.keyword);
    buildkit_ = buildkit_ || usesBuildkitSyntax(instruction);
  }
  lowerCase_ = lower * 2 > file.instructions.size();
  buildkit_ = buildkit_ || file.directive("syntax") != nullptr;
}

std::string Style::keyword(std::string_view upperCase) const {
  return lowerCase_ ? text::lower(upperCase) : std::string(upperCase);
}

std::string Style::line(std::string_view upperCaseKeyword, std::string_view rest) const {
  std::string out = keyword(upperCaseKeyword);
  if (!rest.empty()) {
    out += ' ';
    out += rest;
  }
  out += newline_;
  return out;
}

std::string Style::indentationAt(const model::Dockerfile& file, uint32_t offset) const {
  const std::string& bytes = file.source->bytes();
  uint32_t begin = lineStart(bytes, offset);
  uint32_t end = begin;
  while (end < bytes.size() && (bytes[end] == ' ' || bytes[end] == '\t')) ++end;
  return bytes.substr(begin, end - begin);
}

uint32_t lineStart(std::string_view text, uint32_t offset) {
  const void* newline = memrchr(text.data(), '\n', offset);
  return newline == nullptr ? 0 : static_cast<uint32_t>(static_cast<const char*>(newline) - text.data()) + 1;
}

uint32_t nextLineStart(std::string_view text, uint32_t offset) {
  size_t newline = text.find('\n', offset);
  return newline == std::string_view::npos ? static_cast<uint32_t>(text.size())
                                           : static_cast<uint32_t>(newline + 1);
}

bool isBlankLine(std::string_view text, uint32_t lineBegin) {
  if (lineBegin >= text.size()) return false;
  uint32_t end = nextLineStart(text, lineBegin);
  return std::all_of(text.begin() + lineBegin, text.begin() + end,
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

}  // namespace dfopt::engine
