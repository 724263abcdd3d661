#pragma once
// --max-input-size: the largest Dockerfile dfopt reads.
#include <cstddef>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

namespace dfopt::cli {

// Adds --max-input-size (bytes, or with a unit: 512K, 10M, 1G).
void addInputLimitOption(CLI::App& command, size_t& maxSize);

// "10 MB", "512 KB", "1.5 MB", "900 bytes" (units of 1024).
std::string describeSize(uintmax_t bytes);

}  // namespace dfopt::cli
