// The build context: listing a directory or an in-memory map, reading
// files, and picking up the .dockerignore at the root.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "context/build_context.h"
#include "support.h"

namespace fs = std::filesystem;
using dfopt::context::BuildContext;
using dfopt::context::cleanPath;
using dfopt::testing::TemporaryDirectory;

namespace {

using Paths = std::vector<std::string>;

BuildContext sampleContext() {
  return BuildContext::fromFiles({
      {"Dockerfile", "FROM alpine\n"},
      {"src/app/main.py", "print('hi')\n"},
      {"src/app/util.py", ""},
      {"src/README.md", "# src\n"},
      {"srcfile.txt", "x"},
  });
}

}  // namespace

TEST_CASE("cleanPath: cleans like filepath.Clean and drops the leading slash", "[context]") {
  CHECK(cleanPath("./a//b/") == "a/b");
  CHECK(cleanPath("a/./b/../c") == "a/c");
  CHECK(cleanPath("/a/b") == "a/b");
  CHECK(cleanPath("/") == ".");
  CHECK(cleanPath(".") == ".");
  CHECK(cleanPath("") == ".");
  CHECK(cleanPath("a/../..") == "..");
  CHECK(cleanPath("/../a") == "a");
}

TEST_CASE("fromFiles: lists the files sorted", "[context]") {
  CHECK(sampleContext().files() ==
        Paths{"Dockerfile", "src/README.md", "src/app/main.py", "src/app/util.py", "srcfile.txt"});
}

TEST_CASE("fromFiles: directories are implied by the paths", "[context]") {
  const BuildContext context = sampleContext();
  CHECK(context.isDirectory("src"));
  CHECK(context.isDirectory("src/app"));
  CHECK(context.exists("src/app"));
  CHECK_FALSE(context.isDirectory("src/app/main.py"));
}

TEST_CASE("fromFiles: the root exists and is a directory", "[context]") {
  const BuildContext context = BuildContext::fromFiles({});
  CHECK(context.exists("."));
  CHECK(context.isDirectory("."));
  CHECK(context.files().empty());
}

TEST_CASE("fromFiles: a missing path does not exist", "[context]") {
  const BuildContext context = sampleContext();
  CHECK_FALSE(context.exists("missing"));
  CHECK_FALSE(context.exists("src/app/main"));
  CHECK_FALSE(context.isDirectory("missing"));
}

TEST_CASE("fromFiles: paths are cleaned on the way in and on lookup", "[context]") {
  const BuildContext context = BuildContext::fromFiles({{"./a//b.txt", "b"}});
  CHECK(context.files() == Paths{"a/b.txt"});
  CHECK(context.exists("./a/b.txt"));
  CHECK(context.exists("/a/b.txt"));
  CHECK(context.read("a//b.txt") == "b");
}

TEST_CASE("exists and isDirectory answer any spelling of a path as its clean form", "[context]") {
  const BuildContext context = sampleContext();
  for (std::string_view path : {"src",
                                "src/",
                                "src//app",
                                "./src/app",
                                "src/./app",
                                "src/app/.",
                                "src/x/../app",
                                "/src/app/main.py",
                                "src/app/main.py/",
                                ".",
                                "./",
                                "/",
                                "",
                                "..",
                                "../src",
                                "src/..",
                                "src/../..",
                                "a/..",
                                "srcfile.txt",
                                "srcfile.txt/.",
                                "src/ap",
                                "src/app/main.p",
                                "srcx",
                                ".src",
                                "src/.app",
                                "...",
                                "src/app/..."}) {
    CAPTURE(path);
    std::string clean = cleanPath(path);
    CHECK(context.exists(path) == context.exists(clean));
    CHECK(context.isDirectory(path) == context.isDirectory(clean));
  }
  CHECK(context.exists("src/x/../app/main.py"));
  CHECK(context.isDirectory("src/./app/"));
  CHECK_FALSE(context.exists("src/..."));
}

TEST_CASE("fromFiles: paths outside the context are dropped", "[context]") {
  const BuildContext context = BuildContext::fromFiles({{"../secret", "x"}, {"ok", "y"}});
  CHECK(context.files() == Paths{"ok"});
}

TEST_CASE("read: returns a file's content", "[context]") {
  CHECK(sampleContext().read("Dockerfile") == "FROM alpine\n");
}

TEST_CASE("read: nothing for a missing file or a directory", "[context]") {
  const BuildContext context = sampleContext();
  CHECK_FALSE(context.read("missing").has_value());
  CHECK_FALSE(context.read("src").has_value());
  CHECK_FALSE(context.read(".").has_value());
}

TEST_CASE("read: returns at most limit bytes", "[context]") {
  CHECK(sampleContext().read("Dockerfile", 4) == "FROM");
}

TEST_CASE("filesUnder: the files below a directory", "[context]") {
  const BuildContext context = sampleContext();
  CHECK(context.filesUnder("src") == Paths{"src/README.md", "src/app/main.py", "src/app/util.py"});
  CHECK(context.filesUnder("./src/app/") == Paths{"src/app/main.py", "src/app/util.py"});
}

TEST_CASE("filesUnder: the root gives every file", "[context]") {
  const BuildContext context = sampleContext();
  CHECK(context.filesUnder(".") == context.files());
}

TEST_CASE("filesUnder: nothing below a file or a missing directory", "[context]") {
  const BuildContext context = sampleContext();
  CHECK(context.filesUnder("Dockerfile").empty());
  CHECK(context.filesUnder("nope").empty());
}

TEST_CASE("fromFiles: a .dockerignore in the map is the dockerignore", "[context]") {
  const BuildContext context = BuildContext::fromFiles({{".dockerignore", "*.log\n"}, {"a.log", ""}});
  CHECK(context.dockerignoreText() == "*.log\n");
  CHECK(context.dockerignore().excludes("a.log"));
  CHECK(context.exists(".dockerignore"));
}

TEST_CASE("fromFiles: without a .dockerignore nothing is excluded", "[context]") {
  const BuildContext context = sampleContext();
  CHECK_FALSE(context.dockerignoreText().has_value());
  CHECK(context.dockerignore().empty());
}

TEST_CASE("fromDirectory: lists files and directories relative and sorted", "[context]") {
  TemporaryDirectory root;
  root.write("Dockerfile", "FROM alpine\n");
  root.write("src/main.go", "package main\n");
  root.write("src/pkg/util.go", "package pkg\n");
  fs::create_directories(root.path() / "empty");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.files() == Paths{"Dockerfile", "src/main.go", "src/pkg/util.go"});
  CHECK(context.isDirectory("src/pkg"));
  CHECK(context.isDirectory("empty"));
  CHECK(context.filesUnder("src") == Paths{"src/main.go", "src/pkg/util.go"});
}

TEST_CASE("fromDirectory: reads file contents up to the limit", "[context]") {
  TemporaryDirectory root;
  root.write("requirements.txt", "flask==3.0\n");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.read("requirements.txt") == "flask==3.0\n");
  CHECK(context.read("requirements.txt", 5) == "flask");
  CHECK_FALSE(context.read("missing.txt").has_value());
}

TEST_CASE("fromDirectory: reads the .dockerignore at the root", "[context]") {
  TemporaryDirectory root;
  root.write(".dockerignore", "node_modules\n");
  root.write("node_modules/x/index.js", "");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.dockerignoreText() == "node_modules\n");
  CHECK(context.dockerignore().excludes("node_modules/x/index.js"));
}

TEST_CASE("fromDirectory: a .dockerignore below the root is only a file", "[context]") {
  TemporaryDirectory root;
  root.write("sub/.dockerignore", "*\n");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK_FALSE(context.dockerignoreText().has_value());
  CHECK(context.exists("sub/.dockerignore"));
}

TEST_CASE("fromDirectory: a symlinked directory is listed but not followed", "[context]") {
  TemporaryDirectory root;
  TemporaryDirectory outside;
  outside.write("secret.txt", "secret");
  fs::create_directory_symlink(outside.path(), root.path() / "link");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.files() == Paths{"link"});
  CHECK_FALSE(context.isDirectory("link"));
  CHECK_FALSE(context.exists("link/secret.txt"));
  CHECK_FALSE(context.read("link").has_value());
}

TEST_CASE("fromDirectory: a symlink to a file outside the root is not read", "[context]") {
  TemporaryDirectory root;
  TemporaryDirectory outside;
  outside.write("secret.txt", "secret");
  fs::create_symlink(outside.path() / "secret.txt", root.path() / "leak.txt");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.exists("leak.txt"));
  CHECK_FALSE(context.read("leak.txt").has_value());
}

TEST_CASE("fromDirectory: a symlink to a file inside the root is read", "[context]") {
  TemporaryDirectory root;
  root.write("real.txt", "content");
  fs::create_symlink("real.txt", root.path() / "alias.txt");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.read("alias.txt") == "content");
}

TEST_CASE("fromDirectory: a dangling symlink is listed and not read", "[context]") {
  TemporaryDirectory root;
  fs::create_symlink("nowhere", root.path() / "dangling");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.exists("dangling"));
  CHECK_FALSE(context.read("dangling").has_value());
}

TEST_CASE("fromDirectory: special files such as fifos are skipped", "[context]") {
  TemporaryDirectory root;
  REQUIRE(::mkfifo((root.path() / "pipe").c_str(), 0600) == 0);
  root.write("file", "x");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.files() == Paths{"file"});
  CHECK_FALSE(context.read("pipe").has_value());
}

TEST_CASE("fromDirectory: an unreadable directory is skipped without an error", "[context]") {
  TemporaryDirectory root;
  root.write("locked/inside.txt", "x");
  root.write("open.txt", "y");
  fs::permissions(root.path() / "locked", fs::perms::none);
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.isDirectory("locked"));
  CHECK(context.exists("open.txt"));
  if (::geteuid() != 0) CHECK_FALSE(context.exists("locked/inside.txt"));  // root reads it anyway
}

TEST_CASE("fromDirectory: a missing root gives an empty context", "[context]") {
  TemporaryDirectory root;
  const BuildContext context = BuildContext::fromDirectory(root.path() / "missing");
  CHECK(context.files().empty());
  CHECK_FALSE(context.dockerignoreText().has_value());
}

TEST_CASE("withFiles: a new file is listed, read, and implies its directories", "[context]") {
  const BuildContext base = sampleContext();
  const BuildContext overlay = base.withFiles({{"./docs/new/guide.md", "# guide\n"}});
  CHECK(overlay.files() == Paths{"Dockerfile", "docs/new/guide.md", "src/README.md", "src/app/main.py",
                                 "src/app/util.py", "srcfile.txt"});
  CHECK(overlay.read("docs/new/guide.md") == "# guide\n");
  CHECK(overlay.isDirectory("docs/new"));
  CHECK(overlay.filesUnder("docs") == Paths{"docs/new/guide.md"});
  CHECK(overlay.read("src/app/main.py") == "print('hi')\n");
  // The base is left as it was.
  CHECK_FALSE(base.exists("docs/new/guide.md"));
}

TEST_CASE("withFiles: a written file replaces the base's", "[context]") {
  const BuildContext overlay = sampleContext().withFiles({{"srcfile.txt", "new"}});
  CHECK(overlay.read("srcfile.txt") == "new");
  CHECK(overlay.read("srcfile.txt", 2) == "ne");
  CHECK(overlay.files() == sampleContext().files());
}

TEST_CASE("withFiles: a written .dockerignore replaces the matcher", "[context]") {
  const BuildContext base =
      BuildContext::fromFiles({{".dockerignore", "*.log\n"}, {"a.log", ""}, {"a.tmp", ""}});
  const BuildContext overlay = base.withFiles({{".dockerignore", "*.tmp\n"}});
  CHECK(overlay.dockerignoreText() == "*.tmp\n");
  CHECK(overlay.dockerignore().excludes("a.tmp"));
  CHECK_FALSE(overlay.dockerignore().excludes("a.log"));
  CHECK(base.dockerignore().excludes("a.log"));
}

TEST_CASE("withFiles: a .dockerignore written where there was none", "[context]") {
  const BuildContext overlay = sampleContext().withFiles({{".dockerignore", "src\n"}});
  CHECK(overlay.exists(".dockerignore"));
  CHECK(overlay.dockerignore().excludes("src/app/main.py"));
}

TEST_CASE("withFiles: files written earlier stay under later ones", "[context]") {
  const BuildContext overlay = sampleContext().withFiles({{"a", "1"}}).withFiles({{"b", "2"}});
  CHECK(overlay.read("a") == "1");
  CHECK(overlay.read("b") == "2");
  CHECK(overlay.read("Dockerfile") == "FROM alpine\n");
}

TEST_CASE("withFiles: an empty directory of a directory base stays", "[context]") {
  TemporaryDirectory root;
  root.write("Dockerfile", "FROM alpine\n");
  fs::create_directories(root.path() / "empty");
  const BuildContext overlay = BuildContext::fromDirectory(root.path()).withFiles({{".dockerignore", "x\n"}});
  CHECK(overlay.isDirectory("empty"));
  CHECK(overlay.exists("empty"));
  CHECK(overlay.files() == Paths{".dockerignore", "Dockerfile"});
}

TEST_CASE("withFiles: a base file over 1 MiB is read whole", "[context]") {
  TemporaryDirectory root;
  const std::string big((3 << 20) / 2, 'x');
  root.write("big.bin", big);
  const BuildContext overlay = BuildContext::fromDirectory(root.path()).withFiles({{"small", "s"}});
  CHECK(overlay.read("big.bin", SIZE_MAX) == big);
  CHECK(overlay.read("big.bin")->size() == size_t{1} << 20);
}

TEST_CASE("withFiles: base files are read when asked for, not copied", "[context]") {
  TemporaryDirectory root;
  root.write("app.py", "before");
  const BuildContext overlay = BuildContext::fromDirectory(root.path()).withFiles({{"other", "o"}});
  root.write("app.py", "after");
  CHECK(overlay.read("app.py") == "after");
}
