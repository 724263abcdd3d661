#pragma once
// Line diffs as git makes them: a shortest edit script (Debian's dtl) with
// the groups of changed lines slid as GNU diff and git slide them.
#include <string_view>
#include <vector>

namespace dfopt::print {

enum class LineOp : char { Equal = ' ', Delete = '-', Insert = '+' };

// Lines split on '\n', each keeping its '\n' (and any '\r' before it); only
// the last line can lack the '\n'.
std::vector<std::string_view> splitLines(std::string_view text);

// The edit script turning lines `a` into lines `b`; where lines of both
// change, the deletions come first.
std::vector<LineOp> lineScript(const std::vector<std::string_view>& a,
                               const std::vector<std::string_view>& b);

}  // namespace dfopt::print
