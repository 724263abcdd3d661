#include "print/findings_report.h"

#include <algorithm>
#include <filesystem>

#include "print/finding_edits.h"

namespace dfopt::print {
namespace {

// The end of the instruction at `offset` (its last line, without the
// newline), or of the line at `offset` when no instruction is there.
uint32_t endOfFinding(const std::string& input, const engine::InputIndex& instructions, uint32_t offset) {
  uint32_t end = static_cast<uint32_t>(input.find('\n', offset));
  if (end > input.size()) end = static_cast<uint32_t>(input.size());
  if (std::optional<size_t> at = instructions.instructionAt(offset))
    end = std::max(end, instructions.instructions()[*at].range.end);
  while (end > offset && (input[end - 1] == '\n' || input[end - 1] == '\r')) --end;
  return end;
}

// Each written file goes with the last finding that writes it (else the
// first that changes something), so that a fix never writes it twice.
size_t writerOf(const engine::FileChange& file, const std::vector<engine::Finding>& findings) {
  for (size_t f = findings.size(); f-- > 0;) {
    for (const engine::ExtraFile& extra : findings[f].files) {
      if (extra.path == file.path) return f;
    }
  }
  for (size_t f = 0; f < findings.size(); ++f) {
    if (findings[f].changes()) return f;
  }
  return 0;
}

}  // namespace

FileReport reportFile(std::string path, std::string uriPath, std::string contextDir,
                      const engine::PipelineOutcome& outcome) {
  FileReport report{std::move(path),
                    std::move(uriPath),
                    std::move(contextDir),
                    outcome.before,
                    outcome.inputSource,
                    outcome.changed(),
                    {},
                    std::nullopt};
  std::vector<std::vector<engine::Edit>> edits = inputEdits(outcome);
  for (size_t f = 0; f < outcome.findings.size(); ++f) {
    ReportedFinding& reported = report.findings.emplace_back();
    reported.finding = outcome.findings[f];
    reported.offset =
        std::min<uint32_t>(reported.finding.offset, static_cast<uint32_t>(outcome.before.size()));
    reported.endOffset = endOfFinding(outcome.before, outcome.input, reported.offset);
    reported.start = outcome.inputSource->position(reported.offset);
    reported.end = outcome.inputSource->position(reported.endOffset);
    reported.edits = std::move(edits[f]);
  }
  for (const engine::FileChange& written : outcome.files) {
    if (report.findings.empty()) break;
    report.findings[writerOf(written, outcome.findings)].files.push_back(written);
  }
  return report;
}

std::string contextFilePath(const std::string& contextDir, const std::string& path) {
  std::filesystem::path joined = (std::filesystem::path(contextDir) / path).lexically_normal();
  std::string out = joined.generic_string();
  return out.empty() ? std::string(".") : out;
}

uint32_t charOffset(std::string_view text, uint32_t offset) {
  uint32_t chars = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars;
}

}  // namespace dfopt::print
