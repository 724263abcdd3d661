#include "cli/input.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cli/input_limit.h"

namespace dfopt::cli {

namespace {

// Reads at most `limit` bytes; false when the stream fails.
bool readUpTo(std::istream& in, size_t limit, std::string& bytes) {
  char buffer[1 << 16];
  while (bytes.size() < limit && in) {
    in.read(buffer, static_cast<std::streamsize>(std::min(sizeof buffer, limit - bytes.size())));
    bytes.append(buffer, static_cast<size_t>(in.gcount()));
  }
  return !in.bad();
}

void reportTooLarge(const std::string& path, std::optional<uintmax_t> size, size_t maxSize,
                    std::ostream& errors) {
  std::string input = size ? fmt::format("is {}, over", describeSize(*size)) : "is over";
  errors << fmt::format(
      "{}: error: the input {} the limit of {} (--max-input-size, or max-input-size in .dfopt.yaml, "
      "raises it); not read\n",
      path, input, describeSize(maxSize));
}

}  // namespace

std::optional<InputFile> readInput(const std::string& path, std::ostream& errors, size_t maxSize) {
  // One byte over the limit tells a larger input.
  const size_t readLimit = maxSize == SIZE_MAX ? maxSize : maxSize + 1;
  if (path == "-") {
    InputFile input{"<stdin>", {}, std::nullopt};
    if (!readUpTo(std::cin, readLimit, input.bytes)) {
      errors << fmt::format("<stdin>: error: cannot read: {}\n", std::strerror(errno));
      return std::nullopt;
    }
    if (input.bytes.size() > maxSize) {
      reportTooLarge("<stdin>", std::nullopt, maxSize, errors);
      return std::nullopt;
    }
    return input;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    errors << fmt::format("{}: error: is a directory, not a Dockerfile\n", path);
    return std::nullopt;
  }
  // Taken before reading: a change during the read shows at write time.
  std::optional<FileStamp> stamp = stampOf(path);
  if (stamp && std::filesystem::is_regular_file(path, ec) && static_cast<uintmax_t>(stamp->size) > maxSize) {
    reportTooLarge(path, static_cast<uintmax_t>(stamp->size), maxSize, errors);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors << fmt::format("{}: error: cannot read: {}\n", path, std::strerror(errno));
    return std::nullopt;
  }
  InputFile input{path, {}, stamp};
  // The size stat gave, plus one byte to see the end: no doubling as it is read.
  if (stamp && std::filesystem::is_regular_file(path, ec))
    input.bytes.reserve(static_cast<size_t>(stamp->size) + 1);
  if (!readUpTo(in, readLimit, input.bytes)) {
    errors << fmt::format("{}: error: cannot read: {}\n", path, std::strerror(errno));
    return std::nullopt;
  }
  if (input.bytes.size() > maxSize) {
    reportTooLarge(path, std::nullopt, maxSize, errors);
    return std::nullopt;
  }
  return input;
}

void reportProblems(const std::string& displayName, const model::ParseOutcome& outcome,
                    std::ostream& errors) {
  for (const model::Problem& problem : outcome.errors) {
    syntax::Position at = outcome.source->position(problem.offset);
    errors << fmt::format("{}:{}:{}: error: {}\n", displayName, at.line, at.column, problem.message);
  }
}

std::optional<model::ParseOutcome> readDockerfile(const std::string& path, std::string& displayName) {
  auto input = readInput(path);
  if (!input) return std::nullopt;
  displayName = input->displayName;
  model::ParseOutcome parsed = model::parseDockerfile(std::move(input->bytes));
  if (!parsed.dockerfile) {
    reportProblems(displayName, parsed);
    return std::nullopt;
  }
  return parsed;
}

}  // namespace dfopt::cli
