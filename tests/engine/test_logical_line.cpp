// A logical line maps its bytes back to the source by runs, not per byte.
#include <catch2/catch.hpp>

#include "support.h"

using namespace dfopt;
using dfopt::testing::parseValid;

TEST_CASE("a continued RUN maps every logical byte to its source byte", "[model]") {
  std::string text = "FROM a\nRUN echo one \\\n  two \\\n# inner\n  three\n";
  model::Dockerfile file = parseValid(text);
  const model::LogicalLine& line = file.instructions[1].line;
  REQUIRE(line.text == "RUN echo one   two   three");
  CHECK(line.segments.size() == 3);
  for (size_t i = 0; i < line.text.size(); ++i) {
    uint32_t source = line.sourceOffset(i);
    CHECK(text[source] == line.text[i]);
    CHECK(line.logicalIndex(source) == i);
  }
  size_t two = line.text.find("two");
  CHECK(line.runEnd(0) == line.text.find("  two"));
  CHECK(line.runEnd(two) == line.text.find("  three"));
  CHECK(line.runEnd(line.text.find("three")) == line.text.size());
  // the dropped continuation and comment bytes have no logical index
  CHECK(line.logicalIndex(static_cast<uint32_t>(text.find("\\\n"))) == line.text.size());
  CHECK(line.logicalIndex(static_cast<uint32_t>(text.find("# inner"))) == line.text.size());
  model::ByteRange across = line.sourceRange(line.text.find("one"), two + 3);
  CHECK(text.substr(across.begin, across.size()) == "one \\\n  two");
}

TEST_CASE("a long line is one run", "[model]") {
  std::string text = "FROM a\nRUN echo " + std::string(100000, 'a') + "\r\n";
  model::Dockerfile file = parseValid(text);
  const model::LogicalLine& line = file.instructions[1].line;
  CHECK(line.segments.size() == 1);
  CHECK(line.text.size() == 100009);  // the line ending is not part of it
  CHECK(line.sourceOffset(line.text.size() - 1) == text.size() - 3);
  model::ByteRange past = line.sourceRange(line.text.size(), line.text.size());
  CHECK(past.begin == text.size() - 2);
}

TEST_CASE("bytes appended as a run map as they would one by one", "[model]") {
  model::LogicalLine byRun;
  model::LogicalLine byByte;
  auto add = [&](std::string_view bytes, uint32_t source) {
    byRun.append(bytes, source);
    for (size_t i = 0; i < bytes.size(); ++i) byByte.append(bytes[i], source + static_cast<uint32_t>(i));
  };
  add("RUN a", 10);
  add("", 99);    // nothing, not even a run
  add("bc", 15);  // goes on where the last ended: the same run
  add(" d", 30);
  CHECK(byRun.text == "RUN abc d");
  CHECK(byRun.text == byByte.text);
  REQUIRE(byRun.segments.size() == 2);
  REQUIRE(byByte.segments.size() == 2);
  for (size_t i = 0; i < byRun.segments.size(); ++i) {
    CHECK(byRun.segments[i].logical == byByte.segments[i].logical);
    CHECK(byRun.segments[i].source == byByte.segments[i].source);
  }
  CHECK(byRun.sourceOffset(7) == 30);
}
