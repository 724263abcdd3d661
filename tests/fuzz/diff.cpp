// The diff printer: the diff of two texts (the input split at its first
// NUL byte), applied to the first as `patch` applies a unified diff, gives
// the second, with and without context lines, and for a new file. The real
// `git apply` of `dfopt diff` is checked over the corpora by the normal suite
// (tests/print/test_diff_apply.cpp).
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "check.h"
#include "print/unified_diff.h"

using namespace dfopt;

namespace {

// Lines with their '\n' (the last may have none).
std::vector<std::string> linesOf(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return lines;
}

size_t number(std::string_view& text) {
  size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  fuzz::require(error == std::errc(), "a hunk header holds numbers");
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  return value;
}

// "start[,count]" after '-' or '+'.
std::pair<size_t, size_t> range(std::string_view& text) {
  size_t start = number(text);
  size_t count = 1;
  if (!text.empty() && text[0] == ',') {
    text.remove_prefix(1);
    count = number(text);
  }
  return {start, count};
}

// Applies the hunks of `diff` to `before`, checking their counts.
std::string apply(std::string_view diff, std::string_view before) {
  std::vector<std::string> lines = linesOf(diff), old = linesOf(before);
  std::string out;
  size_t next = 0;  // the next line of `old` not yet copied
  size_t i = 0;
  while (i < lines.size() && lines[i].rfind("@@ -", 0) != 0) ++i;
  while (i < lines.size()) {
    std::string_view header = lines[i++];
    fuzz::require(header.rfind("@@ -", 0) == 0, "a hunk starts with its header");
    header.remove_prefix(4);
    auto [oldStart, oldCount] = range(header);
    fuzz::require(header.rfind(" +", 0) == 0, "a hunk header names both ranges");
    header.remove_prefix(2);
    auto [newStart, newCount] = range(header);
    fuzz::require(header == " @@\n", "a hunk header ends with @@");
    size_t first = oldCount == 0 ? oldStart : oldStart - 1;  // an empty range names the line before
    fuzz::require(first >= next && first <= old.size(), "hunks are in order");
    for (; next < first; ++next) out += old[next];
    size_t removed = 0, added = 0;
    while (i < lines.size() && lines[i].rfind("@@ ", 0) != 0) {
      std::string line = lines[i++];
      fuzz::require(line.size() >= 2 && line.back() == '\n', "a hunk line ends with a newline");
      char op = line[0];
      line = line.substr(1);
      if (i < lines.size() && lines[i] == "\\ No newline at end of file\n") {
        line.pop_back();
        ++i;
      }
      if (op == ' ' || op == '-') {
        fuzz::require(next < old.size() && old[next] == line, "context and removed lines are the old text");
        ++next;
        ++removed;
      }
      if (op == ' ' || op == '+') {
        out += line;
        ++added;
      }
      fuzz::require(op == ' ' || op == '-' || op == '+', "a hunk line starts with ' ', '-' or '+'");
    }
    fuzz::require(removed == oldCount && added == newCount, "a hunk's counts are its lines");
    (void)newStart;
  }
  for (; next < old.size(); ++next) out += old[next];
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 14) return 0;  // the line diff is quadratic in the worst case
  auto [before, after] = fuzz::splitAtNul({reinterpret_cast<const char*>(data), size});
  for (int context : {3, 0}) {
    std::string diff = print::unifiedDiff("Dockerfile", before, after, true, true, context);
    fuzz::require(diff.empty() == (before == after), "a diff is empty only when the texts are equal");
    fuzz::require(apply(diff, before) == after, "the diff applied to the old text gives the new one");
  }
  std::string created = print::unifiedDiff("Dockerfile", "", after, false, true);
  fuzz::require(apply(created, "") == after, "the diff of a new file gives the file");
  return 0;
}
