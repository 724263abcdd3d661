// Directories the .dockerignore leaves out are not listed (as BuildKit's
// walk does not enter them), yet what is below them still answers by path.
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
using dfopt::testing::TemporaryDirectory;

namespace {

using Paths = std::vector<std::string>;

// An app with node_modules and .git, and the given .dockerignore.
void writeApp(const TemporaryDirectory& root, const std::string& dockerignore) {
  root.write(".dockerignore", dockerignore);
  root.write("app.js", "x");
  root.write("node_modules/left-pad/package.json", "{}");
  root.write("node_modules/left-pad/lib/index.js", "module.exports = 1\n");
  root.write(".git/HEAD", "ref: refs/heads/main\n");
}

}  // namespace

TEST_CASE("pruning: an excluded directory exists, its files are not listed", "[context][pruning]") {
  TemporaryDirectory root;
  writeApp(root, "node_modules\n.git\n");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.files() == Paths{".dockerignore", "app.js"});
  CHECK(context.prunedDirectories() == Paths{".git", "node_modules"});
  CHECK(context.isDirectory("node_modules"));
  CHECK(context.filesUnder("node_modules").empty());
}

TEST_CASE("pruning: paths below an excluded directory are looked up on disk", "[context][pruning]") {
  TemporaryDirectory root;
  writeApp(root, "node_modules\n");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.exists("node_modules/left-pad/package.json"));
  CHECK(context.isDirectory("node_modules/left-pad/lib"));
  CHECK_FALSE(context.isDirectory("node_modules/left-pad/package.json"));
  CHECK(context.read("node_modules/left-pad/lib/index.js") == "module.exports = 1\n");
  CHECK_FALSE(context.exists("node_modules/missing"));
  CHECK_FALSE(context.read("node_modules/missing").has_value());
  CHECK(context.dockerignore().excludes("node_modules/left-pad/package.json"));
}

TEST_CASE("pruning: below an excluded directory a symlink is still not followed", "[context][pruning]") {
  TemporaryDirectory root;
  TemporaryDirectory outside;
  outside.write("secret.txt", "secret");
  writeApp(root, "node_modules\n");
  fs::create_directory_symlink(outside.path(), root.path() / "node_modules" / "link");
  fs::create_symlink(outside.path() / "secret.txt", root.path() / "node_modules" / "leak.txt");
  REQUIRE(::mkfifo((root.path() / "node_modules" / "pipe").c_str(), 0600) == 0);
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.exists("node_modules/link"));
  CHECK_FALSE(context.exists("node_modules/link/secret.txt"));
  CHECK_FALSE(context.read("node_modules/leak.txt").has_value());
  CHECK_FALSE(context.exists("node_modules/pipe"));
  CHECK_FALSE(context.read("node_modules/pipe").has_value());
}

TEST_CASE("pruning: an exception that reaches inside keeps the directory listed", "[context][pruning]") {
  TemporaryDirectory root;
  writeApp(root, "node_modules\n!node_modules/left-pad/package.json\n");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  // Entered down to the exception; lib, beside it, no exception reaches.
  CHECK(context.prunedDirectories() == Paths{"node_modules/left-pad/lib"});
  CHECK(context.filesUnder("node_modules") == Paths{"node_modules/left-pad/package.json"});
  CHECK(context.exists("node_modules/left-pad/lib/index.js"));
}

TEST_CASE("pruning: an exception with a wildcard may reach anywhere", "[context][pruning]") {
  TemporaryDirectory root;
  writeApp(root, "node_modules\n!**/*.json\n");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.prunedDirectories().empty());
  CHECK(context.exists("node_modules/left-pad/package.json"));
  CHECK_FALSE(context.dockerignore().excludes("node_modules/left-pad/package.json"));
}

TEST_CASE("pruning: an exception elsewhere leaves the directory pruned", "[context][pruning]") {
  TemporaryDirectory root;
  writeApp(root, "node_modules\n.git\n!.git/HEAD\n");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.prunedDirectories() == Paths{"node_modules"});
  CHECK(context.files() == Paths{".dockerignore", ".git/HEAD", "app.js"});
}

TEST_CASE("pruning: a file pattern prunes nothing", "[context][pruning]") {
  TemporaryDirectory root;
  writeApp(root, "*.js\n");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.prunedDirectories().empty());
  CHECK(context.exists("node_modules/left-pad/lib/index.js"));
  CHECK(context.filesUnder("node_modules").size() == 2);
}

TEST_CASE("pruning: a written .dockerignore that keeps the directory lists it", "[context][pruning]") {
  TemporaryDirectory root;
  writeApp(root, "node_modules\n.git\n");
  const BuildContext base = BuildContext::fromDirectory(root.path());
  const BuildContext overlay = base.withFiles({{".dockerignore", ".git\n"}});
  CHECK(overlay.prunedDirectories() == Paths{".git"});
  CHECK(overlay.filesUnder("node_modules") ==
        Paths{"node_modules/left-pad/lib/index.js", "node_modules/left-pad/package.json"});
  CHECK(overlay.read("node_modules/left-pad/package.json") == "{}");
  CHECK(base.filesUnder("node_modules").empty());
  const BuildContext more = base.withFiles({{".dockerignore", "node_modules\n.git\n*.log\n"}});
  CHECK(more.prunedDirectories() == Paths{".git", "node_modules"});
}

TEST_CASE("pruning: a deep tree is listed without recursion", "[context][pruning]") {
  TemporaryDirectory root;
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "d/";
  root.write(deep + "leaf", "x");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.files() == Paths{deep + "leaf"});
}

TEST_CASE("listing: a symlink loop is a file and nothing more", "[context][pruning]") {
  TemporaryDirectory root;
  fs::create_symlink("b", root.path() / "a");
  fs::create_symlink("a", root.path() / "b");
  fs::create_directory_symlink(".", root.path() / "self");
  const BuildContext context = BuildContext::fromDirectory(root.path());
  CHECK(context.files() == Paths{"a", "b", "self"});
  CHECK_FALSE(context.read("a").has_value());
  CHECK(context.listingProblems().empty());
}

TEST_CASE("listing: a directory that cannot be listed is reported", "[context][pruning]") {
  if (::geteuid() == 0) return;  // root lists any directory: tests/faults/context_test.sh covers it
  TemporaryDirectory root;
  root.write("locked/inside.txt", "x");
  fs::permissions(root.path() / "locked", fs::perms::none);
  const BuildContext context = BuildContext::fromDirectory(root.path());
  fs::permissions(root.path() / "locked", fs::perms::owner_all);
  REQUIRE(context.listingProblems().size() == 1);
  CHECK(context.listingProblems()[0].path == "locked");
}
