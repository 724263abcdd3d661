#include "cli/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
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

// Closes a file descriptor when it goes out of scope.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

std::optional<InputFile> cannotRead(const std::string& path, int error, std::ostream& errors) {
  errors << fmt::format("{}: error: cannot read: {}\n", path, std::strerror(error));
  return std::nullopt;
}

// Reads at most `readLimit` bytes of a file (readInput tells a larger one):
// one open, one fstat and the reads, as a run over a repository reads
// hundreds of files, and on a virtual machine a system call costs as much
// as parsing a short instruction.
std::optional<InputFile> readPath(const std::string& path, std::ostream& errors, size_t maxSize,
                                  size_t readLimit) {
  Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) return cannotRead(path, errno, errors);
  struct stat status {};
  if (::fstat(file.fd, &status) != 0) return cannotRead(path, errno, errors);
  if (S_ISDIR(status.st_mode)) {
    errors << fmt::format("{}: error: is a directory, not a Dockerfile\n", path);
    return std::nullopt;
  }
  // Taken before reading: a change during the read shows at write time.
  InputFile input{path, {}, stampFrom(status)};
  const bool regular = S_ISREG(status.st_mode);
  if (regular && static_cast<uintmax_t>(status.st_size) > maxSize) {
    reportTooLarge(path, static_cast<uintmax_t>(status.st_size), maxSize, errors);
    return std::nullopt;
  }
  // The size fstat gave, plus one byte to see the end: no doubling as it is read.
  if (regular) input.bytes.reserve(static_cast<size_t>(status.st_size) + 1);
  char buffer[1 << 16];
  while (input.bytes.size() < readLimit) {
    ssize_t got = ::read(file.fd, buffer, std::min(sizeof buffer, readLimit - input.bytes.size()));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return cannotRead(path, errno, errors);
    if (got == 0) break;
    input.bytes.append(buffer, static_cast<size_t>(got));
  }
  return input;
}

}  // namespace

std::optional<InputFile> readInput(const std::string& path, std::ostream& errors, size_t maxSize) {
  // One byte over the limit tells a larger input.
  const size_t readLimit = maxSize == SIZE_MAX ? maxSize : maxSize + 1;
  std::optional<InputFile> input;
  if (path == "-") {
    input = InputFile{"<stdin>", {}, std::nullopt};
    if (!readUpTo(std::cin, readLimit, input->bytes)) return cannotRead(input->displayName, errno, errors);
  } else {
    input = readPath(path, errors, maxSize, readLimit);
    if (!input) return std::nullopt;
  }
  if (input->bytes.size() > maxSize) {
    reportTooLarge(input->displayName, std::nullopt, maxSize, errors);
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
