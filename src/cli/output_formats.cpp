#include "cli/output_formats.h"

#include <iostream>

#include "cli/files.h"
#include "print/findings_github.h"
#include "print/findings_json.h"
#include "print/findings_sarif.h"
#include "transforms/transforms.h"
#include "util/normal_path.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

void addFormatOption(CLI::App& command, std::string& format) {
  command.add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}))
      ->capture_default_str();
}

std::string runDiff(const FileRun& run, print::DiffColors colors) {
  const engine::PipelineOutcome& outcome = run.outcome;
  if (!outcome.changed()) return {};
  std::string path = run.path == "-" ? std::string("Dockerfile") : diffHeaderPath(run.path);
  std::string diff = print::unifiedDiff(path, outcome.before, outcome.after, true, true, 3, colors);
  for (const engine::FileChange& file : outcome.files) {
    diff += print::unifiedDiff(diffHeaderPath(run.contextDir / file.path), file.before.value_or(""),
                               file.after, file.before.has_value(), true, 3, colors);
  }
  return diff;
}

FormattedOutput::FormattedOutput(std::string format, std::string command)
    : format_(std::move(format)), command_(std::move(command)) {}

void FormattedOutput::add(const FileRun& run) {
  std::string uriPath = run.path == "-" ? "Dockerfile" : util::lexicallyNormal(run.path).generic_string();
  print::FileReport report =
      print::reportFile(run.displayName, uriPath, run.contextDir.string(), run.outcome);
  bool isDiff = command_ == "diff";
  if (format_ == "github") {
    std::cout << print::findingsGithub(report, isDiff);
    if (isDiff) std::cout << runDiff(run, {});
    return;
  }
  if (isDiff && format_ == "json") report.diff = runDiff(run, {});
  reports_.push_back(std::move(report));
}

void FormattedOutput::finish(std::ostream& out) const {
  if (format_ == "json") out << print::findingsJson(reports_, command_, DFOPT_VERSION);
  if (format_ == "sarif") {
    std::vector<std::string> names;
    for (const engine::Transform* transform : transforms::all()) names.emplace_back(transform->name());
    out << print::findingsSarif(reports_, names, DFOPT_VERSION);
  }
}

std::shared_ptr<FormattedOutput> makeFormattedOutput(const std::string& format, std::string command) {
  if (format == "text") return nullptr;
  return std::make_shared<FormattedOutput>(format, std::move(command));
}

}  // namespace dfopt::cli
