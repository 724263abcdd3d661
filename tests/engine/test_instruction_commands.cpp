// The commands a RUN, CMD or ENTRYPOINT runs, as words: all at once or one
// command at a time.
#include <catch2/catch.hpp>

#include "engine/instruction_commands.h"
#include "support.h"

using namespace dfopt;
using dfopt::testing::parseValid;

namespace {

std::vector<engine::CommandWords> visited(const model::Instruction& instruction) {
  std::vector<engine::CommandWords> commands;
  engine::forEachCommandOf(instruction, [&](const std::vector<std::string_view>& words) {
    commands.emplace_back(words.begin(), words.end());
  });
  return commands;
}

}  // namespace

TEST_CASE("commands of shell form, exec form and sh -c, visited one at a time", "[engine]") {
  model::Dockerfile file = parseValid(
      "FROM a\n"
      "RUN cd /app && FOO=1 pip install 'x y'; echo done\n"
      "CMD [\"gunicorn\", \"app:app\"]\n"
      "ENTRYPOINT [\"sh\", \"-c\", \"exec nginx -g 'daemon off;'\"]\n"
      "CMD []\n");
  using Words = engine::CommandWords;
  std::vector<Words> run{{"cd", "/app"}, {"pip", "install", "x y"}, {"echo", "done"}};
  CHECK(visited(file.instructions[1]) == run);
  CHECK(engine::commandsOf(file.instructions[1]) == run);
  CHECK(visited(file.instructions[2]) == std::vector<Words>{{"gunicorn", "app:app"}});
  CHECK(visited(file.instructions[3]) == std::vector<Words>{{"exec", "nginx", "-g", "daemon off;"}});
  // exec form without words: one empty command, as commandsOf has always told it
  CHECK(visited(file.instructions[4]) == std::vector<Words>{Words{}});
  CHECK(engine::commandsOf(file.instructions[4]) == std::vector<Words>{Words{}});
}
