#include "analysis/graph.h"

// GCC 12 sees Boost's optional-held edge iterators as maybe uninitialized
// once inlined here (a false positive inside Boost's headers).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <deque>

#include <fmt/format.h>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>

#include "engine/line_mention.h"

namespace dfopt::analysis {
namespace {

// The first pair of accesses by which `later` depends on `earlier`.
std::optional<std::string> conflictBetween(const model::Dockerfile& file, const Effects& earlier,
                                           const Effects& later) {
  // Reads first: "it reads what that writes" explains best.
  std::vector<const Access*> ordered;
  for (const Access& access : later.accesses) {
    if (!access.write) ordered.push_back(&access);
  }
  for (const Access& access : later.accesses) {
    if (access.write) ordered.push_back(&access);
  }
  for (const Access* second : ordered) {
    for (const Access& first : earlier.accesses) {
      if (conflicts(first, *second)) {
        return fmt::format("{}, and {} (line {})", second->why.text(), first.why.text(),
                           engine::lineMention(file.instructions[earlier.index].range.begin));
      }
    }
  }
  return std::nullopt;
}

}  // namespace

InstructionGraph::InstructionGraph(const model::Dockerfile& file, const std::vector<Effects>& effects,
                                   size_t begin, size_t end)
    : begin_(begin), end_(end), graph_(end - begin) {
  for (size_t later = begin; later < end; ++later) {
    for (size_t earlier = begin; earlier < later; ++earlier) {
      if (auto why = conflictBetween(file, effects[earlier], effects[later])) {
        boost::add_edge(earlier - begin, later - begin, graph_);
        dependencies_.push_back({earlier, later, std::move(*why)});
      }
    }
  }
}

bool InstructionGraph::dependsOn(size_t later, size_t earlier) const {
  if (later <= earlier || earlier < begin_ || later >= end_) return false;
  std::vector<bool> seen(end_ - begin_, false);
  std::deque<size_t> queue{earlier - begin_};
  while (!queue.empty()) {
    size_t vertex = queue.front();
    queue.pop_front();
    for (auto [edge, last] = boost::out_edges(vertex, graph_); edge != last; ++edge) {
      size_t next = boost::target(*edge, graph_);
      if (next == later - begin_) return true;
      if (!seen[next] && next < later - begin_) {
        seen[next] = true;
        queue.push_back(next);
      }
    }
  }
  return false;
}

std::optional<Dependency> InstructionGraph::direct(size_t later, size_t earlier) const {
  for (const Dependency& dependency : dependencies_) {
    if (dependency.from == earlier && dependency.to == later) return dependency;
  }
  return std::nullopt;
}

StageGraph::StageGraph(const model::Dockerfile& file)
    : stageCount_(file.stages.size()), graph_(file.stages.size()) {
  for (const model::Stage& stage : file.stages) {
    for (size_t i = stage.from; i < stage.end; ++i) {
      StageUses uses = stageUsesOf(file, stage.index, i);
      const model::Instruction& instruction = file.instructions[i];
      std::string kind = instruction.is("from") ? "from" : instruction.is("run") ? "mount" : "copy";
      for (size_t used : uses.used) {
        boost::add_edge(used, stage.index, graph_);
        edges_.push_back({used, stage.index, i, kind});
      }
      for (std::string& name : uses.unknown) unknown_.emplace_back(i, std::move(name));
    }
  }
}

std::vector<size_t> StageGraph::stagesFor(size_t target) const {
  std::vector<bool> needed(stageCount_, false);
  std::deque<size_t> queue{target};
  needed[target] = true;
  while (!queue.empty()) {
    size_t stage = queue.front();
    queue.pop_front();
    for (auto [edge, last] = boost::in_edges(stage, graph_); edge != last; ++edge) {
      size_t used = boost::source(*edge, graph_);
      if (!needed[used]) {
        needed[used] = true;
        queue.push_back(used);
      }
    }
  }
  std::vector<size_t> out;
  for (size_t stage = 0; stage < stageCount_; ++stage) {
    if (needed[stage]) out.push_back(stage);
  }
  return out;
}

std::vector<std::vector<size_t>> StageGraph::cycles() const {
  std::vector<int> component(stageCount_);
  int count = stageCount_ == 0 ? 0 : boost::strong_components(graph_, component.data());
  std::vector<std::vector<size_t>> groups(static_cast<size_t>(count));
  for (size_t stage = 0; stage < stageCount_; ++stage)
    groups[static_cast<size_t>(component[stage])].push_back(stage);
  std::vector<std::vector<size_t>> out;
  for (auto& group : groups) {
    bool selfLoop = group.size() == 1 && boost::edge(group[0], group[0], graph_).second;
    if (group.size() > 1 || selfLoop) out.push_back(std::move(group));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::vector<size_t>> StageGraph::buildOrder() const {
  if (!cycles().empty()) return std::nullopt;
  std::vector<size_t> reversed;
  boost::topological_sort(graph_, std::back_inserter(reversed));
  return std::vector<size_t>(reversed.rbegin(), reversed.rend());
}

}  // namespace dfopt::analysis
