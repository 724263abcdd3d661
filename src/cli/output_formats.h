#pragma once
// `check --format` and `diff --format`: text (the default) prints each file
// as it is done; json and sarif print one document for the whole run after
// the last file; github prints workflow commands (and, for diff, the diff).
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/rewrite.h"
#include "print/findings_report.h"
#include "print/unified_diff.h"

namespace dfopt::cli {

// Adds --format text|json|sarif|github.
void addFormatOption(CLI::App& command, std::string& format);

// The unified diff of the Dockerfile and of the files the run writes, as
// `dfopt diff` prints it.
std::string runDiff(const FileRun& run, print::DiffColors colors);

class FormattedOutput {
 public:
  // `command`: "check" or "diff".
  FormattedOutput(std::string format, std::string command);
  void add(const FileRun& run);
  // Prints the document of json and sarif (github prints as it goes).
  void finish(std::ostream& out) const;

 private:
  std::string format_;
  std::string command_;
  std::vector<print::FileReport> reports_;
};

// Nothing for the text format.
std::shared_ptr<FormattedOutput> makeFormattedOutput(const std::string& format, std::string command);

}  // namespace dfopt::cli
