// Which context file the copies put at an image path when a RUN starts.
#include <catch2/catch.hpp>

#include "analysis/copied_files.h"
#include "support.h"

using namespace dfopt;
using dfopt::testing::parseValid;

namespace {

std::optional<std::string> fileAt(const std::string& text, const std::map<std::string, std::string>& files,
                                  size_t index, const std::string& imagePath) {
  auto file = parseValid(text);
  auto effects = analysis::analyzeEffects(file);
  auto context = context::BuildContext::fromFiles(files);
  return analysis::contextFileAt(file, effects, context, index, imagePath);
}

const std::map<std::string, std::string> kNodeProject = {
    {"package.json", "{}"}, {"package-lock.json", "{}"}, {"yarn.lock", ""}, {"web/package.json", "{}"}};

}  // namespace

TEST_CASE("a COPY brings a context file to the image path its destination gives", "[analysis][copied]") {
  std::string glob = "FROM node\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n";
  CHECK(fileAt(glob, kNodeProject, 3, "/app/package-lock.json") == "package-lock.json");
  CHECK_FALSE(fileAt(glob, kNodeProject, 3, "/app/yarn.lock"));  // the glob does not match it
  std::string whole = "FROM node\nCOPY . /srv\nRUN npm ci\n";
  CHECK(fileAt(whole, kNodeProject, 2, "/srv/web/package.json") == "web/package.json");
  std::string directory = "FROM node\nCOPY web/ /srv/\nRUN npm ci\n";
  CHECK(fileAt(directory, kNodeProject, 2, "/srv/package.json") == "web/package.json");
  // a copy after the RUN does not count
  CHECK_FALSE(fileAt("FROM node\nRUN npm ci\nCOPY . /app\n", kNodeProject, 1, "/app/package.json"));
}

TEST_CASE("a file .dockerignore leaves out is not brought", "[analysis][copied]") {
  auto files = kNodeProject;
  files[".dockerignore"] = "package-lock.json\n";
  CHECK_FALSE(fileAt("FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n", files, 3, "/app/package-lock.json"));
}

TEST_CASE("copies of the stage a stage is built FROM count, bind mounts of the RUN too",
          "[analysis][copied]") {
  std::string chained = "FROM node AS base\nWORKDIR /app\nCOPY . .\nFROM base\nRUN npm ci\n";
  CHECK(fileAt(chained, kNodeProject, 4, "/app/package-lock.json") == "package-lock.json");
  std::string bound =
      "FROM python\nWORKDIR /app\nRUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync\n";
  CHECK(fileAt(bound, {{"uv.lock", ""}}, 2, "/app/uv.lock") == "uv.lock");
  CHECK_FALSE(fileAt(bound, {{"uv.lock", ""}}, 2, "/app/pyproject.toml"));
}
