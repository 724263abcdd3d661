#include "cli/parse_command.h"

#include <iostream>
#include <memory>

#include "cli/input.h"
#include "model/dump.h"
#include "syntax/syntax_tree.h"

namespace dfopt::cli {
namespace {

struct ParseOptions {
  std::string dump = "buildkit";
  std::string path;
};

int runParse(const ParseOptions& options) {
  auto input = readInput(options.path);
  if (!input) return kUsageOrInputError;
  if (options.dump == "tree") {
    if (auto problem = syntax::findEncodingProblem(input->bytes)) {
      model::ParseOutcome outcome{std::make_shared<const syntax::SourceText>(input->bytes),
                                  {},
                                  {{problem->offset, problem->message}}};
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

}  // namespace

void addParseCommand(CLI::App& app, int& exitCode) {
  auto options = std::make_shared<ParseOptions>();
  CLI::App* command = app.add_subcommand(
      "parse", "Parse a Dockerfile and print its syntax tree, BuildKit's AST dump or the model");
  command->add_option("--dump", options->dump, "What to print")
      ->check(CLI::IsMember({"tree", "buildkit", "json"}))
      ->capture_default_str();
  command->add_option("file", options->path, "Dockerfile to read, or - for stdin")->required();
  command->callback([options, &exitCode] { exitCode = runParse(*options); });
}

}  // namespace dfopt::cli
