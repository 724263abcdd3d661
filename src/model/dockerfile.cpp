#include "model/dockerfile.h"

#include <algorithm>
#include <iterator>

namespace dfopt::model {

void LogicalLine::append(char byte, uint32_t source) { append(std::string_view(&byte, 1), source); }

void LogicalLine::append(std::string_view bytes, uint32_t source) {
  if (bytes.empty()) return;
  bool continues =
      !segments.empty() && source == segments.back().source + (text.size() - segments.back().logical);
  if (!continues) segments.push_back({static_cast<uint32_t>(text.size()), source});
  text += bytes;
}

void LogicalLine::truncate(size_t size) {
  if (size >= text.size()) return;
  text.resize(size);
  while (!segments.empty() && segments.back().logical >= size) segments.pop_back();
}

static std::vector<LogicalLine::Segment>::const_iterator segmentOf(
    const std::vector<LogicalLine::Segment>& segments, size_t logical) {
  auto after =
      std::upper_bound(segments.begin(), segments.end(), logical,
                       [](size_t value, const LogicalLine::Segment& s) { return value < s.logical; });
  return std::prev(after);
}

uint32_t LogicalLine::sourceOffset(size_t logical) const {
  auto segment = segmentOf(segments, logical);
  return segment->source + static_cast<uint32_t>(logical - segment->logical);
}

size_t LogicalLine::runEnd(size_t logical) const {
  auto next = std::next(segmentOf(segments, logical));
  return next == segments.end() ? text.size() : next->logical;
}

size_t LogicalLine::logicalIndex(uint32_t source) const {
  auto after = std::upper_bound(segments.begin(), segments.end(), source,
                                [](uint32_t value, const Segment& s) { return value < s.source; });
  if (after == segments.begin()) return text.size();
  auto segment = std::prev(after);
  size_t end = std::next(segment) == segments.end() ? text.size() : std::next(segment)->logical;
  size_t logical = segment->logical + (source - segment->source);
  return logical < end ? logical : text.size();
}

ByteRange LogicalLine::sourceRange(size_t begin, size_t end) const {
  if (text.empty()) return {};
  if (begin >= text.size()) {
    uint32_t after = sourceOffset(text.size() - 1) + 1;
    return {after, after};
  }
  uint32_t first = sourceOffset(begin);
  if (end <= begin) return {first, first};
  return {first, sourceOffset(std::min(end, text.size()) - 1) + 1};
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

void Dockerfile::clearDerived() const {
  effects.clear();
  stageNames.clear();
}

}  // namespace dfopt::model
