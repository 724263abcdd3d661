#include "context/go_filepath.h"

#include <algorithm>

#include "util/go_text.h"

namespace dfopt::context {

// Go's filepath.Clean, element by element into the output: ".." takes back
// the last element written (a list of the kept elements cost 16 bytes an
// element, 80 MB for a path of 5,000,000 names).
std::string cleanGoPath(std::string_view path) {
  const bool rooted = !path.empty() && path.front() == '/';
  std::string out;
  out.reserve(path.size());
  size_t dotdot = 0;  // out[0, dotdot) is "/" or leading ".."s: what ".." cannot take back
  if (rooted) {
    out += '/';
    dotdot = 1;
  }
  for (size_t r = 0; r < path.size();) {
    size_t end = std::min(path.find('/', r), path.size());
    const std::string_view element = path.substr(r, end - r);
    r = end + 1;
    if (element.empty() || element == ".") continue;
    if (element == "..") {
      if (out.size() > dotdot) {
        size_t slash = out.find_last_of('/');
        out.resize(slash == std::string::npos || slash < dotdot ? dotdot : slash);
      } else if (!rooted) {
        if (!out.empty()) out += '/';
        out += "..";
        dotdot = out.size();
      }
      continue;
    }
    if (out.size() != (rooted ? 1 : 0)) out += '/';
    out += element;
  }
  return out.empty() ? "." : out;
}

namespace {

// One rune of a class (getEsc in Go's filepath.Match). Fails where Go
// reports ErrBadPattern, including when nothing follows it.
bool skipClassRune(std::string_view chunk, size_t& pos) {
  if (pos >= chunk.size() || chunk[pos] == '-' || chunk[pos] == ']') return false;
  if (chunk[pos] == '\\' && ++pos >= chunk.size()) return false;
  const golang::DecodedRune decoded = golang::decodeRune(chunk, pos);
  if (decoded.rune == golang::kRuneError && decoded.width == 1) return false;
  pos += decoded.width;
  return pos < chunk.size();
}

// After the '[': ranges up to the closing ']'.
bool skipClass(std::string_view chunk, size_t& pos) {
  if (pos < chunk.size() && chunk[pos] == '^') ++pos;
  for (int ranges = 0;; ++ranges) {
    if (pos < chunk.size() && chunk[pos] == ']' && ranges > 0) {
      ++pos;
      return true;
    }
    if (!skipClassRune(chunk, pos)) return false;
    if (chunk[pos] == '-' && !skipClassRune(chunk, ++pos)) return false;
  }
}

// matchChunk's syntax checks, which Go runs even once matching has failed.
bool isWellFormedChunk(std::string_view chunk) {
  for (size_t pos = 0; pos < chunk.size();) {
    const char c = chunk[pos++];
    if (c == '[' && !skipClass(chunk, pos)) return false;
    if (c == '\\' && pos++ >= chunk.size()) return false;
  }
  return true;
}

// scanChunk: a chunk runs to the next '*' outside a class.
std::string_view nextChunk(std::string_view& pattern) {
  while (!pattern.empty() && pattern.front() == '*') pattern.remove_prefix(1);
  bool inClass = false;
  size_t end = 0;
  for (; end < pattern.size(); ++end) {
    const char c = pattern[end];
    if (c == '\\' && end + 1 < pattern.size())
      ++end;
    else if (c == '[')
      inClass = true;
    else if (c == ']')
      inClass = false;
    else if (c == '*' && !inClass)
      break;
  }
  const std::string_view chunk = pattern.substr(0, end);
  pattern.remove_prefix(end);
  return chunk;
}

}  // namespace

bool isWellFormedGlob(std::string_view pattern) {
  while (!pattern.empty()) {
    if (!isWellFormedChunk(nextChunk(pattern))) return false;
  }
  return true;
}

}  // namespace dfopt::context
