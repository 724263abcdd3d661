#include "cli/input_limit.h"

#include <fmt/format.h>

namespace dfopt::cli {

void addInputLimitOption(CLI::App& command, size_t& maxSize) {
  command
      .add_option("--max-input-size", maxSize,
                  "Refuse Dockerfiles larger than this (bytes, or with a unit: 512K, 10M, 1G)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::PositiveNumber)
      ->default_str("10M");
}

std::string describeSize(uintmax_t bytes) {
  constexpr const char* kUnits[] = {"KB", "MB", "GB", "TB"};
  if (bytes < 1024) return fmt::format("{} byte{}", bytes, bytes == 1 ? "" : "s");
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  for (; value >= 1024 && unit + 1 < std::size(kUnits); ++unit) value /= 1024;
  std::string number = fmt::format("{:.1f}", value);
  if (number.ends_with(".0")) number.resize(number.size() - 2);
  return number + " " + kUnits[unit];
}

}  // namespace dfopt::cli
