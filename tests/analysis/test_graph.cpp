// The instruction and stage graphs.
#include <catch2/catch.hpp>

#include "analysis/graph.h"
#include "engine/line_mention.h"
#include "support.h"

using namespace dfopt;
using dfopt::testing::parseValid;

TEST_CASE("instructions that share no state may swap", "[analysis][graph]") {
  auto file = parseValid(
      "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install poetry\nENV "
      "POETRY_VIRTUALENVS_CREATE=false\n"
      "EXPOSE 5000\nRUN poetry install\n");
  auto effects = analysis::analyzeEffects(file);
  analysis::InstructionGraph graph(file, effects, 0, file.instructions.size());
  CHECK(graph.maySwap(2, 3));    // the full copy and installing poetry
  CHECK(graph.maySwap(2, 4));    // the full copy and an ENV
  CHECK(graph.maySwap(2, 5));    // EXPOSE
  CHECK(graph.dependsOn(6, 2));  // poetry install reads the copied manifests
  CHECK(graph.dependsOn(6, 3));  // ... runs the poetry installed before
  CHECK(graph.dependsOn(6, 4));  // ... sees the ENV
  CHECK(graph.dependsOn(2, 1));  // COPY . . is relative to the WORKDIR
  auto why = graph.direct(6, 2);
  REQUIRE(why);
  CHECK(engine::writeLineMentions(why->why, file) ==
        "poetry reads pyproject.toml, and COPY writes /app (line 3)");
}

TEST_CASE("the stage graph: uses, order, unused stages, unknown names and cycles", "[analysis][graph]") {
  auto file = parseValid(
      "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM alpine AS tools\nFROM build AS test\n"
      "FROM scratch\nCOPY --from=build /app /app\nCOPY --from=biulder /x /x\nCOPY --from=nginx:1 /etc/n "
      "/n\n");
  auto effects = analysis::analyzeEffects(file);
  analysis::StageGraph stages(file, effects);
  CHECK(stages.stagesFor(3) == std::vector<size_t>{0, 3});
  CHECK(stages.stagesFor(0) == std::vector<size_t>{0});
  REQUIRE(stages.unknownReferences().size() == 1);
  CHECK(stages.unknownReferences()[0].second == "biulder");
  CHECK(stages.cycles().empty());
  auto order = stages.buildOrder();
  REQUIRE(order);
  CHECK(order->size() == 4);

  auto cyclic = parseValid("FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n");
  auto cyclicEffects = analysis::analyzeEffects(cyclic);
  analysis::StageGraph cycle(cyclic, cyclicEffects);
  CHECK(cycle.cycles() == std::vector<std::vector<size_t>>{{0, 1}});
  CHECK_FALSE(cycle.buildOrder());
}

TEST_CASE("a virtualenv of its own may be filled before an install that does not use it",
          "[analysis][graph]") {
  auto file = parseValid(
      "FROM my-poetry:devel\nENV POETRY_VIRTUALENVS_IN_PROJECT=true\nWORKDIR /app\n"
      "COPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\n"
      "RUN python -m venv /opt/venv && VIRTUAL_ENV=/opt/venv poetry install --only main --no-root\n"
      "ENV VIRTUAL_ENV=/opt/venv\nRUN pip install flask\n");
  auto effects = analysis::analyzeEffects(file);
  analysis::InstructionGraph graph(file, effects, 0, file.instructions.size());
  // poetry reads its own programs in /opt, not a virtualenv that nothing names,
  // and with VIRTUAL_ENV set it creates no .venv in the project
  CHECK_FALSE(graph.dependsOn(5, 4));
  CHECK(graph.dependsOn(5, 3));  // both read the manifests
  CHECK(graph.dependsOn(7, 5));  // pip installs into the same virtualenv
}
