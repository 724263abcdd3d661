// InvalidDefaultArgInFrom: with only the ARGs' defaults (no --build-arg),
// a FROM's image expands to an empty or invalid reference, so the build
// fails unless the caller passes the argument. Decided with
// distribution/reference's ParseNormalizedNamed, as BuildKit does. No fix:
// the default the author meant is theirs to give.
#include <map>
#include <string>

#include <fmt/format.h>

#include "transforms/buildkit/checks.h"
#include "transforms/buildkit/reference_syntax.h"
#include "transforms/buildkit/scope.h"
#include "util/text.h"

namespace dfopt::transforms::buildkit {
namespace {

// reference.ParseNormalizedNamed succeeds.
bool isValidImageName(std::string_view text) {
  bool identifier = text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
  if (text.empty() || identifier) return false;
  std::string name(text);
  std::string domain = "docker.io", remainder = name;
  if (size_t slash = name.find('/'); slash != std::string::npos) {
    std::string first = name.substr(0, slash);
    if (first == "index.docker.io") {
      remainder = name.substr(slash + 1);
    } else if (first == "localhost" || first.find_first_of(".:") != std::string::npos ||
               text::lower(first) != first) {
      domain = first;
      remainder = name.substr(slash + 1);
    }
  }
  if (domain == "docker.io" && remainder.find('/') == std::string::npos) remainder = "library/" + remainder;
  std::string remote = remainder.substr(0, remainder.find(':'));
  if (text::lower(remote) != remote) return false;
  return isValidReference(domain + "/" + remainder);
}

// isValidImageName, remembered on this thread: the files of a run share a
// few base images.
bool isValidImageNameRemembered(std::string_view text) {
  constexpr size_t kLongest = 512;  // longer names (rare, hostile) are not kept
  constexpr size_t kMostKept = 1024;
  thread_local std::map<std::string, bool, std::less<>> answers;
  if (text.size() > kLongest) return isValidImageName(text);
  if (auto known = answers.find(text); known != answers.end()) return known->second;
  if (answers.size() >= kMostKept) answers.clear();
  bool valid = isValidImageName(text);
  answers.emplace(std::string(text), valid);
  return valid;
}

bool namesEarlierStage(const model::Dockerfile& file, const model::Stage& stage, std::string_view name) {
  for (const model::Stage& earlier : file.stages) {
    if (earlier.index >= stage.index) break;
    if (!earlier.name.empty() && text::lower(earlier.name) == text::lower(name)) return true;
  }
  return false;
}

}  // namespace

void invalidDefaultArgInFrom(const CheckInput& input, std::vector<engine::Finding>& findings) {
  const GlobalScope& global = input.global;
  if (global.failed) return;
  for (const model::Stage& stage : input.file.stages) {
    model::WordExpansion name = model::expandWord(stage.baseImage, global.args, input.file.escape);
    if (name.error) return;  // BuildKit stops checking here
    if (!name.result || isValidImageNameRemembered(*name.result)) continue;
    if (namesEarlierStage(input.file, stage, *name.result)) continue;  // stage names are case-insensitive
    engine::Finding finding;
    finding.offset = input.file.instructions[stage.from].keywordRange.begin;
    finding.message =
        fmt::format("Default value for ARG {} results in empty or invalid base image name", stage.baseImage);
    // BuildKit says the same of a name with no variable; say what is meant.
    if (name.matched.empty() && name.unmatched.empty())
      finding.message += " (it uses no ARG: invalid as written)";
    findings.push_back(std::move(finding));
  }
}

}  // namespace dfopt::transforms::buildkit
