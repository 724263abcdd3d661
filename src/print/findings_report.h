#pragma once
// What the machine-readable formats (JSON, SARIF, GitHub) say about one
// Dockerfile: each finding with its place in the input (start and end),
// its edits as replacements of the input, and the files it writes.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/pipeline.h"

namespace dfopt::print {

struct ReportedFinding {
  engine::Finding finding;  // its own `edits` are of the text its step saw: use `edits`
  uint32_t offset = 0;      // the instruction it is about, in the input: start
  uint32_t endOffset = 0;   // and end (its last line, without the newline)
  syntax::Position start, end;
  std::vector<engine::Edit> edits;        // replacements of the input (print/finding_edits.h)
  std::vector<engine::FileChange> files;  // the written files, each credited to one finding

  bool fixes() const { return !edits.empty() || !files.empty(); }
};

struct FileReport {
  std::string path;        // the Dockerfile as the user named it ("<stdin>" for -)
  std::string uriPath;     // the same for a URI: relative, '/'; "Dockerfile" for stdin
  std::string contextDir;  // the build context, as given or derived
  std::string input;       // the Dockerfile's bytes
  std::shared_ptr<const syntax::SourceText> source;
  bool changed = false;  // fix would change the Dockerfile or write a file
  std::vector<ReportedFinding> findings;
  std::optional<std::string> diff;  // diff --format json: the unified diff
};

FileReport reportFile(std::string path, std::string uriPath, std::string contextDir,
                      const engine::PipelineOutcome& outcome);

// The path of a file of the build context as the user would name it:
// `contextDir`/`path`, lexically normal, '/' separators.
std::string contextFilePath(const std::string& contextDir, const std::string& path);

// Characters (Unicode code points) before byte `offset` of `text`.
uint32_t charOffset(std::string_view text, uint32_t offset);

}  // namespace dfopt::print
