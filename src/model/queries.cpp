#include "model/queries.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_map>
#include <vector>

#include "model/variables.h"
#include "util/text.h"

namespace dfopt::model {
namespace {

using text::lower;

}  // namespace

// Both by binary search: stages and instructions are in file order.
const Stage* stageOf(const Dockerfile& file, size_t index) {
  auto after = std::upper_bound(file.stages.begin(), file.stages.end(), index,
                                [](size_t i, const Stage& stage) { return i < stage.from; });
  if (after == file.stages.begin()) return nullptr;
  const Stage& stage = *std::prev(after);
  return index < stage.end ? &stage : nullptr;
}

const Instruction* instructionAt(const Dockerfile& file, uint32_t offset) {
  auto after = std::upper_bound(
      file.instructions.begin(), file.instructions.end(), offset,
      [](uint32_t at, const Instruction& instruction) { return at < instruction.range.begin; });
  if (after == file.instructions.begin()) return nullptr;
  const Instruction& instruction = *std::prev(after);
  return offset < instruction.range.end ? &instruction : nullptr;
}

const Stage* finalStage(const Dockerfile& file) {
  return file.stages.empty() ? nullptr : &file.stages.back();
}

const Stage* findStageByName(const Dockerfile& file, std::string_view name) {
  using Names = std::unordered_map<std::string, size_t>;
  const Names& names = file.stageNames.get<Names>([&] {
    Names out;
    for (size_t i = 0; i < file.stages.size(); ++i) {
      if (!file.stages[i].name.empty()) out.emplace(lower(file.stages[i].name), i);  // keeps the first
    }
    return out;
  });
  if (names.empty()) return nullptr;  // most files name no stage: no name to lower
  auto found = names.find(lower(name));
  return found == names.end() ? nullptr : &file.stages[found->second];
}

const Stage* findStage(const Dockerfile& file, std::string_view reference) {
  if (const Stage* named = findStageByName(file, reference)) return named;
  if (!reference.empty() && std::all_of(reference.begin(), reference.end(), ::isdigit)) {
    // a number too large for size_t is no stage's either
    size_t number = 0;
    auto [end, error] = std::from_chars(reference.data(), reference.data() + reference.size(), number);
    if (error == std::errc() && number < file.stages.size()) return &file.stages[number];
  }
  return nullptr;
}

// Names are appended to, and `..` removed from, the result itself: no list
// of names, so a deep working directory costs its length, not an allocation
// per name.
std::string resolvePath(std::string_view base, std::string_view path) {
  std::string out;
  out.reserve(base.size() + path.size() + 1);
  auto follow = [&](std::string_view names) {
    for (size_t at = 0; at <= names.size();) {
      size_t slash = std::min(names.find('/', at), names.size());
      std::string_view name = names.substr(at, slash - at);
      if (name == "..") {
        size_t last = out.rfind('/');
        out.erase(last == std::string::npos ? 0 : last);
      } else if (!name.empty() && name != ".") {
        out += '/';
        out += name;
      }
      at = slash + 1;
    }
  };
  if (!path.starts_with("/")) follow(base);
  follow(path);
  return out.empty() ? "/" : out;
}

namespace {

// resolvePath(dir, path) in place, for a `dir` resolvePath made (absolute,
// clean): in time of `path`, not of `dir`, which a chain of relative WORKDIRs
// makes long.
void resolveInPlace(std::string& dir, std::string_view path) {
  if (path.starts_with('/')) {
    dir = resolvePath("/", path);
    return;
  }
  for (size_t at = 0; at <= path.size();) {
    size_t slash = std::min(path.find('/', at), path.size());
    std::string_view part = path.substr(at, slash - at);
    if (part == "..") {
      dir.erase(std::max<size_t>(dir.rfind('/'), 1));
    } else if (!part.empty() && part != ".") {
      if (dir != "/") dir += '/';
      dir += part;
    }
    at = slash + 1;
  }
}

// The working directory after the WORKDIRs of instructions [from, to), starting in `dir`.
// [from, to) lies in one stage.
std::optional<std::string> followWorkdirs(const Dockerfile& file, std::string dir, size_t from, size_t to) {
  const Stage* stage = from < to ? stageOf(file, from) : nullptr;
  if (!stage) return dir;
  std::optional<VariablesWalk> variables;
  for (size_t i : stage->workdirs) {
    if (i < from) continue;
    if (i >= to) break;
    const Instruction& instruction = file.instructions[i];
    if (instruction.arguments.empty()) continue;
    std::string target = instruction.arguments[0].text;
    if (hasVariable(target)) {
      if (!variables) variables.emplace(file);
      auto expanded = expandVariables(target, variables->before(i));
      if (!expanded) return std::nullopt;
      target = *expanded;
    }
    resolveInPlace(dir, unquoteValue(target));
  }
  return dir;
}

// The working directory a stage starts in: its parent stage's, or "/".
std::optional<std::string> initialWorkdir(const Dockerfile& file, const Stage& stage) {
  const Stage* parent = findStage(file, stage.baseImage);
  if (!parent || parent->index >= stage.index) return std::string("/");
  auto inherited = initialWorkdir(file, *parent);
  if (!inherited) return std::nullopt;
  return followWorkdirs(file, *inherited, parent->from + 1, parent->end);
}

}  // namespace

std::optional<std::string> workdirBefore(const Dockerfile& file, size_t index) {
  const Stage* stage = stageOf(file, index);
  if (!stage) return std::string("/");
  auto dir = initialWorkdir(file, *stage);
  if (!dir) return std::nullopt;
  return followWorkdirs(file, *dir, stage->from + 1, index);
}

bool isRemoteSource(std::string_view source) {
  size_t scheme = source.find("://");
  return (scheme != std::string_view::npos && scheme > 0) || source.starts_with("git@");
}

std::string userAtEnd(const Dockerfile& file, const Stage& stage) {
  std::string user;
  if (const Stage* parent = findStage(file, stage.baseImage); parent && parent->index < stage.index) {
    user = userAtEnd(file, *parent);
  }
  for (size_t i = stage.from + 1; i < stage.end; ++i) {
    const Instruction& instruction = file.instructions[i];
    if (instruction.is("user") && !instruction.arguments.empty()) user = instruction.arguments[0].text;
  }
  return user;
}

}  // namespace dfopt::model
