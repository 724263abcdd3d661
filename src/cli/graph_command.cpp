#include "cli/graph_command.h"

#include <deque>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/graph.h"
#include "cli/input.h"
#include "engine/line_mention.h"

namespace dfopt::cli {
namespace {

struct GraphOptions {
  std::string format = "dot";
  bool instructions = false;
  std::string path = "Dockerfile";
};

std::string dotQuoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "\"";
}

std::string edgeLabel(const model::Dockerfile& file, const analysis::StageEdge& edge) {
  std::string_view kind = edge.kind == "from" ? "FROM" : edge.kind == "mount" ? "RUN --mount" : "COPY --from";
  return fmt::format("{} (line {})", kind, file.lineOf(edge.instruction));
}

// A deque: the graphs are never copied or moved.
std::deque<analysis::InstructionGraph> instructionGraphs(const model::Dockerfile& file,
                                                         const std::vector<analysis::Effects>& effects) {
  std::deque<analysis::InstructionGraph> graphs;
  for (const model::Stage& stage : file.stages) graphs.emplace_back(file, effects, stage.from, stage.end);
  return graphs;
}

void printDot(const model::Dockerfile& file, const std::vector<analysis::Effects>& effects,
              const analysis::StageGraph& stages, bool instructions) {
  std::cout << "digraph dockerfile {\n  rankdir=LR;\n  node [shape=box];\n";
  for (const model::Stage& stage : file.stages) {
    std::string label = fmt::format("{}{}\nFROM {}", stage.name.empty() ? "stage " : "",
                                    file.stageLabel(stage.index), stage.baseImage);
    if (!instructions) {
      std::cout << fmt::format("  s{} [label={}];\n", stage.index, dotQuoted(label));
      continue;
    }
    std::cout << fmt::format("  subgraph cluster_{} {{\n    label={};\n", stage.index, dotQuoted(label));
    for (size_t i = stage.from; i < stage.end; ++i) {
      std::cout << fmt::format(
          "    i{} [label={}];\n", i,
          dotQuoted(fmt::format("{}: {}", file.lineOf(i), analysis::describe(file.instructions[i]))));
    }
    std::cout << "  }\n";
  }
  for (const analysis::StageEdge& edge : stages.edges()) {
    size_t from = instructions ? file.stages[edge.from].end - 1 : edge.from;
    std::string to = instructions ? fmt::format("i{}", edge.instruction) : fmt::format("s{}", edge.to);
    std::cout << fmt::format("  {}{} -> {} [label={}];\n", instructions ? "i" : "s", from, to,
                             dotQuoted(edgeLabel(file, edge)));
  }
  if (instructions) {
    for (const analysis::InstructionGraph& graph : instructionGraphs(file, effects)) {
      for (const analysis::Dependency& dependency : graph.dependencies()) {
        std::cout << fmt::format("  i{} -> i{} [style=dashed, tooltip={}];\n", dependency.from, dependency.to,
                                 dotQuoted(engine::writeLineMentions(dependency.why, file)));
      }
    }
  }
  std::cout << "}\n";
}

void printJson(const model::Dockerfile& file, const std::vector<analysis::Effects>& effects,
               const analysis::StageGraph& stages, bool instructions) {
  nlohmann::json out;
  out["stages"] = nlohmann::json::array();
  for (const model::Stage& stage : file.stages) {
    out["stages"].push_back({{"index", stage.index},
                             {"name", stage.name},
                             {"base", stage.baseImage},
                             {"line", file.lineOf(stage.from)}});
  }
  out["edges"] = nlohmann::json::array();
  for (const analysis::StageEdge& edge : stages.edges()) {
    out["edges"].push_back(
        {{"from", edge.from}, {"to", edge.to}, {"kind", edge.kind}, {"line", file.lineOf(edge.instruction)}});
  }
  out["unknown"] = nlohmann::json::array();
  for (const auto& [index, name] : stages.unknownReferences()) {
    out["unknown"].push_back({{"line", file.lineOf(index)}, {"name", name}});
  }
  out["cycles"] = stages.cycles();
  if (auto order = stages.buildOrder()) out["order"] = *order;
  if (instructions) {
    out["dependencies"] = nlohmann::json::array();
    for (const analysis::InstructionGraph& graph : instructionGraphs(file, effects)) {
      for (const analysis::Dependency& dependency : graph.dependencies()) {
        out["dependencies"].push_back({{"from", file.lineOf(dependency.from)},
                                       {"to", file.lineOf(dependency.to)},
                                       {"why", engine::writeLineMentions(dependency.why, file)}});
      }
    }
  }
  std::cout << out.dump(2) << "\n";
}

int runGraph(const GraphOptions& options) {
  std::string displayName;
  auto parsed = readDockerfile(options.path, displayName);
  if (!parsed) return kUsageOrInputError;
  const model::Dockerfile& file = *parsed->dockerfile;
  const auto& effects = analysis::analyzeEffects(file);
  analysis::StageGraph stages(file);
  if (options.format == "json") {
    printJson(file, effects, stages, options.instructions);
  } else {
    printDot(file, effects, stages, options.instructions);
  }
  return kOk;
}

}  // namespace

void addGraphCommand(CLI::App& app, int& exitCode) {
  auto options = std::make_shared<GraphOptions>();
  CLI::App* command =
      app.add_subcommand("graph", "Print the stage graph (and the instruction graph) as DOT or JSON");
  command->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"dot", "json"}))
      ->capture_default_str();
  command->add_flag("--instructions", options->instructions,
                    "Also the instructions and the dependencies between them");
  command->add_option("file", options->path, "Dockerfile to read, or - for stdin")->capture_default_str();
  command->callback([options, &exitCode] { exitCode = runGraph(*options); });
}

}  // namespace dfopt::cli
