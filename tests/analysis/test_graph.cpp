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
  analysis::StageGraph stages(file);
  CHECK(stages.stagesFor(3) == std::vector<size_t>{0, 3});
  CHECK(stages.stagesFor(0) == std::vector<size_t>{0});
  REQUIRE(stages.unknownReferences().size() == 1);
  CHECK(stages.unknownReferences()[0].second == "biulder");
  CHECK(stages.cycles().empty());
  auto order = stages.buildOrder();
  REQUIRE(order);
  CHECK(order->size() == 4);

  auto cyclic = parseValid("FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n");
  analysis::StageGraph cycle(cyclic);
  CHECK(cycle.cycles() == std::vector<std::vector<size_t>>{{0, 1}});
  CHECK_FALSE(cycle.buildOrder());
}

TEST_CASE("the stage graph reads RUN --mount=from and keeps the instruction of each use",
          "[analysis][graph]") {
  auto file = parseValid(
      "FROM golang:1.22 AS deps\nRUN go mod download\nFROM deps AS build\n"
      "RUN --mount=type=cache,target=/root/.cache --mount=from=deps,source=/go,target=/go "
      "--mount=type=bind,from=nginx:1,target=/n go build\n"
      "RUN --mount=from=tools,target=/t true\nFROM scratch\nCOPY --from=1 /app /app\n");
  analysis::StageGraph stages(file);
  REQUIRE(stages.edges().size() == 3);
  CHECK(stages.edges()[0].from == 0);
  CHECK(stages.edges()[0].to == 1);
  CHECK(stages.edges()[0].kind == "from");
  CHECK(stages.edges()[1].instruction == 3);
  CHECK(stages.edges()[1].kind == "mount");
  CHECK(stages.edges()[2].from == 1);
  CHECK(stages.edges()[2].to == 2);
  CHECK(stages.edges()[2].kind == "copy");
  REQUIRE(stages.unknownReferences().size() == 1);  // nginx:1 is an image; tools names no stage
  CHECK(stages.unknownReferences()[0] == std::pair<size_t, std::string>{4, "tools"});
}

TEST_CASE("over the real-world corpus, an instruction's stage uses are those of its effects",
          "[analysis][graph][corpus]") {
  size_t uses = 0;
  for (const auto& path : testing::realWorldDockerfiles()) {
    auto parsed = model::parseDockerfile(testing::readFile(path));
    if (!parsed.dockerfile) continue;
    const model::Dockerfile& file = *parsed.dockerfile;
    const auto& effects = analysis::analyzeEffects(file);
    for (const model::Stage& stage : file.stages) {
      for (size_t i = stage.from; i < stage.end; ++i) {
        INFO(path.filename().string() << " instruction " << i);
        analysis::StageUses found = analysis::stageUsesOf(file, stage.index, i);
        CHECK(found.used == effects[i].stagesUsed);
        CHECK(found.unknown == effects[i].unknownStages);
        REQUIRE(effects[i].stage == stage.index);
        uses += found.used.size();
      }
    }
  }
  CHECK(uses > 100);  // the corpus has many multi-stage files
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
