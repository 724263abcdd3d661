#include "cli/parse_command.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/input.h"
#include "model/dump.h"
#include "syntax/syntax_tree.h"

namespace dfopt::cli {
namespace {

struct ParseOptions {
  std::string dump = "buildkit";
  std::vector<std::string> paths;
};

int parseOne(const ParseOptions& options, const std::string& path) {
  auto input = readInput(path);
  if (!input) return kUsageOrInputError;
  if (options.dump == "tree") {
    if (auto problem = syntax::findEncodingProblem(input->bytes)) {
      model::ParseOutcome outcome{std::make_shared<const syntax::SourceText>(input->bytes),
                                  {},
                                  {{problem->offset, problem->message}},
                                  nullptr,
                                  nullptr};
      reportProblems(input->displayName, outcome);
      return kUsageOrInputError;
    }
    syntax::SyntaxTree tree = syntax::SyntaxTree::parse(input->bytes);
    std::cout << tree.dump();
  }
  model::ParseOutcome outcome = model::parseDockerfile(std::move(input->bytes));
  if (!outcome.dockerfile) {
    reportProblems(input->displayName, outcome);
    return kUsageOrInputError;
  }
  if (options.dump == "buildkit") std::cout << model::buildkitDump(*outcome.dockerfile);
  if (options.dump == "json") std::cout << model::jsonDump(*outcome.dockerfile);
  return kOk;
}

// Every file, in order; the worst exit code.
int runParse(const ParseOptions& options) {
  int worst = kOk;
  for (const std::string& path : options.paths) worst = std::max(worst, parseOne(options, path));
  return worst;
}

}  // namespace

void addParseCommand(CLI::App& app, int& exitCode) {
  auto options = std::make_shared<ParseOptions>();
  CLI::App* command = app.add_subcommand(
      "parse", "Parse Dockerfiles and print their syntax tree, BuildKit's AST dump or the model");
  command
      ->add_option("--dump", options->dump,
                   "What to print (none: only the errors of the files that do not parse)")
      ->check(CLI::IsMember({"tree", "buildkit", "json", "none"}))
      ->capture_default_str();
  command->add_option("files", options->paths, "Dockerfiles to read, or - for stdin")->required();
  command->callback([options, &exitCode] { exitCode = runParse(*options); });
}

}  // namespace dfopt::cli
