#include "print/line_diff.h"

#include <dtl/dtl.hpp>

#include <cstddef>
#include <unordered_map>

namespace dfopt::print {
namespace {

using Op = LineOp;

// The edit script from dtl (a shortest one), over interned line ids.
std::vector<Op> editScript(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<Op> ops;
  if (a.empty() || b.empty()) {
    ops.assign(a.size(), Op::Delete);
    ops.insert(ops.end(), b.size(), Op::Insert);
    return ops;
  }
  dtl::Diff<int, std::vector<int>> diff(a, b);
  diff.compose();
  for (const auto& [elem, info] : diff.getSes().getSequence()) {
    (void)elem;
    switch (info.type) {
      case dtl::SES_DELETE:
        ops.push_back(Op::Delete);
        break;
      case dtl::SES_ADD:
        ops.push_back(Op::Insert);
        break;
      default:
        ops.push_back(Op::Equal);
        break;
    }
  }
  return ops;
}

// Slides the groups of changed lines of one file, as GNU diff and git do: a
// group moves over lines equal to the ones it leaves (the result stays a
// correct diff), merging with the groups it meets. It ends next to a change
// of the other file if it can (a deletion and an insertion then make one
// replacement), otherwise as low as it can go, which puts an inserted
// paragraph's blank line after it.
void slideGroups(std::vector<char>& changed, const std::vector<int>& lines,
                 const std::vector<char>& otherChanged) {
  // otherGap[k]: the other file has changed lines after its k-th unchanged line.
  std::vector<char> otherGap(1, 0);
  for (char c : otherChanged) {
    if (c)
      otherGap.back() = 1;
    else
      otherGap.push_back(0);
  }
  std::size_t n = changed.size();
  std::size_t s = 0, k = 0;  // group start, unchanged lines before it
  for (;;) {
    while (s < n && !changed[s]) ++s, ++k;
    if (s == n) break;
    std::size_t e = s;
    while (e < n && changed[e]) ++e;
    std::size_t len;
    std::size_t alignedEnd;
    bool aligned;
    do {
      len = e - s;
      while (s > 0 && !changed[s - 1] && lines[s - 1] == lines[e - 1]) {
        changed[s - 1] = 1, changed[e - 1] = 0;
        --s, --e, --k;
        while (s > 0 && changed[s - 1]) --s;
      }
      aligned = otherGap[k];
      alignedEnd = e;
      while (e < n && !changed[e] && lines[s] == lines[e]) {
        changed[s] = 0, changed[e] = 1;
        ++s, ++e, ++k;
        while (e < n && changed[e]) ++e;
        if (otherGap[k]) aligned = true, alignedEnd = e;
      }
    } while (len != e - s);
    while (aligned && e != alignedEnd) {
      changed[s - 1] = 1, changed[e - 1] = 0;
      --s, --e, --k;
    }
    s = e;
  }
}

// The edit script in diff's canonical shape: groups slid (see slideGroups)
// and, where lines of both files change, the deletions first.
std::vector<Op> canonicalScript(const std::vector<Op>& ops, const std::vector<int>& a,
                                const std::vector<int>& b) {
  std::vector<char> aChanged, bChanged;
  for (Op op : ops) {
    if (op != Op::Insert) aChanged.push_back(op == Op::Delete);
    if (op != Op::Delete) bChanged.push_back(op == Op::Insert);
  }
  slideGroups(aChanged, a, bChanged);
  slideGroups(bChanged, b, aChanged);
  std::vector<Op> out;
  out.reserve(ops.size());
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && aChanged[i]) {
      out.push_back(Op::Delete), ++i;
    } else if (j < b.size() && bChanged[j]) {
      out.push_back(Op::Insert), ++j;
    } else {
      out.push_back(Op::Equal), ++i, ++j;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t nl = text.find('\n', begin);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(begin, end - begin));
    begin = end;
  }
  return lines;
}

std::vector<LineOp> lineScript(const std::vector<std::string_view>& aLines,
                               const std::vector<std::string_view>& bLines) {
  std::unordered_map<std::string_view, int> ids;
  auto intern = [&](const std::vector<std::string_view>& lines) {
    std::vector<int> out;
    out.reserve(lines.size());
    for (std::string_view l : lines)
      out.push_back(ids.emplace(l, static_cast<int>(ids.size())).first->second);
    return out;
  };
  std::vector<int> a = intern(aLines);
  std::vector<int> b = intern(bLines);
  return canonicalScript(editScript(a, b), a, b);
}

}  // namespace dfopt::print
