#pragma once
// A broken property aborts the process, which libFuzzer reports as a crash
// and saves the input of.
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace dfopt::fuzz {

inline void require(bool holds, std::string_view property) {
  if (holds) return;
  std::fprintf(stderr, "property broken: %.*s\n", static_cast<int>(property.size()), property.data());
  std::abort();
}

// The input split at its first NUL byte (the whole input and nothing
// when there is none).
inline std::pair<std::string_view, std::string_view> splitAtNul(std::string_view input) {
  size_t nul = input.find('\0');
  if (nul == std::string_view::npos) return {input, {}};
  return {input.substr(0, nul), input.substr(nul + 1)};
}

}  // namespace dfopt::fuzz
