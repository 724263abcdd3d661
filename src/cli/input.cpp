#include "cli/input.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

namespace dfopt::cli {

std::optional<InputFile> readInput(const std::string& path, std::ostream& errors) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return InputFile{"<stdin>", buffer.str()};
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    errors << fmt::format("{}: error: is a directory, not a Dockerfile\n", path);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors << fmt::format("{}: error: cannot read: {}\n", path, std::strerror(errno));
    return std::nullopt;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    errors << fmt::format("{}: error: cannot read: {}\n", path, std::strerror(errno));
    return std::nullopt;
  }
  return InputFile{path, std::move(bytes)};
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
