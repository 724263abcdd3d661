// The move: COPY lines for the manifests and the early RUN inserted above
// the full copy, and what stays of the install RUN below it.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/instruction_edits.h"
#include "engine/style.h"
#include "transforms/deps_first/install.h"
#include "util/text.h"

namespace dfopt::transforms::deps_first {

using text::isOneOf;

using engine::Edit;
using model::Instruction;

namespace {

std::string joinNames(const std::vector<std::string>& names, std::string_view separator) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : std::string(separator)) + name;
  return out;
}

// The destination of `subdirectory` of the copied directory, written like
// the full copy's destination ("." -> "./", "/app" -> "/app/").
std::string destinationFor(std::string_view written, std::string_view subdirectory) {
  std::string base(written);
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  std::string out = base == "/" ? "/" : base + "/";
  if (!subdirectory.empty() && subdirectory != ".") out += std::string(subdirectory) + "/";
  return out;
}

bool hasBlank(std::string_view text) { return text.find_first_of(" \t") != std::string_view::npos; }

std::string copyArguments(const std::vector<std::string>& sources, const std::string& destination,
                          bool json) {
  std::vector<std::string> all = sources;
  all.push_back(destination);
  json = json || std::any_of(all.begin(), all.end(), [](const std::string& path) { return hasBlank(path); });
  if (!json) return joinNames(all, " ");
  std::vector<std::string> quoted;
  for (const std::string& path : all) quoted.push_back(nlohmann::json(path).dump());
  return "[" + joinNames(quoted, ", ") + "]";
}

// The full copy's flags as written (--chown, --chmod, --link), those COPY
// accepts.
std::string copyFlags(const model::Dockerfile& file, const Instruction& copy) {
  std::string flags;
  for (const model::Flag& flag : copy.flags) {
    if (isOneOf(flag.name, {"checksum", "keep-git-dir", "unpack"})) continue;
    flags += file.source->bytes().substr(flag.range.begin, flag.range.size()) + " ";
  }
  return flags;
}

// Source range of the script bytes [begin, end) of a RUN.
model::ByteRange sourceOf(const Instruction& run, size_t begin, size_t end) {
  return run.line.sourceRange(run.argumentsBegin + begin, run.argumentsBegin + end);
}

bool containsComment(const Instruction& run, model::ByteRange range) {
  return std::any_of(run.innerComments.begin(), run.innerComments.end(), [&](const model::Comment& comment) {
    return comment.range.begin >= range.begin && comment.range.begin < range.end;
  });
}

// Edits removing the script bytes [begin, end) of a RUN. Across comment
// lines inside the RUN, only the script's own bytes go, so the comments,
// the line continuations around them and the indentation of the lines
// stay.
std::vector<Edit> removeScriptBytes(const model::Dockerfile& file, const Instruction& run, size_t begin,
                                    size_t end) {
  model::ByteRange whole = sourceOf(run, begin, end);
  if (!containsComment(run, whole)) return {{whole, ""}};
  std::string_view bytes = file.source->bytes();
  auto isBlank = [&](uint32_t offset) { return bytes[offset] == ' ' || bytes[offset] == '\t'; };
  std::vector<Edit> edits;
  const model::LogicalLine& line = run.line;
  size_t at = run.argumentsBegin + begin;
  size_t stop = run.argumentsBegin + end;
  while (at < stop) {
    size_t next = std::min(line.runEnd(at), stop);
    uint32_t from = line.sourceOffset(at);
    uint32_t to = line.sourceOffset(next - 1) + 1;
    if (from == engine::lineStart(bytes, from)) {
      while (from < to && isBlank(from)) ++from;
    }
    if (from < to) edits.push_back({{from, to}, ""});
    at = next;
  }
  return edits;
}

// Removes the RUN's block and, between two blank lines, one of them.
Edit removeRunBlock(const model::Dockerfile& file, const Instruction& run) {
  Edit edit = engine::removeBlock(file, run);
  std::string_view bytes = file.source->bytes();
  if (engine::followsBlankLine(file, run) && engine::isBlankLine(bytes, edit.range.end)) {
    edit.range.end = engine::nextLineStart(bytes, edit.range.end);
  }
  return edit;
}

}  // namespace

std::string copyLines(const model::Dockerfile& file, const Instruction& copy,
                      const std::string& writtenDestination, const std::vector<Manifest>& manifests) {
  engine::Style style(file);
  std::string indentation = style.indentationAt(file, copy.range.begin);
  std::string flags = copyFlags(file, copy);
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // destination -> sources
  for (const Manifest& manifest : manifests) {
    std::string destination = destinationFor(
        writtenDestination, manifest.directory ? manifest.relative : text::dirName(manifest.relative));
    auto group =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == destination; });
    if (manifest.directory || group == groups.end()) {
      groups.push_back({destination, {manifest.path}});
    } else {
      group->second.push_back(manifest.path);
    }
  }
  std::string lines;
  for (const auto& [destination, sources] : groups) {
    lines += indentation + style.line("COPY", flags + copyArguments(sources, destination, copy.jsonForm));
  }
  return lines;
}

std::optional<std::string> earlyRunText(const model::Dockerfile& file, const Instruction& run,
                                        const shell::Script& script, const Segment& segment,
                                        bool removesRun) {
  const std::string& bytes = file.source->bytes();
  const auto& commands = script.commands;
  // A RUN that moves as a whole keeps its trailing session commands too.
  bool toEnd = removesRun || segment.end == commands.size();
  uint32_t begin = run.range.begin;
  uint32_t end = toEnd ? engine::blockEnd(file, run) : sourceOf(run, 0, commands[segment.end - 1].end).end;
  std::vector<Edit> edits;
  for (size_t i = 0; i < segment.end; ++i) {
    if (!segment.installs[i]) continue;
    const Install& install = *segment.installs[i];
    model::ByteRange range = sourceOf(run, commands[i].begin, commands[i].end);
    if (!install.earlyCommand.empty()) {
      if (removesRun && containsComment(run, range)) return std::nullopt;
      edits.push_back({{range.begin - begin, range.end - begin}, install.earlyCommand});
    } else if (!install.addedFlags.empty()) {
      // After the last word, so that the flags come before any redirection.
      uint32_t at = sourceOf(run, commands[i].words.back().begin, commands[i].words.back().end).end - begin;
      edits.push_back({{at, at}, install.addedFlags});
    }
  }
  if (!removesRun) {
    for (const model::Comment& comment : run.innerComments) {
      if (comment.range.begin < begin || comment.range.begin >= end) continue;
      uint32_t lineBegin = engine::lineStart(bytes, comment.range.begin);
      uint32_t lineEnd = engine::nextLineStart(bytes, comment.range.begin);
      bool inEdit = std::any_of(edits.begin(), edits.end(), [&](const Edit& edit) {
        return lineBegin - begin < edit.range.end && lineEnd - begin > edit.range.begin;
      });
      if (!inEdit) edits.push_back({{lineBegin - begin, lineEnd - begin}, ""});
    }
  }
  auto text = engine::applyEdits(std::string_view(bytes).substr(begin, end - begin), edits);
  if (!text) return std::nullopt;
  uint32_t start = removesRun ? engine::blockStart(file, run) : engine::lineStart(bytes, run.range.begin);
  std::string out = bytes.substr(start, begin - start) + *text;
  if (out.back() != '\n') out += engine::Style(file).newline();
  return out;
}

std::vector<Edit> laterRunEdits(const model::Dockerfile& file, const Instruction& run,
                                const shell::Script& script, const Segment& segment, bool removesRun) {
  if (removesRun) return {removeRunBlock(file, run)};
  std::vector<Edit> edits;
  const auto& commands = script.commands;
  size_t i = 0;
  while (i < commands.size()) {
    if (segment.keptLater(i)) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j + 1 < commands.size() && !segment.keptLater(j + 1)) ++j;
    // A kept command follows: the removed ones go with their operators.
    for (Edit& edit : removeScriptBytes(file, run, commands[i].begin, commands[j + 1].begin))
      edits.push_back(edit);
    i = j + 1;
  }
  return edits;
}

bool removesWholeRun(const Segment& segment, size_t commandCount) {
  for (size_t i = 0; i < commandCount; ++i) {
    if (segment.keptLater(i) && segment.roles[i] != Role::Session) return false;
  }
  return true;
}

std::string successMessage(const Plan& plan) {
  std::vector<std::string> files;
  std::vector<std::string> labels;
  for (const Manifest& manifest : plan.manifests)
    files.push_back(manifest.path + (manifest.directory ? "/" : ""));
  for (const Install& install : plan.installs) labels.push_back(install.label);
  auto any = [&](auto predicate) {
    return std::any_of(plan.installs.begin(), plan.installs.end(), predicate);
  };
  bool installs = any([](const Install& install) { return install.step == Step::Installs; });
  std::string what = fmt::format("{} dependencies from {} before copying the source",
                                 installs ? "install" : "download", joinNames(files, ", "));
  if (any([](const Install& install) { return install.step == Step::Builds; })) {
    return fmt::format("{}: a source edit no longer re-downloads them for {}", what,
                       joinNames(labels, " and "));
  }
  if (any([](const Install& install) { return install.keepLater; })) {
    return fmt::format("{}: after a source edit, {} finds them installed", what, joinNames(labels, " and "));
  }
  return fmt::format("{}: a source edit no longer re-runs {}", what, joinNames(labels, " and "));
}

}  // namespace dfopt::transforms::deps_first
