#pragma once
// Reading Dockerfiles from disk or stdin, and reporting problems in the
// `FILE:LINE:COL: error: message` form.
#include <iostream>
#include <optional>
#include <string>

#include "cli/safe_write.h"
#include "model/parse.h"

namespace dfopt::cli {

enum ExitCode { kOk = 0, kChanges = 1, kUsageOrInputError = 2 };

struct InputFile {
  std::string displayName;  // the path as given, or <stdin>
  std::string bytes;
  std::optional<FileStamp> stamp;  // the file when it was read (not for stdin)
};

// Inputs larger than this are refused (--max-input-size changes it).
constexpr size_t kDefaultMaxInputSize = size_t{10} << 20;

// Reads `path` ("-" is stdin), at most `maxSize` bytes; on failure or a
// larger input prints `PATH: error: ...` to `errors`.
std::optional<InputFile> readInput(const std::string& path, std::ostream& errors = std::cerr,
                                   size_t maxSize = kDefaultMaxInputSize);

// Reads and parses a Dockerfile; on failure reports the problems (or the
// read error) and returns nothing.
std::optional<model::ParseOutcome> readDockerfile(const std::string& path, std::string& displayName);

// Prints each problem as `FILE:LINE:COL: error: message`.
void reportProblems(const std::string& displayName, const model::ParseOutcome& outcome,
                    std::ostream& errors = std::cerr);

}  // namespace dfopt::cli
