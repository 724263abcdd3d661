// The machine-readable formats: JSON (docs/dfopt-findings.schema.json),
// SARIF 2.1.0 and GitHub workflow commands, over a real run of the pipeline.
#include <algorithm>
#include <tuple>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "context/build_context.h"
#include "engine/pipeline.h"
#include "print/finding_edits.h"
#include "print/findings_github.h"
#include "print/findings_json.h"
#include "print/findings_report.h"
#include "print/findings_sarif.h"
#include "print/transform_rules.h"
#include "transforms/transforms.h"

using namespace dfopt;
using nlohmann::json;

namespace {

const std::string kDockerfile =
    "FROM python:3.11\n"
    "WORKDIR /app\n"
    "ADD . /app\n"
    "RUN pip install -r requirements.txt\n"
    "CMD python app.py\n";

engine::PipelineOutcome run(const std::string& dockerfile) {
  auto context = context::BuildContext::fromFiles({{"Dockerfile", dockerfile},
                                                   {"requirements.txt", "flask==3.0.0\n"},
                                                   {"app.py", "print('hi')\n"},
                                                   {"node_modules/x/index.js", "x\n"}});
  engine::PipelineOutcome outcome = engine::runPipeline(dockerfile, context, {}, transforms::all());
  REQUIRE(outcome.ok());
  return outcome;
}

std::vector<std::string> transformNames() {
  std::vector<std::string> names;
  for (const engine::Transform* transform : transforms::all()) names.emplace_back(transform->name());
  return names;
}

// Applies replacements {begin, length, text} in code points to `text` (ASCII here).
std::string applyReplacements(std::string text, std::vector<std::tuple<size_t, size_t, std::string>> edits) {
  // From the end: at one offset, the replacement before the insertion that goes in front of it.
  std::sort(edits.begin(), edits.end(), [](const auto& a, const auto& b) {
    return std::pair(std::get<0>(a), std::get<1>(a)) > std::pair(std::get<0>(b), std::get<1>(b));
  });
  for (const auto& [begin, length, inserted] : edits) text.replace(begin, length, inserted);
  return text;
}

}  // namespace

TEST_CASE("every transform has a rule with a summary and help", "[print][formats]") {
  for (const std::string& name : transformNames()) {
    INFO(name);
    auto rule = print::transformRule(name);
    REQUIRE(rule);
    CHECK(rule->summary.ends_with('.'));
    CHECK(rule->help.size() > rule->summary.size());
  }
}

TEST_CASE("json: findings with their place, edits of the input and written files", "[print][formats]") {
  engine::PipelineOutcome outcome = run(kDockerfile);
  REQUIRE(outcome.changed());
  print::FileReport report = print::reportFile("app/Dockerfile", "app/Dockerfile", "app", outcome);
  json doc = json::parse(print::findingsJson({report}, "check", "1.2.3"));
  CHECK(doc["version"] == print::kFindingsJsonVersion);
  CHECK(doc["tool"]["version"] == "1.2.3");
  REQUIRE(doc["files"].size() == 1);
  const json& file = doc["files"][0];
  CHECK(file["path"] == "app/Dockerfile");
  CHECK(file["changed"] == true);
  CHECK_FALSE(file.contains("diff"));
  REQUIRE(file["findings"].size() == outcome.findings.size());
  std::vector<engine::Edit> edits;
  bool wroteDockerignore = false;
  for (const json& finding : file["findings"]) {
    CHECK(finding["line"].get<int>() >= 1);
    CHECK(finding["endLine"].get<int>() >= finding["line"].get<int>());
    for (const json& edit : finding["edits"]) {
      edits.push_back({{edit["begin"].get<uint32_t>(), edit["end"].get<uint32_t>()}, edit["replacement"]});
    }
    for (const json& written : finding["files"]) {
      CHECK(written["path"] == ".dockerignore");
      CHECK(written["new"] == true);
      CHECK(written["content"] == outcome.files.at(0).after);
      wroteDockerignore = true;
    }
  }
  CHECK(wroteDockerignore);
  CHECK(print::applyAll(outcome.before, {edits}) == outcome.after);
  // The ADD that becomes COPY stays where it is: the install moves before it.
  auto add = std::find_if(file["findings"].begin(), file["findings"].end(),
                          [](const json& f) { return f["transform"] == "add-to-copy"; });
  REQUIRE(add != file["findings"].end());
  CHECK((*add)["line"] == 3);
  CHECK((*add)["column"] == 1);
  CHECK((*add)["endColumn"] == 11);
  REQUIRE((*add)["edits"].size() == 1);
  CHECK((*add)["edits"][0]["replacement"] == "COPY");
  CHECK((*add)["edits"][0]["line"] == 3);
}

TEST_CASE("json: an edit is the change of the input it makes", "[print][formats]") {
  engine::PipelineOutcome outcome = run("FROM alpine:3.19\nADD app.sh /app/\nCMD [\"/app/app.sh\"]\n");
  print::FileReport report = print::reportFile("Dockerfile", "Dockerfile", ".", outcome);
  json doc = json::parse(print::findingsJson({report}, "check", "0"));
  auto findings = doc["files"][0]["findings"];
  auto add = std::find_if(findings.begin(), findings.end(),
                          [](const json& f) { return f["transform"] == "add-to-copy"; });
  REQUIRE(add != findings.end());
  REQUIRE((*add)["edits"].size() == 1);
  const json& edit = (*add)["edits"][0];
  CHECK(edit["begin"] == 17);
  CHECK(edit["end"] == 20);
  CHECK(edit["replacement"] == "COPY");
  CHECK(edit["line"] == 2);
  CHECK(edit["column"] == 1);
  CHECK(edit["endLine"] == 2);
  CHECK(edit["endColumn"] == 4);
}

TEST_CASE("sarif: rules, results, and fixes that give fix's output", "[print][formats]") {
  engine::PipelineOutcome outcome = run(kDockerfile);
  print::FileReport report = print::reportFile("app/Dockerfile", "app/Dockerfile", "app", outcome);
  json log = json::parse(print::findingsSarif({report}, transformNames(), "1.2.3"));
  CHECK(log["version"] == "2.1.0");
  REQUIRE(log["runs"].size() == 1);
  const json& sarifRun = log["runs"][0];
  CHECK(sarifRun["columnKind"] == "unicodeCodePoints");
  const json& rules = sarifRun["tool"]["driver"]["rules"];
  CHECK(rules.size() == transformNames().size());
  CHECK(rules[0]["id"] == "add-to-copy");
  CHECK(rules[0]["name"] == "AddToCopy");
  REQUIRE(sarifRun["results"].size() == outcome.findings.size());
  std::vector<std::tuple<size_t, size_t, std::string>> dockerfileEdits, dockerignoreEdits;
  for (const json& result : sarifRun["results"]) {
    CHECK(rules[result["ruleIndex"].get<size_t>()]["id"] == result["ruleId"]);
    const json& location = result["locations"][0]["physicalLocation"];
    CHECK(location["artifactLocation"]["uri"] == "app/Dockerfile");
    CHECK(location["region"]["startLine"].get<int>() >= 1);
    if (!result.contains("fixes")) continue;
    for (const json& fix : result["fixes"]) {
      REQUIRE_FALSE(fix["artifactChanges"].empty());
      for (const json& change : fix["artifactChanges"]) {
        REQUIRE_FALSE(change["replacements"].empty());
        std::string uri = change["artifactLocation"]["uri"];
        auto& into = uri == "app/Dockerfile" ? dockerfileEdits : dockerignoreEdits;
        if (uri != "app/Dockerfile") CHECK(uri == "app/.dockerignore");
        for (const json& replacement : change["replacements"]) {
          into.emplace_back(replacement["deletedRegion"]["charOffset"].get<size_t>(),
                            replacement["deletedRegion"]["charLength"].get<size_t>(),
                            replacement["insertedContent"]["text"].get<std::string>());
        }
      }
    }
  }
  CHECK(applyReplacements(outcome.before, dockerfileEdits) == outcome.after);
  REQUIRE(dockerignoreEdits.size() == 1);
  CHECK(std::get<0>(dockerignoreEdits[0]) == 0);
  CHECK(std::get<1>(dockerignoreEdits[0]) == 0);
  CHECK(std::get<2>(dockerignoreEdits[0]) == outcome.files.at(0).after);
}

TEST_CASE("sarif: a finding without a change has no fix", "[print][formats]") {
  engine::PipelineOutcome outcome = run("FROM python:3.11\nCMD [\"python\", \"-V\"]\n");
  print::FileReport report = print::reportFile("Dockerfile", "Dockerfile", ".", outcome);
  json log = json::parse(print::findingsSarif({report}, transformNames(), "0"));
  for (const json& result : log["runs"][0]["results"]) {
    if (result.contains("fixes")) CHECK_FALSE(result["fixes"][0]["artifactChanges"].empty());
  }
}

TEST_CASE("sarif: code points count as one character", "[print][formats]") {
  CHECK(print::charOffset("a\xC3\xA9z", 3) == 2);
  CHECK(print::charOffset("\xF0\x9F\x90\xB3x", 4) == 1);
}

TEST_CASE("sarif: paths become URI references", "[print][formats]") {
  CHECK(print::pathUri("app/Dockerfile") == "app/Dockerfile");
  CHECK(print::pathUri("my app/Dockerfile#1") == "my%20app/Dockerfile%231");
  CHECK(print::pathUri("/abs/Dockerfile") == "file:///abs/Dockerfile");
  CHECK(print::contextFilePath("./app/", ".dockerignore") == "app/.dockerignore");
  CHECK(print::contextFilePath(".", ".dockerignore") == ".dockerignore");
}

TEST_CASE("github: workflow commands with GitHub's escaping", "[print][formats]") {
  CHECK(print::escapeGithubData("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b");
  CHECK(print::escapeGithubProperty("dir:a,b%\n") == "dir%3Aa%2Cb%25%0A");
  engine::PipelineOutcome outcome = run(kDockerfile);
  print::FileReport report = print::reportFile("app,1/Dockerfile", "app,1/Dockerfile", "app,1", outcome);
  std::string all = print::findingsGithub(report);
  std::string fixes = print::findingsGithub(report, true);
  CHECK(all.find("::warning file=app%2C1/Dockerfile,line=3,col=1,endLine=3,endColumn=11,title=dfopt "
                 "add-to-copy::") != std::string::npos);
  size_t lines = static_cast<size_t>(std::count(all.begin(), all.end(), '\n'));
  CHECK(lines == outcome.findings.size());
  size_t changing = 0;
  for (const engine::Finding& finding : outcome.findings) changing += finding.changes() || finding.withheld;
  CHECK(static_cast<size_t>(std::count(fixes.begin(), fixes.end(), '\n')) == changing);
}

// Found by clang's -Wdangling-gsl in the fuzz build: the old content of a
// written file was read through a view of a destroyed copy.
TEST_CASE("sarif: the fix of a file that exists changes its old content into the new", "[print][formats]") {
  const std::string dockerignore =
      "# only what the image needs\n*\n!package.json\n!package-lock.json\n!src/\n";
  const std::string dockerfile =
      "FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n"
      "COPY src/ src/\nCMD [\"node\", \"src/index.js\"]\n";
  auto context = context::BuildContext::fromFiles({{"Dockerfile", dockerfile},
                                                   {".dockerignore", dockerignore},
                                                   {"package.json", "{\"name\": \"app\"}\n"},
                                                   {"package-lock.json", "{\"lockfileVersion\": 3}\n"},
                                                   {"src/index.js", "console.log(1)\n"},
                                                   {"src/.DS_Store", "x"}});
  engine::PipelineOutcome outcome = engine::runPipeline(dockerfile, context, {}, transforms::all());
  REQUIRE(outcome.ok());
  REQUIRE(outcome.files.size() == 1);
  REQUIRE(outcome.files[0].before == dockerignore);
  print::FileReport report = print::reportFile("Dockerfile", "Dockerfile", ".", outcome);
  json log = json::parse(print::findingsSarif({report}, transformNames(), "0"));
  std::vector<std::tuple<size_t, size_t, std::string>> edits;
  for (const json& result : log["runs"][0]["results"]) {
    for (const json& fix : result.value("fixes", json::array())) {
      for (const json& change : fix["artifactChanges"]) {
        if (change["artifactLocation"]["uri"] != ".dockerignore") continue;
        for (const json& replacement : change["replacements"]) {
          edits.emplace_back(replacement["deletedRegion"]["charOffset"].get<size_t>(),
                             replacement["deletedRegion"]["charLength"].get<size_t>(),
                             replacement["insertedContent"]["text"].get<std::string>());
        }
      }
    }
  }
  REQUIRE(edits.size() == 1);
  CHECK(std::get<0>(edits[0]) == dockerignore.size());
  CHECK(applyReplacements(dockerignore, edits) == outcome.files[0].after);
}
