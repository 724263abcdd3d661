// Unified diffs in git's format: exact text for small edits, `git apply`
// accepts them, and they match `git diff --no-index` byte for byte.
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "print/unified_diff.h"
#include "support.h"

using dfopt::print::DiffColors;
using dfopt::print::unifiedDiff;
using dfopt::testing::TemporaryDirectory;
namespace fs = std::filesystem;

namespace {

void writeBytes(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

std::string readBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

struct Run {
  int status;
  std::string output;  // standard output and standard error
};

// Runs a shell command with git's user and system configuration ignored.
Run run(const std::string& command) {
  std::string full =
      "export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 LC_ALL=C; " + command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// Applies the diff of before -> after with `git apply` in a directory outside
// any repository and returns the resulting file ("<missing>" if none).
std::string applyWithGit(const std::string& path, const std::string& before, const std::string& after,
                         bool beforeExists = true, bool afterExists = true) {
  std::string diff = unifiedDiff(path, before, after, beforeExists, afterExists);
  TemporaryDirectory dir;
  fs::path work = dir.path() / "work";
  fs::create_directories(work);
  if (beforeExists) writeBytes(work / path, before);
  writeBytes(dir.path() / "patch.diff", diff);
  std::string prefix = "cd " + shellQuote(work.string()) +
                       " && GIT_CEILING_DIRECTORIES=" + shellQuote(dir.path().string()) + " git apply ";
  Run check = run(prefix + "--check ../patch.diff");
  INFO(diff);
  INFO(check.output);
  REQUIRE(check.status == 0);
  Run apply = run(prefix + "../patch.diff");
  INFO(apply.output);
  REQUIRE(apply.status == 0);
  if (!fs::exists(work / path)) return "<missing>";
  return readBytes(work / path);
}

// `git diff --no-index` of the two texts with the "index" line removed and
// the function names after the hunk headers dropped (dfopt prints none).
std::string gitDiff(const std::string& path, const std::string& before, const std::string& after,
                    bool beforeExists = true, bool afterExists = true) {
  TemporaryDirectory dir;
  if (beforeExists) writeBytes(dir.path() / "a" / path, before);
  if (afterExists) writeBytes(dir.path() / "b" / path, after);
  std::string from = beforeExists ? shellQuote("a/" + path) : "/dev/null";
  std::string to = afterExists ? shellQuote("b/" + path) : "/dev/null";
  Run diff = run("cd " + shellQuote(dir.path().string()) +
                 " && git diff --no-index --no-prefix --no-color --no-ext-diff " + from + " " + to);
  REQUIRE(diff.status == (before == after && beforeExists == afterExists ? 0 : 1));
  std::string out;
  std::istringstream lines(diff.output);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    if (first && (!beforeExists || !afterExists)) {
      // "diff --git b/P b/P" for /dev/null: the real header names both sides.
      line = "diff --git a/" + path + " b/" + path;
    }
    first = false;
    if (line.rfind("index ", 0) == 0) continue;
    if (line.rfind("@@ ", 0) == 0) line = line.substr(0, line.find(" @@", 3) + 3);
    out += line + '\n';
  }
  return out;
}

std::string join(const std::vector<std::string>& lines, const std::string& eol, bool finalNewline) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 < lines.size() || finalNewline) out += eol;
  }
  return out;
}

const std::string kDockerfile =
    "FROM python:3.12-slim\n"
    "WORKDIR /app\n"
    "COPY . .\n"
    "RUN pip install -r requirements.txt\n"
    "EXPOSE 8000\n"
    "USER app\n"
    "CMD [\"python\", \"app.py\"]\n";

}  // namespace

TEST_CASE("equal texts give an empty diff", "[print]") {
  CHECK(unifiedDiff("Dockerfile", kDockerfile, kDockerfile).empty());
  CHECK(unifiedDiff("Dockerfile", "", "").empty());
  CHECK(unifiedDiff("Dockerfile", "", "", false, false).empty());
}

TEST_CASE("insertion in the middle", "[print]") {
  std::string after = kDockerfile;
  after.insert(after.find("COPY"), "COPY requirements.txt .\n");
  CHECK(unifiedDiff("Dockerfile", kDockerfile, after) ==
        "diff --git a/Dockerfile b/Dockerfile\n"
        "--- a/Dockerfile\n"
        "+++ b/Dockerfile\n"
        "@@ -1,5 +1,6 @@\n"
        " FROM python:3.12-slim\n"
        " WORKDIR /app\n"
        "+COPY requirements.txt .\n"
        " COPY . .\n"
        " RUN pip install -r requirements.txt\n"
        " EXPOSE 8000\n");
}

TEST_CASE("insertion at the start", "[print]") {
  CHECK(unifiedDiff("Dockerfile", kDockerfile, "# syntax=docker/dockerfile:1\n" + kDockerfile) ==
        "diff --git a/Dockerfile b/Dockerfile\n"
        "--- a/Dockerfile\n"
        "+++ b/Dockerfile\n"
        "@@ -1,3 +1,4 @@\n"
        "+# syntax=docker/dockerfile:1\n"
        " FROM python:3.12-slim\n"
        " WORKDIR /app\n"
        " COPY . .\n");
}

TEST_CASE("insertion at the end", "[print]") {
  CHECK(unifiedDiff("Dockerfile", kDockerfile, kDockerfile + "HEALTHCHECK NONE\n") ==
        "diff --git a/Dockerfile b/Dockerfile\n"
        "--- a/Dockerfile\n"
        "+++ b/Dockerfile\n"
        "@@ -5,3 +5,4 @@\n"
        " EXPOSE 8000\n"
        " USER app\n"
        " CMD [\"python\", \"app.py\"]\n"
        "+HEALTHCHECK NONE\n");
}

TEST_CASE("deletion of a line", "[print]") {
  std::string after = kDockerfile;
  after.erase(after.find("EXPOSE"), std::string("EXPOSE 8000\n").size());
  CHECK(unifiedDiff("Dockerfile", kDockerfile, after) ==
        "diff --git a/Dockerfile b/Dockerfile\n"
        "--- a/Dockerfile\n"
        "+++ b/Dockerfile\n"
        "@@ -2,6 +2,5 @@\n"
        " WORKDIR /app\n"
        " COPY . .\n"
        " RUN pip install -r requirements.txt\n"
        "-EXPOSE 8000\n"
        " USER app\n"
        " CMD [\"python\", \"app.py\"]\n");
}

TEST_CASE("replacement of a line", "[print]") {
  std::string after = kDockerfile;
  after.replace(after.find("USER app"), 8, "USER 10001");
  CHECK(unifiedDiff("Dockerfile", kDockerfile, after) ==
        "diff --git a/Dockerfile b/Dockerfile\n"
        "--- a/Dockerfile\n"
        "+++ b/Dockerfile\n"
        "@@ -3,5 +3,5 @@\n"
        " COPY . .\n"
        " RUN pip install -r requirements.txt\n"
        " EXPOSE 8000\n"
        "-USER app\n"
        "+USER 10001\n"
        " CMD [\"python\", \"app.py\"]\n");
}

TEST_CASE("hunk header counts of one are left out", "[print]") {
  CHECK(unifiedDiff("f", "a\n", "b\n") == "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n");
  CHECK(unifiedDiff("f", "a\nb\nc\n", "a\nc\n", true, true, 0) ==
        "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -2 +1,0 @@\n-b\n");
  CHECK(unifiedDiff("f", "a\nc\n", "a\nb\nc\n", true, true, 0) ==
        "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,0 +2 @@\n+b\n");
}

TEST_CASE("two distant changes give two hunks", "[print]") {
  std::vector<std::string> lines;
  for (int i = 1; i <= 20; ++i) lines.push_back("line " + std::to_string(i));
  std::vector<std::string> changed = lines;
  changed[1] = "LINE 2";
  changed[17] = "LINE 18";
  CHECK(unifiedDiff("f", join(lines, "\n", true), join(changed, "\n", true)) ==
        "diff --git a/f b/f\n"
        "--- a/f\n"
        "+++ b/f\n"
        "@@ -1,5 +1,5 @@\n"
        " line 1\n"
        "-line 2\n"
        "+LINE 2\n"
        " line 3\n"
        " line 4\n"
        " line 5\n"
        "@@ -15,6 +15,6 @@\n"
        " line 15\n"
        " line 16\n"
        " line 17\n"
        "-line 18\n"
        "+LINE 18\n"
        " line 19\n"
        " line 20\n");
}

TEST_CASE("changes with overlapping context share one hunk", "[print]") {
  std::vector<std::string> lines;
  for (int i = 1; i <= 20; ++i) lines.push_back("line " + std::to_string(i));
  std::vector<std::string> changed = lines;
  changed[4] = "LINE 5";
  changed[11] = "LINE 12";  // six equal lines between: the contexts touch
  CHECK(unifiedDiff("f", join(lines, "\n", true), join(changed, "\n", true)) ==
        "diff --git a/f b/f\n"
        "--- a/f\n"
        "+++ b/f\n"
        "@@ -2,14 +2,14 @@\n"
        " line 2\n"
        " line 3\n"
        " line 4\n"
        "-line 5\n"
        "+LINE 5\n"
        " line 6\n"
        " line 7\n"
        " line 8\n"
        " line 9\n"
        " line 10\n"
        " line 11\n"
        "-line 12\n"
        "+LINE 12\n"
        " line 13\n"
        " line 14\n"
        " line 15\n");
  changed[11] = "line 12";
  changed[12] = "LINE 13";  // seven equal lines between: two hunks
  std::string diff = unifiedDiff("f", join(lines, "\n", true), join(changed, "\n", true));
  CHECK(diff.find("@@ -2,7 +2,7 @@\n") != std::string::npos);
  CHECK(diff.find("@@ -10,7 +10,7 @@\n") != std::string::npos);
}

TEST_CASE("the number of context lines is a parameter", "[print]") {
  std::string after = kDockerfile;
  after.replace(after.find("EXPOSE 8000"), 11, "EXPOSE 80");
  CHECK(unifiedDiff("Dockerfile", kDockerfile, after, true, true, 1) ==
        "diff --git a/Dockerfile b/Dockerfile\n"
        "--- a/Dockerfile\n"
        "+++ b/Dockerfile\n"
        "@@ -4,3 +4,3 @@\n"
        " RUN pip install -r requirements.txt\n"
        "-EXPOSE 8000\n"
        "+EXPOSE 80\n"
        " USER app\n");
}

TEST_CASE("a new file", "[print]") {
  CHECK(unifiedDiff("svc/Dockerfile", "", "FROM alpine\nRUN true\n", false, true) ==
        "diff --git a/svc/Dockerfile b/svc/Dockerfile\n"
        "new file mode 100644\n"
        "--- /dev/null\n"
        "+++ b/svc/Dockerfile\n"
        "@@ -0,0 +1,2 @@\n"
        "+FROM alpine\n"
        "+RUN true\n");
}

TEST_CASE("a deleted file", "[print]") {
  CHECK(unifiedDiff("Dockerfile", "FROM alpine\n", "", true, false) ==
        "diff --git a/Dockerfile b/Dockerfile\n"
        "deleted file mode 100644\n"
        "--- a/Dockerfile\n"
        "+++ /dev/null\n"
        "@@ -1 +0,0 @@\n"
        "-FROM alpine\n");
}

TEST_CASE("a new empty file has only the header", "[print]") {
  CHECK(unifiedDiff(".dockerignore", "", "", false, true) ==
        "diff --git a/.dockerignore b/.dockerignore\n"
        "new file mode 100644\n");
  CHECK(applyWithGit(".dockerignore", "", "", false, true) == "");
}

TEST_CASE("CRLF lines keep their carriage returns", "[print]") {
  CHECK(unifiedDiff("Dockerfile", "FROM a\r\nRUN b\r\nCMD c\r\n", "FROM a\r\nRUN x\r\nCMD c\r\n") ==
        "diff --git a/Dockerfile b/Dockerfile\n"
        "--- a/Dockerfile\n"
        "+++ b/Dockerfile\n"
        "@@ -1,3 +1,3 @@\n"
        " FROM a\r\n"
        "-RUN b\r\n"
        "+RUN x\r\n"
        " CMD c\r\n");
  // A change of line ending alone is a change.
  CHECK(unifiedDiff("f", "a\n", "a\r\n") == "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+a\r\n");
}

TEST_CASE("missing final newline after the change", "[print]") {
  CHECK(unifiedDiff("f", "a\nb\n", "a\nb") ==
        "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n"
        "\\ No newline at end of file\n");
}

TEST_CASE("missing final newline before the change", "[print]") {
  CHECK(unifiedDiff("f", "a\nb", "a\nb\nc\n") ==
        "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n-b\n"
        "\\ No newline at end of file\n+b\n+c\n");
}

TEST_CASE("missing final newline on both sides", "[print]") {
  CHECK(unifiedDiff("f", "a\nb", "a\nc") ==
        "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n"
        "\\ No newline at end of file\n+c\n\\ No newline at end of file\n");
  CHECK(unifiedDiff("f", "x\na\nb", "y\na\nb") ==
        "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n-x\n+y\n a\n b\n"
        "\\ No newline at end of file\n");
}

TEST_CASE("empty before text", "[print]") {
  CHECK(unifiedDiff("f", "", "a\nb\n") == "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n");
}

TEST_CASE("empty after text", "[print]") {
  CHECK(unifiedDiff("f", "a\nb", "") ==
        "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-a\n-b\n\\ No newline at end of file\n");
}

TEST_CASE("an inserted block slides down to end at a blank line", "[print]") {
  CHECK(unifiedDiff("f", "FROM a\n\nRUN b\n", "FROM a\n\nRUN x\n\nRUN b\n") ==
        "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,3 +1,5 @@\n FROM a\n \n+RUN x\n+\n RUN b\n");
}

TEST_CASE("paths with special characters are quoted as git quotes them", "[print]") {
  CHECK(unifiedDiff("my dir/Dockerfile", "a\n", "b\n") ==
        "diff --git a/my dir/Dockerfile b/my dir/Dockerfile\n"
        "--- a/my dir/Dockerfile\t\n"
        "+++ b/my dir/Dockerfile\t\n"
        "@@ -1 +1 @@\n-a\n+b\n");
  CHECK(unifiedDiff("caf\xc3\xa9/Dockerfile", "a\n", "b\n") ==
        "diff --git \"a/caf\\303\\251/Dockerfile\" \"b/caf\\303\\251/Dockerfile\"\n"
        "--- \"a/caf\\303\\251/Dockerfile\"\n"
        "+++ \"b/caf\\303\\251/Dockerfile\"\n"
        "@@ -1 +1 @@\n-a\n+b\n");
  CHECK(applyWithGit("my dir/Dockerfile", "a\n", "b\n") == "b\n");
  CHECK(applyWithGit("caf\xc3\xa9/Dockerfile", "a\n", "b\n") == "b\n");
}

TEST_CASE("colors follow git's defaults", "[print]") {
  CHECK(unifiedDiff("f", "a\nb\r\nc", "a\nB\r\nC", true, true, 3, DiffColors{true}) ==
        "\x1b[1mdiff --git a/f b/f\x1b[m\n"
        "\x1b[1m--- a/f\x1b[m\n"
        "\x1b[1m+++ b/f\x1b[m\n"
        "\x1b[36m@@ -1,3 +1,3 @@\x1b[m\n"
        " a\n"
        "\x1b[31m-b\x1b[m\r\n"
        "\x1b[31m-c\x1b[m\n"
        "\\ No newline at end of file\n"
        "\x1b[32m+B\x1b[m\r\n"
        "\x1b[32m+C\x1b[m\n"
        "\\ No newline at end of file\n");
  CHECK(unifiedDiff("f", "", "a\n", false, true, 3, DiffColors{true}) ==
        "\x1b[1mdiff --git a/f b/f\x1b[m\n"
        "\x1b[1mnew file mode 100644\x1b[m\n"
        "\x1b[1m--- /dev/null\x1b[m\n"
        "\x1b[1m+++ b/f\x1b[m\n"
        "\x1b[36m@@ -0,0 +1 @@\x1b[m\n"
        "\x1b[32m+a\x1b[m\n");
}

TEST_CASE("no escape sequences without colors", "[print]") {
  std::string diff = unifiedDiff("f", "a\nb\n", "a\nc\n", false, true);
  CHECK(diff.find('\x1b') == std::string::npos);
  diff = unifiedDiff("f", "a\nb\n", "a\nc\n");
  CHECK(diff.find('\x1b') == std::string::npos);
}

namespace {

struct Edit {
  std::string before, after;
};

// Random edits (fixed seed) of a multi-line Dockerfile with repeated and blank
// lines, so that the diff has choices; some with CRLF line ends, some without
// a final newline before or after.
std::vector<Edit> randomEdits() {
  std::vector<std::string> base = {"FROM python:3.12-slim AS build",
                                   "",
                                   "WORKDIR /app",
                                   "COPY requirements.txt .",
                                   "RUN pip install -r requirements.txt",
                                   "",
                                   "COPY . .",
                                   "RUN python -m compileall .",
                                   "",
                                   "FROM python:3.12-slim",
                                   "WORKDIR /app",
                                   "COPY --from=build /app /app",
                                   "",
                                   "USER app",
                                   "EXPOSE 8000",
                                   "CMD [\"python\", \"app.py\"]",
                                   "",
                                   "# end"};
  std::vector<std::string> pool = {"",          "RUN true", "WORKDIR /app", "COPY . .",
                                   "# comment", "ENV A=1",  "  indented",   "FROM alpine"};
  std::mt19937 random(20240607);
  std::vector<Edit> edits;
  for (int round = 0; round < 60; ++round) {
    std::vector<std::string> lines = base;
    int count = 1 + static_cast<int>(random() % 6);
    for (int e = 0; e < count; ++e) {
      size_t at = random() % (lines.size() + 1);
      switch (random() % 3) {
        case 0:
          lines.insert(lines.begin() + at, pool[random() % pool.size()]);
          break;
        case 1:
          if (at < lines.size()) lines.erase(lines.begin() + at);
          break;
        default:
          if (at < lines.size()) lines[at] = pool[random() % pool.size()];
      }
    }
    std::string eol = round % 3 == 0 ? "\r\n" : "\n";
    Edit edit{join(base, eol, round % 4 != 1), join(lines, eol, round % 5 != 2)};
    if (edit.before != edit.after) edits.push_back(edit);
  }
  return edits;
}

}  // namespace

TEST_CASE("git apply turns the before text into the after text", "[print]") {
  std::vector<Edit> edits = randomEdits();
  CHECK(edits.size() > 50);
  for (size_t i = 0; i < edits.size(); ++i) {
    INFO("edit " << i);
    CHECK(applyWithGit("app/Dockerfile", edits[i].before, edits[i].after) == edits[i].after);
  }
  CHECK(applyWithGit("Dockerfile", "", "FROM a\r\nRUN b", false, true) == "FROM a\r\nRUN b");
  CHECK(applyWithGit("Dockerfile", "FROM a\nRUN b", "", true, false) == "<missing>");
  CHECK(applyWithGit("Dockerfile", "FROM a\nRUN b\n", "") == "");
  CHECK(applyWithGit("Dockerfile", "", "FROM a\n") == "FROM a\n");
}

TEST_CASE("random edits mostly give the diff git gives", "[print]") {
  // Other shortest diffs exist and dtl sometimes picks one git does not.
  std::vector<Edit> edits = randomEdits();
  size_t same = 0;
  for (const Edit& e : edits) {
    if (unifiedDiff("app/Dockerfile", e.before, e.after) == gitDiff("app/Dockerfile", e.before, e.after))
      ++same;
  }
  INFO(same << " of " << edits.size());
  CHECK(same * 10 >= edits.size() * 9);
}

TEST_CASE("the diff is byte for byte what git diff prints", "[print]") {
  std::string crlf = "FROM a\r\nRUN b\r\n\r\nCMD c\r\n";
  struct Case {
    std::string before, after;
    bool beforeExists = true, afterExists = true;
  };
  std::vector<Case> cases = {
      {kDockerfile, "# syntax=docker/dockerfile:1\n" + kDockerfile},
      {kDockerfile, kDockerfile + "HEALTHCHECK NONE\n"},
      {kDockerfile,
       "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\n"
       "EXPOSE 8000\nUSER app\nCMD [\"python\", \"app.py\"]"},
      {crlf, "FROM a\r\nRUN x\r\n\r\nCMD c\r\nUSER 1\r\n"},
      {"a\nb", "a\nc"},
      {"a\nb\n", "a\nb"},
      {"", "a\nb\n"},
      {"a\nb\n", ""},
      {"", "FROM a\nRUN b\n", false, true},
      {"FROM a\nRUN b", "", true, false},
      {"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
       "1\n2\nx\n4\n5\n6\n7\n8\n9\n10\ny\n12\n13\n14\n15\n16\nz\n"},
      {"FROM a\n\nRUN b\n", "FROM a\n\nRUN x\n\nRUN b\n"},
  };
  for (const Case& c : cases) {
    INFO(c.before << "\n=>\n" << c.after);
    CHECK(unifiedDiff("Dockerfile", c.before, c.after, c.beforeExists, c.afterExists) ==
          gitDiff("Dockerfile", c.before, c.after, c.beforeExists, c.afterExists));
  }
}
