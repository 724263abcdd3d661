#pragma once
// Running programs with argument vectors (never through a shell) and
// collecting what they print.
#include <optional>
#include <string>
#include <vector>

namespace dfopt::cli {

struct ProcessResult {
  bool started = false;
  int status = -1;     // exit status; 128 + signal when killed
  std::string output;  // stdout and stderr, interleaved; why it did not start otherwise
  double seconds = 0;

  bool ok() const { return started && status == 0; }
};

// Runs argv[0] (a path, or a name looked up on PATH) with stdin from
// /dev/null, collecting stdout and stderr.
ProcessResult runProcess(const std::vector<std::string>& argv);

// The executable file `name` in a directory of PATH.
std::optional<std::string> findOnPath(const std::string& name);

// The last `count` lines of a program's output, without the final newlines.
std::string lastLines(const std::string& text, size_t count);

}  // namespace dfopt::cli
