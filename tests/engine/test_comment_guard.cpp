// The guard that keeps a finding from removing comment lines it does not
// write again.
#include <catch2/catch.hpp>

#include "engine/comment_guard.h"
#include "support.h"

using dfopt::engine::Finding;
using dfopt::engine::losesComments;
using dfopt::testing::parseValid;

TEST_CASE("comment guard: removing an instruction with a comment inside loses it", "[engine]") {
  std::string text = "FROM a\nRUN x \\\n  # why x\n  y\nCMD z\n";
  auto file = parseValid(text);
  const auto& run = file.instructions[1];
  Finding removal;
  removal.edits.push_back({run.range, ""});
  CHECK(losesComments(file, removal));
  // moved: the same comment is written again elsewhere
  Finding move = removal;
  move.edits.push_back({{0, 0}, std::string(text.substr(run.range.begin, run.range.size()))});
  CHECK_FALSE(losesComments(file, move));
  // an edit beside the comment keeps it
  Finding beside;
  beside.edits.push_back({{file.instructions[2].range.begin, file.instructions[2].range.end}, "CMD w\n"});
  CHECK_FALSE(losesComments(file, beside));
  removal.files.push_back({".dockerignore", "x\n"});
  dfopt::engine::leaveOutFix(removal, dfopt::engine::kLosesComments);
  CHECK(removal.edits.empty());
  CHECK(removal.files.empty());
  CHECK(removal.message.find("would remove comment lines") != std::string::npos);
}
