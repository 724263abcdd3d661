// The engine: applying edits, mapping findings back to the input, refusing
// steps that break the file.
#include <fmt/format.h>

#include <stdexcept>

#include <catch2/catch.hpp>

#include "engine/ignores.h"
#include "engine/pipeline.h"
#include "transforms/transforms.h"

using namespace dfopt;
using engine::Edit;

TEST_CASE("edits apply in any order and keep untouched bytes", "[engine]") {
  std::string text = "FROM a\nADD x /y\n";
  auto out = engine::applyEdits(text, {{{13, 13}, "z "}, {{7, 10}, "COPY"}});
  REQUIRE(out);
  CHECK(*out == "FROM a\nCOPY x z /y\n");
}

TEST_CASE("overlapping edits are refused", "[engine]") {
  CHECK_FALSE(engine::applyEdits("abcdef", {{{1, 4}, "x"}, {{3, 5}, "y"}}));
  CHECK_FALSE(engine::applyEdits("abc", {{{2, 9}, "x"}}));
}

TEST_CASE("insertions at the same offset keep their order", "[engine]") {
  auto out = engine::applyEdits("ab", {{{1, 1}, "1"}, {{1, 1}, "2"}});
  REQUIRE(out);
  CHECK(*out == "a12b");
}

namespace {

// A transform that does what it is told, for testing the pipeline.
class Scripted final : public engine::Transform {
 public:
  Scripted(std::string name, std::function<engine::Result(const model::Dockerfile&)> run)
      : name_(std::move(name)), run_(std::move(run)) {}
  std::string_view name() const override { return name_; }
  engine::Result run(const model::Dockerfile& file, const context::BuildContext&,
                     const engine::Options&) const override {
    return run_(file);
  }

 private:
  std::string name_;
  std::function<engine::Result(const model::Dockerfile&)> run_;
};

engine::Finding change(uint32_t offset, Edit edit) {
  engine::Finding finding;
  finding.offset = offset;
  finding.message = "test";
  finding.edits.push_back(std::move(edit));
  return finding;
}

// A finding that changes nothing, at `offset`.
engine::Finding info(uint32_t offset, std::string message = {}) {
  engine::Finding finding;
  finding.offset = offset;
  finding.severity = engine::Severity::Info;
  finding.message = std::move(message);
  return finding;
}

}  // namespace

TEST_CASE("the pipeline refuses a step whose result does not parse", "[engine]") {
  Scripted breaksFile("test-breaks-file", [](const model::Dockerfile& file) {
    engine::Result result;
    uint32_t end = static_cast<uint32_t>(file.source->bytes().size());
    result.findings.push_back(change(0, {{end, end}, "RUN <<EOF\n"}));
    return result;
  });
  const engine::Transform* list[] = {&breaksFile};
  auto context = context::BuildContext::fromFiles({});
  auto outcome = engine::runPipeline("FROM a\n", context, {}, list);
  REQUIRE(outcome.failure);
  CHECK_THAT(*outcome.failure, Catch::Contains("does not parse"));
  CHECK(outcome.after == outcome.before);
  CHECK_FALSE(outcome.changed());
}

TEST_CASE("a transform that throws fails the file's run, which changes nothing", "[engine]") {
  Scripted insertsLine("test-inserts-line", [](const model::Dockerfile&) {
    engine::Result result;
    result.findings.push_back(change(0, {{0, 0}, "# first\n"}));
    return result;
  });
  Scripted throws("test-throws", [](const model::Dockerfile&) -> engine::Result {
    throw std::out_of_range("basic_string::substr");  // as std::string::substr(npos) would
  });
  const engine::Transform* list[] = {&insertsLine, &throws};
  auto context = context::BuildContext::fromFiles({});
  auto outcome = engine::runPipeline("FROM a\n", context, {}, list);
  REQUIRE(outcome.failure);
  CHECK_THAT(*outcome.failure, Catch::StartsWith("test-throws failed on this file, a bug in dfopt (") &&
                                   Catch::Contains("please report it"));
  CHECK(outcome.after == outcome.before);
  CHECK_FALSE(outcome.changed());
}

TEST_CASE("findings of later steps point into the original text", "[engine]") {
  Scripted insertsLine("test-inserts-line", [](const model::Dockerfile& file) {
    engine::Result result;
    if (file.instructions.size() == 2) result.findings.push_back(change(0, {{0, 0}, "ARG X=1\n"}));
    return result;
  });
  Scripted reportsRun("test-reports-run", [](const model::Dockerfile& file) {
    engine::Result result;
    result.findings.push_back(info(file.instructions.back().range.begin));
    return result;
  });
  const engine::Transform* list[] = {&insertsLine, &reportsRun};
  auto context = context::BuildContext::fromFiles({});
  auto outcome = engine::runPipeline("FROM a\nRUN b\n", context, {}, list);
  REQUIRE(outcome.ok());
  CHECK(outcome.after == "ARG X=1\nFROM a\nRUN b\n");
  REQUIRE(outcome.findings.size() == 2);
  CHECK(outcome.findings[1].offset == 7);  // "RUN b" in the input
}

TEST_CASE("a finding about inserted instructions points at the input instruction they came from",
          "[engine]") {
  // The first step appends a second stage; the second reports each of its
  // instructions, twice over for the COPY.
  Scripted appendsStage("test-appends-stage", [](const model::Dockerfile& file) {
    engine::Result result;
    uint32_t end = static_cast<uint32_t>(file.source->bytes().size());
    if (file.instructions.size() == 2)
      result.findings.push_back(change(0, {{end, end}, "FROM b\nCOPY x ./\n"}));
    return result;
  });
  Scripted reportsStage("test-reports-stage", [](const model::Dockerfile& file) {
    engine::Result result;
    for (size_t i = 2; i < file.instructions.size(); ++i) {
      for (int twice = 0; twice < 2; ++twice) {
        result.findings.push_back(
            info(file.instructions[i].keywordRange.begin, file.instructions[i].command));
      }
    }
    return result;
  });
  const engine::Transform* list[] = {&appendsStage, &reportsStage};
  auto context = context::BuildContext::fromFiles({});
  auto outcome = engine::runPipeline("FROM a\nCOPY x /y\n", context, {}, list);
  REQUIRE(outcome.ok());
  REQUIRE(outcome.findings.size() == 3);  // the repeated COPY finding is told once
  CHECK(outcome.findings[1].message == "from");
  CHECK(outcome.findings[1].offset == 0);  // the stage's FROM, not the end of the file
  CHECK(outcome.findings[2].message == "copy");
  CHECK(outcome.findings[2].offset == 7);  // "COPY x /y": the same source
}

TEST_CASE("a finding about a rewritten instruction points at the only one of its command in the input stage",
          "[engine]") {
  // The first step writes the CMD anew; the second reports the new one.
  Scripted rewritesCmd("test-rewrites-cmd", [](const model::Dockerfile& file) {
    engine::Result result;
    const model::Instruction& cmd = file.instructions.back();
    if (cmd.argumentsText() == "a")
      result.findings.push_back(change(0, {{cmd.keywordRange.begin, cmd.argumentsRange.end}, "CMD b"}));
    return result;
  });
  Scripted reportsCmd("test-reports-cmd", [](const model::Dockerfile& file) {
    engine::Result result;
    result.findings.push_back(info(file.instructions.back().keywordRange.begin));
    return result;
  });
  const engine::Transform* list[] = {&rewritesCmd, &reportsCmd};
  auto context = context::BuildContext::fromFiles({});
  auto outcome = engine::runPipeline("FROM x\nRUN y\nCMD a\n", context, {}, list);
  REQUIRE(outcome.ok());
  REQUIRE(outcome.findings.size() == 2);
  CHECK(outcome.after == "FROM x\nRUN y\nCMD b\n");
  CHECK(outcome.findings[1].offset == 13);  // "CMD a", not the FROM
  CHECK(outcome.findings[1].atInsertion);
}

TEST_CASE("a transform's later change to what a step wrote, the same change again, is told once",
          "[engine]") {
  // "moves" acts on each RUN z it sees once; "writes" appends RUN z after it.
  Scripted moves("test-moves", [](const model::Dockerfile& file) {
    engine::Result result;
    for (const model::Instruction& run : file.instructions) {
      if (!run.is("run") || run.argumentsText() != "z") continue;
      engine::Finding finding = change(run.keywordRange.begin, {run.argumentsRange, "z2"});
      finding.message = fmt::format("move: pass with {} instructions", file.instructions.size());
      result.findings.push_back(finding);
    }
    return result;
  });
  Scripted writes("test-writes", [](const model::Dockerfile& file) {
    engine::Result result;
    uint32_t end = static_cast<uint32_t>(file.source->bytes().size());
    if (file.instructions.size() == 2) result.findings.push_back(change(0, {{end, end}, "RUN z\n"}));
    return result;
  });
  const engine::Transform* list[] = {&moves, &writes};
  auto context = context::BuildContext::fromFiles({});
  auto outcome = engine::runPipeline("FROM x\nRUN z\n", context, {}, list);
  REQUIRE(outcome.ok());
  CHECK(outcome.after == "FROM x\nRUN z2\nRUN z2\n");
  REQUIRE(outcome.findings.size() == 2);
  CHECK(outcome.findings[0].transform == "test-moves");
  CHECK(outcome.findings[0].offset == 7);                                  // the input's RUN z
  CHECK(outcome.findings[0].message == "move: pass with 3 instructions");  // the later message
  CHECK(outcome.findings[0].edits.size() == 2);
}

TEST_CASE("the selection leaves out skipped transforms, in the list's order", "[engine]") {
  Scripted insertsLine("test-inserts-line", [](const model::Dockerfile& file) {
    engine::Result result;
    if (file.instructions.size() == 2) result.findings.push_back(change(0, {{0, 0}, "ARG X=1\n"}));
    return result;
  });
  const engine::Transform* list[] = {&insertsLine};
  auto context = context::BuildContext::fromFiles({});
  auto skipped = engine::runPipeline("FROM a\nRUN b\n", context, {}, list, {{}, {"test-inserts-line"}});
  CHECK(skipped.after == "FROM a\nRUN b\n");
  auto kept = engine::runPipeline("FROM a\nRUN b\n", context, {}, list, {{"test-inserts-line"}, {}});
  CHECK(kept.after == "ARG X=1\nFROM a\nRUN b\n");
}

TEST_CASE("a later pass skips a transform that would see the text and files of its last run again",
          "[engine]") {
  Scripted insertsLine("test-inserts-line", [](const model::Dockerfile& file) {
    engine::Result result;
    if (file.instructions.size() == 2) result.findings.push_back(change(0, {{0, 0}, "ARG X=1\n"}));
    return result;
  });
  std::vector<size_t> seen;  // the instruction counts a transform was run on
  Scripted counts("test-counts", [&](const model::Dockerfile& file) {
    seen.push_back(file.instructions.size());
    return engine::Result{};
  });
  auto context = context::BuildContext::fromFiles({});
  // after the change: run once in the first pass, at the new text, and
  // skipped in the second, which finds the text unchanged
  const engine::Transform* after[] = {&insertsLine, &counts};
  auto outcome = engine::runPipeline("FROM a\nRUN b\n", context, {}, after);
  CHECK(outcome.after == "ARG X=1\nFROM a\nRUN b\n");
  CHECK(seen == std::vector<size_t>{3});
  // before the change: the second pass runs it again, on the new text
  seen.clear();
  const engine::Transform* before[] = {&counts, &insertsLine};
  outcome = engine::runPipeline("FROM a\nRUN b\n", context, {}, before);
  CHECK(outcome.after == "ARG X=1\nFROM a\nRUN b\n");
  CHECK(seen == std::vector<size_t>{2, 3});
}

TEST_CASE("the transform list is explicit and ordered", "[engine]") {
  std::vector<std::string_view> names;
  for (const engine::Transform* transform : transforms::all()) names.push_back(transform->name());
  CHECK(names == std::vector<std::string_view>{"add-to-copy", "lockfile", "poetry-flags", "deps-first",
                                               "multi-stage", "non-root", "production-server", "exec-form",
                                               "cache-hygiene", "secrets", "buildkit", "base-tag",
                                               "dockerignore", "stage-graph"});
  CHECK(transforms::find("non-root") == transforms::all()[5]);
  CHECK(transforms::find("no-such-transform") == nullptr);
}

TEST_CASE("a file that does not parse is reported and left alone", "[engine]") {
  auto context = context::BuildContext::fromFiles({});
  auto outcome = engine::runPipeline("FROM a\nRUN <<EOF\n", context, {}, transforms::all());
  CHECK_FALSE(outcome.ok());
  CHECK_FALSE(outcome.inputErrors.empty());
  CHECK(outcome.after == outcome.before);
}

TEST_CASE("an unsafe fix is applied only with unsafeFixes, and told either way", "[engine]") {
  Scripted unsafe("test-unsafe", [](const model::Dockerfile& file) {
    engine::Result result;
    if (!file.instructions[1].is("add")) return result;
    result.findings.push_back(change(7, {{7, 10}, "COPY"}));
    result.findings.back().safety = engine::Safety::Unsafe;
    return result;
  });
  const engine::Transform* list[] = {&unsafe};
  engine::Options options;
  auto context = context::BuildContext::fromFiles({});
  auto withheld = engine::runPipeline("FROM a\nADD x /y\n", context, options, list);
  REQUIRE(withheld.ok());
  CHECK(withheld.after == withheld.before);
  REQUIRE(withheld.findings.size() == 1);
  CHECK(withheld.findings[0].withheld);
  CHECK(withheld.findings[0].edits.empty());
  CHECK(withheld.withheldFixes());
  CHECK(engine::fixLabel(withheld.findings[0]) == " [unsafe fix, not applied: --unsafe-fixes]");

  options.unsafeFixes = true;
  auto applied = engine::runPipeline("FROM a\nADD x /y\n", context, options, list);
  REQUIRE(applied.ok());
  CHECK(applied.after == "FROM a\nCOPY x /y\n");
  REQUIRE(applied.findings.size() == 1);
  CHECK_FALSE(applied.findings[0].withheld);
  CHECK(engine::fixLabel(applied.findings[0]) == " [unsafe fix]");
}

namespace {

// Replaces each `RUN b` with `RUN c`, reporting it at the RUN.
Scripted renamesRun("test-renames-run", [](const model::Dockerfile& file) {
  engine::Result result;
  for (const model::Instruction& instruction : file.instructions) {
    if (instruction.is("run") && instruction.argumentsText() == "b")
      result.findings.push_back(change(instruction.range.begin, {instruction.argumentsRange, "c"}));
  }
  return result;
});

}  // namespace

TEST_CASE(
    "a finding about an instruction whose keyword a step rewrote points at it, not at another of its new "
    "command",
    "[engine]") {
  // Found by the pipeline fuzz target: the finding about a COPY that was an
  // ADD went to the stage's only COPY, whose ignore then silenced it.
  Scripted addToCopy("test-add-to-copy", [](const model::Dockerfile& file) {
    engine::Result result;
    for (const model::Instruction& instruction : file.instructions) {
      if (instruction.is("add")) result.findings.push_back(change(0, {instruction.keywordRange, "COPY"}));
    }
    return result;
  });
  Scripted reportsLast("test-reports-last", [](const model::Dockerfile& file) {
    engine::Result result;
    result.findings.push_back(
        info(file.instructions.back().keywordRange.begin, file.instructions.back().command));
    return result;
  });
  const engine::Transform* list[] = {&addToCopy, &reportsLast};
  auto context = context::BuildContext::fromFiles({});
  std::string text = "FROM a\nCOPY . .\nADD x /y\n";
  auto outcome = engine::runPipeline(text, context, {}, list);
  REQUIRE(outcome.ok());
  CHECK(outcome.after == "FROM a\nCOPY . .\nCOPY x /y\n");
  bool reported = false;
  for (const engine::Finding& finding : outcome.findings) {
    if (finding.transform != "test-reports-last") continue;
    reported = true;
    CHECK(finding.offset == text.find("ADD"));
  }
  CHECK(reported);
}

TEST_CASE("an ignore whose finding a later step's fix made go away is unused: a second run changes nothing",
          "[engine][ignores]") {
  // The reporter runs before the fix; in the pass after it, nothing is left to silence.
  Scripted reportsAdd("test-reports-add", [](const model::Dockerfile& file) {
    engine::Result result;
    for (const model::Instruction& instruction : file.instructions) {
      if (!instruction.is("add")) continue;
      result.findings.push_back(info(instruction.keywordRange.begin, "an ADD"));
    }
    return result;
  });
  Scripted addToCopy("test-add-to-copy", [](const model::Dockerfile& file) {
    engine::Result result;
    for (const model::Instruction& instruction : file.instructions) {
      if (instruction.is("add")) result.findings.push_back(change(0, {instruction.keywordRange, "COPY"}));
    }
    return result;
  });
  const engine::Transform* list[] = {&reportsAdd, &addToCopy};
  auto context = context::BuildContext::fromFiles({});
  auto first = engine::runPipeline("FROM a\n# dfopt: ignore[test-reports-add] -- generated\nADD x /y\n",
                                   context, {}, list);
  REQUIRE(first.ok());
  CHECK(first.after == "FROM a\nCOPY x /y\n");
  auto second = engine::runPipeline(first.after, context, {}, list);
  REQUIRE(second.ok());
  CHECK(second.after == first.after);
}

TEST_CASE("an ignore drops the finding with its edits before they are applied", "[engine][ignores]") {
  const engine::Transform* list[] = {&renamesRun};
  auto context = context::BuildContext::fromFiles({});
  std::string text = "FROM a\n# dfopt: ignore[test-renames-run] -- keep b\nRUN b\nRUN b\n";
  auto outcome = engine::runPipeline(text, context, {}, list);
  REQUIRE(outcome.ok());
  CHECK(outcome.after == "FROM a\n# dfopt: ignore[test-renames-run] -- keep b\nRUN b\nRUN c\n");
  REQUIRE(outcome.findings.size() == 1);
  CHECK(outcome.findings[0].offset == text.rfind("RUN b"));
}

TEST_CASE(
    "a finding a later step makes about an inserted instruction is silenced by the ignores of "
    "the input instruction it maps to",
    "[engine][ignores]") {
  Scripted appendsStage("test-appends-stage", [](const model::Dockerfile& file) {
    engine::Result result;
    uint32_t end = static_cast<uint32_t>(file.source->bytes().size());
    if (file.instructions.size() == 2) result.findings.push_back(change(0, {{end, end}, "FROM b\nRUN b\n"}));
    return result;
  });
  const engine::Transform* list[] = {&appendsStage, &renamesRun};
  auto context = context::BuildContext::fromFiles({});
  auto outcome =
      engine::runPipeline("FROM a\n# dfopt: ignore[test-renames-run] -- keep\nRUN b\n", context, {}, list);
  REQUIRE(outcome.ok());
  CHECK(outcome.after == "FROM a\n# dfopt: ignore[test-renames-run] -- keep\nRUN b\nFROM b\nRUN b\n");
  for (const engine::Finding& finding : outcome.findings) CHECK(finding.transform != "test-renames-run");
}

TEST_CASE("an unused ignore is reported with a fix that removes its line only", "[engine][ignores]") {
  const engine::Transform* list[] = {&renamesRun};
  auto context = context::BuildContext::fromFiles({});
  auto outcome =
      engine::runPipeline("FROM a\n  # dfopt: ignore -- why\r\nRUN x\n# note\nRUN b\n", context, {}, list);
  REQUIRE(outcome.ok());
  CHECK(outcome.after == "FROM a\nRUN x\n# note\nRUN c\n");
  REQUIRE(outcome.findings.size() == 2);
  CHECK(outcome.findings[1].transform == engine::kIgnoreChecks);
  CHECK(outcome.findings[1].offset == 9);
  CHECK_THAT(outcome.findings[1].message, Catch::StartsWith("unused ignore"));

  auto skipped =
      engine::runPipeline("FROM a\n# dfopt: ignore -- why\nRUN x\n", context, {}, list, {{}, {"ignore"}});
  CHECK(skipped.after == "FROM a\n# dfopt: ignore -- why\nRUN x\n");
  CHECK(skipped.findings.empty());
}

TEST_CASE("an ignore naming a transform the run skipped is not reported unused", "[engine][ignores]") {
  const engine::Transform* list[] = {&renamesRun};
  auto context = context::BuildContext::fromFiles({});
  std::string text = "FROM a\n# dfopt: ignore[test-renames-run] -- why\nRUN x\n";
  auto outcome = engine::runPipeline(text, context, {}, list, {{}, {"test-renames-run"}});
  CHECK(outcome.after == text);
  CHECK(outcome.findings.empty());
}

TEST_CASE("a pass whose steps undo each other's change has settled, and the input's instructions are kept",
          "[engine]") {
  Scripted adds("test-adds", [](const model::Dockerfile& file) {
    engine::Result result;
    if (file.instructions.size() == 2) result.findings.push_back(change(0, {{0, 0}, "ARG X=1\n"}));
    return result;
  });
  Scripted removes("test-removes", [](const model::Dockerfile& file) {
    engine::Result result;
    if (file.instructions.size() == 3) result.findings.push_back(change(0, {{0, 8}, ""}));
    return result;
  });
  const engine::Transform* list[] = {&adds, &removes};
  auto context = context::BuildContext::fromFiles({});
  auto outcome = engine::runPipeline("FROM a\nRUN b\n", context, {}, list);
  CHECK_FALSE(outcome.failure);
  CHECK(outcome.after == outcome.before);
  CHECK(outcome.findings.size() == 2);
  REQUIRE(outcome.input.instructions().size() == 2);
  CHECK(outcome.input.instructions()[0].range.begin == 0);
  CHECK(outcome.input.instructions()[1].range.begin == 7);
  CHECK(outcome.input.instructions()[1].range.end == 13);
}
