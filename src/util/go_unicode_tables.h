// Internal to go_text.cpp: the generated Unicode 15.0.0 tables behind
// isPrint, isLetter, isDigit and toLower; see go_unicode_tables.cpp.
#pragma once

#include <cstdint>
#include <span>

namespace dfopt::golang::tables {

struct Range {
  char32_t lo;
  char32_t hi;
};

// Every stride-th code point from lo to hi maps to itself + delta.
struct CaseRun {
  char32_t lo;
  char32_t hi;
  std::int32_t delta;
  std::int32_t stride;
};

// Each table is sorted by lo and its entries do not overlap.
std::span<const Range> printRanges();   // unicode.IsPrint
std::span<const Range> letterRanges();  // unicode.IsLetter
std::span<const Range> digitRanges();   // unicode.IsDigit
std::span<const CaseRun> lowerRuns();   // unicode.ToLower

}  // namespace dfopt::golang::tables
