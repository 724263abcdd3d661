#include "cli/run_summary.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace dfopt::cli {

bool stderrIsATerminal() {
  const char* term = std::getenv("TERM");
  return ::isatty(STDERR_FILENO) && !(term && std::string_view(term) == "dumb");
}

namespace {

size_t terminalWidth() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace

void Progress::show(size_t done, const std::string& next) {
  if (!shown_ || done >= total_) return;
  // One line that never wraps: a wrapped line cannot be erased with \r.
  std::string counter = fmt::format("[{}/{}] ", done, total_);
  size_t width = terminalWidth();
  size_t room = width > counter.size() + 1 ? width - counter.size() - 1 : 0;
  std::string shown = next.size() <= room ? next
                      : room > 3          ? "..." + next.substr(next.size() - (room - 3))
                                          : "";
  std::cout.flush();  // the output so far comes before the line
  std::cerr << "\r\x1b[K" << counter << shown << std::flush;
  drawn_ = true;
}

void Progress::clear() {
  if (!drawn_) return;
  std::cerr << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

void RunSummary::add(const FileRun& run) {
  ++files_;
  changed_ += run.outcome.changed();
  for (const engine::Finding& finding : run.outcome.findings) ++findings_[finding.transform];
}

std::string RunSummary::line() const {
  std::string text =
      fmt::format("dfopt: {} file{} checked, {} with changes", files_, files_ == 1 ? "" : "s", changed_);
  if (failed_) text += fmt::format(", {} not rewritten (errors)", failed_);
  if (findings_.empty()) return text + "; no findings";
  std::vector<std::string> counts;
  for (const auto& [transform, count] : findings_) counts.push_back(fmt::format("{} {}", transform, count));
  return fmt::format("{}; findings: {}", text, fmt::join(counts, ", "));
}

}  // namespace dfopt::cli
