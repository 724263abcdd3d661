#include "print/unified_diff.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "print/line_diff.h"

namespace dfopt::print {
namespace {

using Op = LineOp;

constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kCyan = "\x1b[36m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kReset = "\x1b[m";
constexpr std::string_view kNoNewline = "\\ No newline at end of file\n";

// C-style quoting of a path, as git does (core.quotePath on).
std::string quotePath(std::string_view prefix, std::string_view path) {
  std::string name = std::string(prefix) + std::string(path);
  bool needs = std::any_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return c == '"' || c == '\\' || u < 0x20 || u >= 0x7f;
  });
  if (!needs) return name;
  std::string out = "\"";
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (u < 0x20 || u >= 0x7f) {
          out += '\\';
          out += static_cast<char>('0' + ((u >> 6) & 7));
          out += static_cast<char>('0' + ((u >> 3) & 7));
          out += static_cast<char>('0' + (u & 7));
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

class Writer {
 public:
  explicit Writer(bool color) : color_(color) {}

  void meta(std::string_view text) {
    if (color_) out_ += kBold;
    out_ += text;
    if (color_) out_ += kReset;
    out_ += '\n';
  }

  void hunkHeader(std::size_t oldStart, std::size_t oldCount, std::size_t newStart, std::size_t newCount) {
    std::string text = "@@ -" + range(oldStart, oldCount) + " +" + range(newStart, newCount) + " @@";
    if (color_) out_ += kCyan;
    out_ += text;
    if (color_) out_ += kReset;
    out_ += '\n';
  }

  // One line of a hunk; `line` keeps its '\n' when it has one.
  void line(Op op, std::string_view line) {
    bool newline = !line.empty() && line.back() == '\n';
    if (newline) line.remove_suffix(1);
    std::string_view color = op == Op::Delete ? kRed : op == Op::Insert ? kGreen : std::string_view{};
    if (color_ && !color.empty()) {
      // As git does, the reset goes before a CRLF line's '\r'.
      bool cr = !line.empty() && line.back() == '\r';
      if (cr) line.remove_suffix(1);
      out_ += color;
      out_ += static_cast<char>(op);
      out_ += line;
      out_ += kReset;
      if (cr) out_ += '\r';
    } else {
      out_ += static_cast<char>(op);
      out_ += line;
    }
    out_ += '\n';
    if (!newline) out_ += kNoNewline;
  }

  std::string take() { return std::move(out_); }

 private:
  // "start,count", with diff's conventions: the count is left out when it
  // is 1, and an empty range names the line before it.
  static std::string range(std::size_t start, std::size_t count) {
    if (count == 0) return std::to_string(start - 1) + ",0";
    if (count == 1) return std::to_string(start);
    return std::to_string(start) + "," + std::to_string(count);
  }

  bool color_;
  std::string out_;
};

}  // namespace

std::string unifiedDiff(std::string_view path, std::string_view before, std::string_view after,
                        bool beforeExists, bool afterExists, int context, DiffColors colors) {
  if (!beforeExists) before = {};
  if (!afterExists) after = {};
  if (beforeExists == afterExists && (!beforeExists || before == after)) return {};
  if (context < 0) context = 0;

  std::vector<std::string_view> aLines = splitLines(before);
  std::vector<std::string_view> bLines = splitLines(after);
  std::vector<Op> ops = lineScript(aLines, bLines);

  Writer w(colors.enabled);
  std::string aName = quotePath("a/", path);
  std::string bName = quotePath("b/", path);
  w.meta("diff --git " + aName + " " + bName);
  if (!beforeExists) w.meta("new file mode 100644");
  if (!afterExists) w.meta("deleted file mode 100644");
  if (ops.empty()) return w.take();  // an empty file created or deleted
  // git ends a name holding a space with a tab on the ---/+++ lines.
  std::string_view tab = path.find(' ') != std::string_view::npos ? "\t" : "";
  w.meta("--- " + (beforeExists ? aName + std::string(tab) : std::string("/dev/null")));
  w.meta("+++ " + (afterExists ? bName + std::string(tab) : std::string("/dev/null")));

  // Lines of a and b before each op.
  std::size_t n = ops.size();
  std::vector<std::size_t> aBefore(n + 1), bBefore(n + 1);
  for (std::size_t i = 0; i < n; ++i) {
    aBefore[i + 1] = aBefore[i] + (ops[i] != Op::Insert);
    bBefore[i + 1] = bBefore[i] + (ops[i] != Op::Delete);
  }

  auto ctx = static_cast<std::size_t>(context);
  std::size_t i = 0;
  while (i < n) {
    while (i < n && ops[i] == Op::Equal) ++i;
    if (i == n) break;
    // A hunk: changes separated by at most 2 * context equal lines.
    std::size_t firstChange = i;
    std::size_t lastEnd = i;  // one past the last change in the hunk
    for (;;) {
      while (lastEnd < n && ops[lastEnd] != Op::Equal) ++lastEnd;
      std::size_t next = lastEnd;
      while (next < n && ops[next] == Op::Equal) ++next;
      if (next == n || next - lastEnd > 2 * ctx) break;
      lastEnd = next;
    }
    std::size_t begin = firstChange - std::min(firstChange, ctx);
    std::size_t end = std::min(n, lastEnd + ctx);
    w.hunkHeader(aBefore[begin] + 1, aBefore[end] - aBefore[begin], bBefore[begin] + 1,
                 bBefore[end] - bBefore[begin]);
    for (std::size_t k = begin; k < end; ++k) {
      w.line(ops[k], ops[k] == Op::Insert ? bLines[bBefore[k]] : aLines[aBefore[k]]);
    }
    i = end;
  }
  return w.take();
}

}  // namespace dfopt::print
