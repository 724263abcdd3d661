// Which candidates are added: none the user's .dockerignore already has or
// keeps with an exception, none that would take away what the Dockerfile
// copies or names (each such one is reported with the reason), and none
// that the others make redundant.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "context/ignore_pattern.h"
#include "transforms/dockerignore/entries.h"
#include "util/text.h"

namespace dfopt::transforms::dockerignore {

using context::BuildContext;
using context::Dockerignore;
using engine::Finding;
using engine::Severity;
using model::Dockerfile;

namespace {

std::string joinLines(std::string_view text, const std::vector<std::string>& lines) {
  std::string joined(text);
  if (!joined.empty() && !joined.ends_with('\n')) joined += '\n';
  for (const std::string& line : lines) joined += line + "\n";
  return joined;
}

// A pattern as Docker compares it: "/node_modules/" and "node_modules" are one.
std::string cleanedEntry(std::string_view entry) {
  bool exception = entry.starts_with('!');
  if (exception) entry.remove_prefix(1);
  return (exception ? "!" : "") + context::cleanPath(entry);
}

class Decider {
 public:
  Decider(const BuildContext& context, const BuildUse& use, const Dockerfile& file)
      : context_(context), use_(use), file_(file), userText_(context.dockerignoreText().value_or("")) {
    for (const std::string& pattern : context.dockerignore().patterns())
      userEntries_.insert(cleanedEntry(pattern));
  }

  void consider(std::vector<Candidate> candidates, Decision& decision) const {
    for (Candidate& candidate : candidates) {
      std::string entry = cleanedEntry(candidate.lines[0]);
      if (userEntries_.count(entry) || !decision.considered.insert(entry).second) continue;
      if (excludedByTheUser(candidate)) continue;
      dropExceptionsAgainstTheUser(candidate);
      if (auto why = reasonToKeep(candidate)) {
        decision.kept.push_back(std::move(*why));
        continue;
      }
      decision.added.push_back(std::move(candidate));
    }
  }

 private:
  bool excludedByTheUser(const Candidate& candidate) const {
    return std::all_of(candidate.matched.begin(), candidate.matched.end(),
                       [&](const std::string& path) { return context_.dockerignore().excludes(path); });
  }

  // An exception of ours never brings back what the user's file excludes.
  void dropExceptionsAgainstTheUser(Candidate& candidate) const {
    auto& lines = candidate.lines;
    lines.erase(std::remove_if(lines.begin() + 1, lines.end(),
                               [&](const std::string& line) {
                                 return context_.dockerignore().excludes(std::string_view(line).substr(1));
                               }),
                lines.end());
  }

  Finding keptFinding(const Candidate& candidate, size_t instruction, std::string reason) const {
    Finding finding;
    finding.severity = Severity::Info;
    finding.offset = file_.instructions[instruction].keywordRange.begin;
    finding.message = fmt::format("{} not added to .dockerignore: {}", candidate.lines[0], reason);
    return finding;
  }

  std::optional<Finding> reasonToKeep(const Candidate& candidate) const {
    Dockerignore with = Dockerignore::parse(joinLines(userText_, candidate.lines));
    if (auto copied = newlyExcluded(with, use_.copied)) {
      std::string keyword = text::upper(file_.instructions[copied->instruction].command);
      if (!copied->guessedFrom.empty()) {
        return keptFinding(candidate, copied->instruction,
                           fmt::format("{} {} may copy {}: its variable has no known value", keyword,
                                       copied->guessedFrom, copied->path));
      }
      return keptFinding(candidate, copied->instruction, fmt::format("{} copies {}", keyword, copied->path));
    }
    if (auto exception = userException(candidate)) {
      return keptFinding(candidate, 0,
                         fmt::format(".dockerignore keeps {} with {}", exception->first, exception->second));
    }
    if (auto run = runMentioning(file_, candidate.neededBy)) {
      return keptFinding(candidate, *run, fmt::format("RUN runs {}, which may read it", candidate.neededBy));
    }
    bool copied = std::any_of(candidate.matched.begin(), candidate.matched.end(),
                              [&](const std::string& path) { return isCopied(path, use_); });
    if (copied && candidate.kind == Kind::Dependencies &&
        !buildRuns(use_, candidate.ecosystem, Step::Install)) {
      return keptFinding(candidate, 0,
                         fmt::format("the image copies it and installs no {} dependencies of its own",
                                     familyName(candidate.ecosystem)));
    }
    if (copied && candidate.kind == Kind::Output && !buildRuns(use_, candidate.ecosystem, Step::Build)) {
      return keptFinding(candidate, 0,
                         fmt::format("the image copies it and does not build the {} project itself",
                                     familyName(candidate.ecosystem)));
    }
    // Dependencies the image installs are its own wherever they are named,
    // and so is output it builds once it runs (CMD, ENTRYPOINT, ENV).
    if (candidate.kind == Kind::Dependencies) return std::nullopt;
    auto named = newlyExcluded(with, use_.namedByRun);
    if (!named && candidate.kind == Kind::Junk) named = newlyExcluded(with, use_.namedAtRuntime);
    if (named) {
      return keptFinding(
          candidate, named->instruction,
          fmt::format("{} names {}", text::upper(file_.instructions[named->instruction].command),
                      named->path));
    }
    return std::nullopt;
  }

  // A user's "!pattern" that keeps one of the paths the candidate takes:
  // the user wants it in the context.
  std::optional<std::pair<std::string, std::string>> userException(const Candidate& candidate) const {
    for (const std::string& pattern : context_.dockerignore().patterns()) {
      if (!pattern.starts_with('!')) continue;
      std::string cleaned = context::cleanPath(std::string_view(pattern).substr(1));
      for (const std::string& path : candidate.matched) {
        if (context::matchPattern(cleaned, path)) return std::pair{path, pattern};
      }
    }
    return std::nullopt;
  }

  std::optional<Use> newlyExcluded(const Dockerignore& with, const std::vector<Use>& uses) const {
    for (const Use& use : uses) {
      if (with.excludes(use.path) && !context_.dockerignore().excludes(use.path)) return use;
    }
    return std::nullopt;
  }

  const BuildContext& context_;
  const BuildUse& use_;
  const Dockerfile& file_;
  std::string userText_;
  std::set<std::string> userEntries_;
};

std::vector<std::string> linesOf(const std::vector<Candidate>& candidates,
                                 const Candidate* except = nullptr) {
  std::vector<std::string> lines;
  for (const Candidate& candidate : candidates) {
    if (&candidate == except) continue;
    lines.insert(lines.end(), candidate.lines.begin(), candidate.lines.end());
  }
  return lines;
}

// The paths the user's file and the added entries leave in the context.
SharedPaths remainingPaths(const SharedPaths& paths, std::string_view userText,
                           const std::vector<Candidate>& added) {
  Dockerignore ignore = Dockerignore::parse(joinLines(userText, linesOf(added)));
  if (ignore.empty()) return paths;  // no rule: every path remains, the same list (the common case)
  std::vector<std::string> remaining;
  std::set<std::string> excludedDirectories;
  for (const std::string& path : *paths) {  // sorted: a directory comes before what it holds
    std::string parent = text::dirName(path);
    bool inExcluded = parent != "." && excludedDirectories.count(parent);
    if (inExcluded || ignore.excludes(path)) {
      excludedDirectories.insert(path);
      continue;
    }
    remaining.push_back(path);
  }
  return std::make_shared<const std::vector<std::string>>(std::move(remaining));
}

// Drops entries that exclude nothing the user's file and the other entries
// do not already, the most specific (last written) first.
void dropRedundant(std::vector<Candidate>& added, std::string_view userText) {
  for (size_t i = added.size(); i-- > 0;) {
    Dockerignore others = Dockerignore::parse(joinLines(userText, linesOf(added, &added[i])));
    const auto& matched = added[i].matched;
    bool redundant =
        std::all_of(matched.begin(), matched.end(), [&](const std::string& p) { return others.excludes(p); });
    if (redundant) added.erase(added.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

}  // namespace

Decision decide(const Dockerfile& file, const BuildContext& context, const BuildUse& use,
                const SharedPaths& paths) {
  const std::string userText = context.dockerignoreText().value_or("");
  Decider decider(context, use, file);
  Decision decision;
  decider.consider(folderCandidates(context, use, paths), decision);
  decider.consider(fileCandidates(context, remainingPaths(paths, userText, decision.added)), decision);
  std::stable_sort(decision.added.begin(), decision.added.end(),
                   [](const Candidate& a, const Candidate& b) { return a.rank < b.rank; });
  dropRedundant(decision.added, userText);
  return decision;
}

}  // namespace dfopt::transforms::dockerignore
