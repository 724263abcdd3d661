#pragma once
// The instruction graph (within a stage: an edge when a later instruction
// reads or writes what an earlier one wrote or read) and the stage graph
// (FROM stage, COPY --from, RUN --mount=from), both with Boost.Graph.
#include <optional>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "analysis/effects.h"

namespace dfopt::analysis {

struct Dependency {
  size_t from = 0;  // instruction indices, from < to
  size_t to = 0;
  // "RUN poetry install reads poetry.lock, which COPY . . writes", its line
  // numbers as engine::lineMention
  std::string why;
};

class InstructionGraph {
 public:
  // The instructions [begin, end) of one stage, with their effects.
  InstructionGraph(const model::Dockerfile& file, const std::vector<Effects>& effects, size_t begin,
                   size_t end);

  // Does instruction `later` depend on `earlier`, directly or through others?
  bool dependsOn(size_t later, size_t earlier) const;
  // May the two instructions trade places: no dependency either way?
  bool maySwap(size_t a, size_t b) const { return !dependsOn(a, b) && !dependsOn(b, a); }
  // The direct dependency of `later` on `earlier`, if there is one.
  std::optional<Dependency> direct(size_t later, size_t earlier) const;
  const std::vector<Dependency>& dependencies() const { return dependencies_; }
  size_t begin() const { return begin_; }
  size_t end() const { return end_; }

 private:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  size_t begin_;
  size_t end_;
  Graph graph_;
  std::vector<Dependency> dependencies_;
};

struct StageEdge {
  size_t from = 0;         // the stage used
  size_t to = 0;           // the stage that uses it
  size_t instruction = 0;  // FROM, COPY --from or RUN --mount
  std::string kind;        // "from", "copy", "mount"
};

class StageGraph {
 public:
  explicit StageGraph(const model::Dockerfile& file);
  StageGraph(const StageGraph&) = delete;
  StageGraph& operator=(const StageGraph&) = delete;

  const std::vector<StageEdge>& edges() const { return edges_; }
  // The stages `target` needs, itself included, in the file's order.
  std::vector<size_t> stagesFor(size_t target) const;
  // Stages that depend on each other in a circle (each cycle once).
  std::vector<std::vector<size_t>> cycles() const;
  // The stages in an order where each comes after those it uses; nothing
  // when there is a cycle.
  std::optional<std::vector<size_t>> buildOrder() const;
  // References to stages that do not exist: {instruction, name}.
  const std::vector<std::pair<size_t, std::string>>& unknownReferences() const { return unknown_; }
  size_t size() const { return stageCount_; }

 private:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
  size_t stageCount_ = 0;
  Graph graph_;
  std::vector<StageEdge> edges_;
  std::vector<std::pair<size_t, std::string>> unknown_;
};

}  // namespace dfopt::analysis
