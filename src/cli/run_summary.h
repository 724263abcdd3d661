#pragma once
// What a run over many Dockerfiles shows on a terminal besides its output:
// a progress line while it runs, a summary line at the end (stderr).
#include <cstddef>
#include <map>
#include <string>

#include "cli/rewrite.h"

namespace dfopt::cli {

// Is stderr a terminal that understands \r and erasing a line?
bool stderrIsATerminal();

// `[12/447] path` redrawn in place on stderr; clear() before anything else
// is printed, so that the line never mixes with the output.
class Progress {
 public:
  Progress(size_t total, bool shown) : total_(total), shown_(shown) {}
  ~Progress() { clear(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void show(size_t done, const std::string& next);
  void clear();

 private:
  size_t total_;
  bool shown_;
  bool drawn_ = false;
};

// Counts a run's files and findings for the last line.
class RunSummary {
 public:
  void add(const FileRun& run);
  void addFailure() { ++files_, ++failed_; }
  // `dfopt: 12 files checked, 3 with changes, 1 not rewritten (errors);
  // findings: deps-first 2, non-root 3`
  std::string line() const;

 private:
  size_t files_ = 0;
  size_t changed_ = 0;
  size_t failed_ = 0;
  std::map<std::string, size_t> findings_;  // by transform
};

}  // namespace dfopt::cli
