#include "engine/line_mention.h"

#include <charconv>

namespace dfopt::engine {
namespace {

// A mention is the offset in decimal between two NUL bytes: a Dockerfile
// holds no NUL (it is read as binary), so no text a message quotes does.
constexpr char kMark = '\0';

}  // namespace

std::string lineMention(uint32_t offset) { return kMark + std::to_string(offset) + kMark; }

std::string writeLineMentions(std::string_view message, const std::function<uint32_t(uint32_t)>& lineOf) {
  if (message.find(kMark) == std::string_view::npos) return std::string(message);
  std::string out;
  size_t at = 0;
  for (size_t open; (open = message.find(kMark, at)) != std::string_view::npos;) {
    size_t close = message.find(kMark, open + 1);
    if (close == std::string_view::npos) break;
    std::string_view digits = message.substr(open + 1, close - open - 1);
    uint32_t offset = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
      out.append(message.substr(at, open + 1 - at));  // a stray mark: kept, and read on after it
      at = open + 1;
      continue;
    }
    out.append(message.substr(at, open - at));
    out += std::to_string(lineOf(offset));
    at = close + 1;
  }
  out.append(message.substr(at));
  return out;
}

std::string writeLineMentions(std::string_view message, const model::Dockerfile& file) {
  return writeLineMentions(message, [&](uint32_t offset) { return file.position(offset).line; });
}

}  // namespace dfopt::engine
