#include "model/dockerfile.h"

namespace dfopt::model {

ByteRange LogicalLine::sourceRange(size_t begin, size_t end) const {
  if (offsets.empty()) return {};
  if (begin >= offsets.size()) return {offsets.back() + 1, offsets.back() + 1};
  if (end <= begin) return {offsets[begin], offsets[begin]};
  return {offsets[begin], offsets[end - 1] + 1};
}

const Flag* Instruction::flag(std::string_view name) const {
  for (const Flag& f : flags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const Directive* Dockerfile::directive(std::string_view name) const {
  for (const Directive& d : directives) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

}  // namespace dfopt::model
