#pragma once
// The bytes of a Dockerfile and the arithmetic between byte offsets and
// line:column positions.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dfopt::syntax {

struct ByteRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - begin; }
  bool contains(uint32_t offset) const { return offset >= begin && offset < end; }
  bool operator==(const ByteRange&) const = default;
};

// A change of a text: the bytes `range` of the old text became `size` bytes
// of the new one.
struct TextChange {
  ByteRange range;
  uint32_t size = 0;
};

// 1-based line; 1-based column counted in Unicode code points.
struct Position {
  uint32_t line = 1;
  uint32_t column = 1;
};

class SourceText {
 public:
  explicit SourceText(std::string bytes);

  const std::string& bytes() const { return bytes_; }
  std::string_view slice(ByteRange range) const;
  Position position(uint32_t offset) const;
  uint32_t lineOf(uint32_t offset) const;  // 1-based
  uint32_t lineCount() const { return static_cast<uint32_t>(lineStarts_.size()); }
  uint32_t lineStart(uint32_t line) const { return lineStarts_.at(line - 1); }

 private:
  std::string bytes_;
  std::vector<uint32_t> lineStarts_;
};

// Why the bytes cannot be a Dockerfile at all (binary data, bad UTF-8),
// with the offset of the first bad byte; nothing when they are text.
struct EncodingProblem {
  uint32_t offset;
  std::string message;
};
std::optional<EncodingProblem> findEncodingProblem(std::string_view bytes);

}  // namespace dfopt::syntax
