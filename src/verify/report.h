#pragma once
// Comparing the original image with the rewrite's: the table verify prints
// and its verdict.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "verify/build_steps.h"
#include "verify/image_facts.h"

namespace dfopt::verify {

// What the builds of one Dockerfile gave.
struct BuildOutcome {
  bool built = false;
  double buildSeconds = 0;
  ImageFacts facts;
  FinalUser user;
  bool rebuilt = false;  // after the edit
  double rebuildSeconds = 0;
  StepCount rebuild;  // the steps of the rebuild
};

struct Verdict {
  bool ok = true;
  std::vector<std::string> reasons;  // why the rewrite is worse
};

// No worse: builds; not larger (2% slack: sizes may be rounded); re-runs no
// more dependency installs after the edit (steps after the edited COPY re-run
// anyway, and a split into stages adds cheap ones); not root when the
// original was not.
Verdict judge(const BuildOutcome& before, const BuildOutcome& after);

// The table, one column for each image, one line each. `touched` is the
// edited file; nothing when there was none to edit. `more` are rows (label,
// before, after, note) that follow, as the run's (verify/run_check.h).
std::vector<std::string> tableLines(const BuildOutcome& before, const BuildOutcome& after,
                                    const std::optional<std::string>& touched,
                                    const std::vector<std::array<std::string, 4>>& more = {});

// "verdict: ...". `ran`: both images were also run and compared.
std::string verdictLine(const BuildOutcome& before, const BuildOutcome& after, const Verdict& verdict,
                        bool ran = false);

// "764.9 MB", "1.00 GB", "?" when unknown.
std::string formatSize(std::optional<double> bytes);
// "node (uid 1000)", "uid 1000" when USER gives only the uid.
std::string formatUser(const FinalUser& user);

}  // namespace dfopt::verify
