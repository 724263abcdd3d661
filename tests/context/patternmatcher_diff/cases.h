#pragma once
// The inputs of the patternmatcher differential test: deterministic random
// .dockerignore lines and paths, and their exchange format with the Go side
// (main.go): one hex-encoded string a line, so that any byte goes through.
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace dfopt::patternmatcher_diff {

struct Case {
  std::vector<std::string> lines;  // as written in a .dockerignore, '!' included
  std::vector<std::string> paths;
};

// The same cases for the same seed on every machine.
std::vector<Case> generateCases(uint64_t seed, size_t count);

void writeCases(std::ostream& out, const std::vector<Case>& cases);
// False when the input is not what writeCases writes.
bool readCases(std::istream& in, std::vector<Case>& cases);

std::string toHex(const std::string& bytes);

}  // namespace dfopt::patternmatcher_diff
