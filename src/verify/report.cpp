#include "verify/report.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace dfopt::verify {

std::string formatSize(std::optional<double> bytes) {
  if (!bytes) return "?";
  if (*bytes >= 1e9) return fmt::format("{:.2f} GB", *bytes / 1e9);
  return fmt::format("{:.1f} MB", *bytes / 1e6);
}

std::string formatUser(const FinalUser& user) {
  std::string uid = user.uid ? std::to_string(*user.uid) : "?";
  return user.name == uid ? fmt::format("uid {}", uid) : fmt::format("{} (uid {})", user.name, uid);
}

Verdict judge(const BuildOutcome& before, const BuildOutcome& after) {
  Verdict verdict;
  auto fail = [&](std::string reason) {
    verdict.ok = false;
    verdict.reasons.push_back(std::move(reason));
  };
  if (!after.built) {
    fail("the rewritten Dockerfile does not build");
    return verdict;
  }
  if (!before.built) return verdict;
  if (before.facts.size && after.facts.size && *after.facts.size > *before.facts.size * 1.02) {
    fail(fmt::format("the image is larger ({} > {})", formatSize(after.facts.size),
                     formatSize(before.facts.size)));
  }
  if (!after.rebuilt && before.rebuilt) fail("the rewritten Dockerfile does not rebuild after the edit");
  if (before.rebuilt && after.rebuilt &&
      after.rebuild.dependencyInstalls.size() > before.rebuild.dependencyInstalls.size()) {
    fail(fmt::format("more dependency installs re-run after the edit ({} > {}: {})",
                     after.rebuild.dependencyInstalls.size(), before.rebuild.dependencyInstalls.size(),
                     fmt::join(after.rebuild.dependencyInstalls, "; ")));
  }
  if (!before.user.root() && after.user.root()) fail("the final user is root, the original's is not");
  return verdict;
}

std::vector<std::string> tableLines(const BuildOutcome& before, const BuildOutcome& after,
                                    const std::optional<std::string>& touched,
                                    const std::vector<std::array<std::string, 4>>& more) {
  auto built = [](const BuildOutcome& v) {
    return v.built ? fmt::format("ok ({:.1f}s)", v.buildSeconds) : std::string("FAILED");
  };
  auto size = [](const BuildOutcome& v) { return v.built ? formatSize(v.facts.size) : std::string("-"); };
  auto layers = [](const BuildOutcome& v) {
    return v.built && v.facts.layers ? std::to_string(*v.facts.layers) : std::string("-");
  };
  auto rerun = [&](const BuildOutcome& v) {
    if (!touched) return std::string("n/a");
    if (!v.built) return std::string("-");
    if (!v.rebuilt) return std::string("FAILED");
    return fmt::format("{} of {}", v.rebuild.rerun, v.rebuild.total);
  };
  auto runRerun = [&](const BuildOutcome& v) {
    return touched && v.rebuilt ? std::to_string(v.rebuild.runRerun) : std::string("-");
  };
  auto depsRerun = [&](const BuildOutcome& v) {
    return touched && v.rebuilt ? std::to_string(v.rebuild.dependencyInstalls.size()) : std::string("-");
  };
  auto rebuildTime = [&](const BuildOutcome& v) {
    return touched && v.rebuilt ? fmt::format("{:.1f}s", v.rebuildSeconds) : std::string("-");
  };
  auto user = [](const BuildOutcome& v) { return v.built ? formatUser(v.user) : std::string("-"); };
  std::string ratio;
  if (before.built && after.built && before.facts.size && after.facts.size && *before.facts.size > 0) {
    ratio = fmt::format("{:.2f}x", *after.facts.size / *before.facts.size);
  }
  std::vector<std::array<std::string, 4>> rows = {
      {"", "before", "after", ""},
      {"build", built(before), built(after), ""},
      {"size", size(before), size(after), ratio},
      {"layers", layers(before), layers(after), ""},
      {"steps re-run after edit", rerun(before), rerun(after), touched ? "edited " + *touched : ""},
      {"  RUN steps", runRerun(before), runRerun(after), ""},
      {"  dependency installs", depsRerun(before), depsRerun(after), ""},
      {"rebuild time", rebuildTime(before), rebuildTime(after), ""},
      {"final user", user(before), user(after), ""},
  };
  rows.insert(rows.end(), more.begin(), more.end());
  std::array<size_t, 3> width{};
  for (const auto& row : rows) {
    for (size_t i = 0; i < 3; ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::vector<std::string> lines;
  for (const auto& row : rows) {
    std::string line = fmt::format("{:<{}}  {:<{}}  {:<{}}  {}", row[0], width[0], row[1], width[1], row[2],
                                   width[2], row[3]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string verdictLine(const BuildOutcome& before, const BuildOutcome& after, const Verdict& verdict,
                        bool ran) {
  if (!before.built && after.built && verdict.ok)
    return "verdict: the original does not build; the rewrite does";
  if (verdict.ok && ran) return "verdict: the rewrite builds, runs alike and is no worse";
  if (verdict.ok) return "verdict: the rewrite builds and is no worse";
  return fmt::format("verdict: worse: {}", fmt::join(verdict.reasons, "; "));
}

}  // namespace dfopt::verify
