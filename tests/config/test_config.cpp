// .dfopt.yaml: parsing every key, errors at their line and column,
// overrides, the precedence of the layers, and base-images as the
// transforms see it.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "support.h"

namespace {

using dfopt::config::Config;
using dfopt::config::Error;
using dfopt::config::ParseOutcome;
using dfopt::config::Settings;

const std::vector<std::string> kTransforms = {"multi-stage", "non-root", "secrets", "exec-form", "buildkit"};

ParseOutcome parse(std::string_view text) { return dfopt::config::parse(text, ".dfopt.yaml", kTransforms); }

Config parseValid(std::string_view text) {
  ParseOutcome outcome = parse(text);
  for (const Error& error : outcome.errors) UNSCOPED_INFO(dfopt::config::describe(".dfopt.yaml", error));
  REQUIRE(outcome.config);
  return *outcome.config;
}

// The only error `text` gives, as `LINE:COL: message`.
std::string onlyError(std::string_view text) {
  ParseOutcome outcome = parse(text);
  CHECK_FALSE(outcome.config);
  REQUIRE(outcome.errors.size() == 1);
  const Error& error = outcome.errors.front();
  return std::to_string(error.line) + ":" + std::to_string(error.column) + ": " + error.message;
}

}  // namespace

TEST_CASE("every key of the top level", "[config]") {
  Config config = parseValid(R"(# team defaults
only: [multi-stage, non-root]
skip:
  - secrets
user: svc
uid: 20001
runtime-image: python:3.12-slim
unsafe-fixes: true
base-images:
  my-poetry:devel: {like: "python:3.10", family: debian}
  registry.example.com/base: {family: alpine}
exclude: [vendor/**, "legacy"]
)");
  const Settings& top = config.top;
  CHECK(top.only->value == std::vector<std::string>{"multi-stage", "non-root"});
  CHECK(top.only->origin == ".dfopt.yaml:2");
  CHECK(top.skip->value == std::vector<std::string>{"secrets"});
  CHECK(top.skip->origin == ".dfopt.yaml:3");
  CHECK(top.user->value == "svc");
  CHECK(top.uid->value == 20001);
  CHECK(top.uid->origin == ".dfopt.yaml:6");
  CHECK(top.runtimeImage->value == "python:3.12-slim");
  CHECK(top.unsafeFixes->value);
  REQUIRE(top.baseImages.size() == 2);
  CHECK(top.baseImages.at("my-poetry:devel").value.like == "python:3.10");
  CHECK(top.baseImages.at("my-poetry:devel").value.family == "debian");
  CHECK(top.baseImages.at("my-poetry:devel").origin == ".dfopt.yaml:10");
  CHECK(top.baseImages.at("registry.example.com/base").value.like.empty());
  CHECK(config.exclude.written == std::vector<std::string>{"vendor/**", "legacy"});
  CHECK(config.excludeOrigin == ".dfopt.yaml:12");
}

TEST_CASE("an empty file and a file of comments configure nothing", "[config]") {
  for (std::string_view text : {"", "# nothing yet\n", "---\n"}) {
    Config config = parseValid(text);
    CHECK_FALSE(config.top.only);
    CHECK_FALSE(config.top.user);
    CHECK(config.top.baseImages.empty());
    CHECK(config.overrides.empty());
  }
}

TEST_CASE("a single name stands for a list of one", "[config]") {
  Config config = parseValid("skip: secrets\n");
  CHECK(config.top.skip->value == std::vector<std::string>{"secrets"});
}

TEST_CASE("errors name the line and column of the value at fault", "[config]") {
  CHECK(onlyError("user: svc\nskp: [secrets]\n") ==
        "2:1: unknown key 'skp' (did you mean 'skip'?) (known: only, skip, user, uid, runtime-image, "
        "unsafe-fixes, max-input-size, base-images, overrides, exclude)");
  CHECK(
      onlyError("only: [multi-stage, non-rot]\n") ==
      "1:21: unknown transform 'non-rot' (did you mean 'non-root'?) (known: multi-stage, non-root, secrets, "
      "exec-form, buildkit)");
  CHECK(onlyError("uid: abc\n") ==
        "1:6: 'uid' must be a whole number from 1 to 4294967294 (0 is root), not 'abc'");
  CHECK(onlyError("uid: 0\n") ==
        "1:6: 'uid' must be a whole number from 1 to 4294967294 (0 is root), not '0'");
  CHECK(onlyError("uid: 4294967295\n").starts_with("1:6: 'uid' must be a whole number"));
  CHECK(onlyError("user: root\n") == "1:7: 'user' must be an unprivileged user, not root");
  CHECK(onlyError("user: [a]\n").starts_with("1:7: 'user' must be a user name"));
  CHECK(onlyError("unsafe-fixes: maybe\n") == "1:15: 'unsafe-fixes' must be true or false, not 'maybe'");
  CHECK(onlyError("runtime-image: \"python slim\"\n").starts_with("1:16: 'runtime-image' must be an image"));
  CHECK(onlyError("skip: {secrets: true}\n") == "1:7: 'skip' must be a list of transform names, not a map");
  CHECK(onlyError("only:\n  - multi-stage\n  - [non-root]\n") ==
        "3:5: 'only' must be a list of transform names, and this item is a list");
  CHECK(onlyError("user: a\nuser: b\n") == "2:1: 'user' is set twice");
  CHECK(onlyError("- only\n") ==
        "1:1: the configuration must be a map of keys (only, skip, user, ...), not a list");
}

TEST_CASE("a YAML syntax error is an error at its position", "[config]") {
  ParseOutcome outcome = parse("only: [multi-stage\nuser: svc\n");
  CHECK_FALSE(outcome.config);
  REQUIRE(outcome.errors.size() == 1);
  CHECK(outcome.errors[0].line >= 1);
  CHECK(dfopt::config::describe(".dfopt.yaml", outcome.errors[0]).starts_with(".dfopt.yaml:"));
}

TEST_CASE("every error of a file is reported, not only the first", "[config]") {
  ParseOutcome outcome = parse("uid: x\nuser: root\nfoo: 1\n");
  CHECK_FALSE(outcome.config);
  REQUIRE(outcome.errors.size() == 3);
  CHECK(outcome.errors[0].line == 1);
  CHECK(outcome.errors[1].line == 2);
  CHECK(outcome.errors[2].line == 3);
}

TEST_CASE("base-images errors", "[config]") {
  CHECK(onlyError("base-images:\n  my-base:1: {family: gentoo}\n") ==
        "2:23: 'family' must be one of debian, ubuntu, alpine, busybox, rhel, not 'gentoo'");
  CHECK(onlyError("base-images:\n  my-base:1: {lke: python:3}\n") ==
        "2:15: unknown fact 'lke' of my-base:1 (did you mean 'like'?) (known: like, family)");
  CHECK(onlyError("base-images:\n  my-base:1: {}\n") ==
        "2:14: my-base:1 needs 'like' (the image it behaves as), 'family' (its distribution) or both");
  CHECK(onlyError("base-images:\n  my-base:1: python:3.10\n")
            .starts_with("2:14: the facts of my-base:1 must be a map"));
  CHECK(onlyError("base-images: [my-base]\n").starts_with("1:14: 'base-images' must be a map"));
}

TEST_CASE("overrides and exclude errors", "[config]") {
  CHECK(onlyError("overrides:\n  - user: svc\n") ==
        "2:5: an override needs 'files': the globs of the Dockerfiles it applies to");
  CHECK(onlyError("overrides:\n  - files: [a]\n    exclude: [b]\n") ==
        "3:5: 'exclude' belongs at the top level, not in an override");
  CHECK(onlyError("overrides:\n  - files: [a]\n    usr: svc\n") ==
        "3:5: unknown key 'usr' in an override (did you mean 'user'?) (known: only, skip, user, uid, "
        "runtime-image, unsafe-fixes, max-input-size, base-images, files)");
  CHECK(onlyError("overrides: {files: a}\n").starts_with("1:12: 'overrides' must be a list"));
  CHECK(onlyError("exclude: [\"[a-\"]\n") ==
        "1:11: '[a-' is not a valid glob (.dockerignore's syntax: *, ?, [...], **)");
}

TEST_CASE("overrides apply to the Dockerfiles their globs match, in file order", "[config]") {
  Config config = parseValid(R"(user: svc
uid: 20001
overrides:
  - files: ["services/**"]
    uid: 30001
    skip: [secrets]
  - files: ["**/Dockerfile.dev", "tools"]
    only: [non-root]
    uid: 40001
)");
  Settings root = config.settingsFor("Dockerfile");
  CHECK(root.uid->value == 20001);
  CHECK_FALSE(root.skip);

  Settings api = config.settingsFor("services/api/Dockerfile");
  CHECK(api.user->value == "svc");
  CHECK(api.uid->value == 30001);
  CHECK(api.uid->origin == ".dfopt.yaml:5");
  CHECK(api.skip->value == std::vector<std::string>{"secrets"});

  // both match: the later one wins where both set a value
  Settings dev = config.settingsFor("services/api/Dockerfile.dev");
  CHECK(dev.uid->value == 40001);
  CHECK(dev.skip->value == std::vector<std::string>{"secrets"});
  CHECK(dev.only->value == std::vector<std::string>{"non-root"});

  // a glob naming a directory covers what is under it
  CHECK(config.settingsFor("tools/lint/Dockerfile").uid->value == 40001);
  CHECK(config.settingsFor("tooling/Dockerfile").uid->value == 20001);
}

TEST_CASE("exclude matches paths and what is under them", "[config]") {
  Config config = parseValid("exclude: [vendor, \"**/testdata\", \"examples/*.Dockerfile\"]\n");
  CHECK(config.excludes("vendor"));
  CHECK(config.excludes("vendor/lib/Dockerfile"));
  CHECK(config.excludes("pkg/a/testdata/Dockerfile"));
  CHECK(config.excludes("examples/web.Dockerfile"));
  CHECK_FALSE(config.excludes("examples/web/Dockerfile"));
  CHECK_FALSE(config.excludes("src/vendor.go"));
  // outside the configuration's directory, or no path at all (standard input)
  CHECK_FALSE(config.excludes("../vendor/Dockerfile"));
  CHECK_FALSE(parseValid("exclude: [\"**\"]\n").excludes("../app/Dockerfile"));
  CHECK_FALSE(parseValid("exclude: [\"**\"]\n").excludes(""));
  CHECK_FALSE(parseValid("user: svc\n").excludes("vendor"));
}

TEST_CASE("precedence: defaults < top level < overrides < command line", "[config]") {
  Config config = parseValid(R"(user: svc
uid: 20001
unsafe-fixes: true
base-images:
  my-base: {like: "python:3.11"}
overrides:
  - files: [api]
    uid: 30001
    base-images:
      my-base: {like: "python:3.12"}
)");
  Settings commandLine;
  commandLine.user = {{"cli-user", "command line"}};
  Settings merged = dfopt::config::merge(config.settingsFor("api/Dockerfile"), commandLine);
  dfopt::engine::Options options;
  std::vector<std::string> only, skip;
  dfopt::config::apply(merged, options, only, skip);
  CHECK(options.user == "cli-user");
  CHECK(merged.user->origin == "command line");
  CHECK(options.uid == 30001);
  CHECK(merged.uid->origin == ".dfopt.yaml:8");
  CHECK(options.unsafeFixes);
  CHECK(options.runtimeImage.empty());  // the default stays
  CHECK_FALSE(merged.runtimeImage);
  CHECK(options.baseImages.at("my-base").like == "python:3.12");
  CHECK(only.empty());
}

TEST_CASE("base images are found by their full reference or their repository", "[config]") {
  dfopt::engine::BaseImages images{{"my-poetry:devel", {"python:3.10", "debian"}},
                                   {"registry.example.com/team/node", {"node:20", ""}}};
  CHECK(dfopt::engine::imageLike(images, "my-poetry:devel") == "python:3.10");
  CHECK(dfopt::engine::imageLike(images, "my-poetry:prod") == "my-poetry:prod");
  CHECK(dfopt::engine::imageLike(images, "registry.example.com/team/node:20.11") == "node:20");
  CHECK(dfopt::engine::imageLike(images, "registry.example.com/team/node@sha256:abc") == "node:20");
  CHECK(dfopt::engine::imageLike(images, "python:3.10") == "python:3.10");
  CHECK(dfopt::engine::describeImage(images, "my-poetry:devel") == "my-poetry:devel (like python:3.10)");
  CHECK(dfopt::engine::describeImage(images, "alpine:3") == "alpine:3");
}

namespace {

const std::string kPoetryApp = R"(FROM my-poetry:devel
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry install --no-root
COPY . .
CMD ["poetry", "run", "python", "-m", "app"]
)";

dfopt::engine::Options withMyPoetry(std::string family) {
  dfopt::engine::Options options;
  options.baseImages["my-poetry:devel"] = {"python:3.10", std::move(family)};
  return options;
}

}  // namespace

TEST_CASE("non-root creates the user with the tools of the family base-images names", "[config]") {
  auto unknown = dfopt::testing::runTransform("non-root", kPoetryApp, {});
  CHECK(unknown.after == kPoetryApp);
  CHECK_THAT(unknown.messages, Catch::Contains("unknown base image my-poetry:devel"));

  auto debian = dfopt::testing::runTransform("non-root", kPoetryApp, {}, withMyPoetry("debian"));
  CHECK_THAT(debian.after, Catch::Contains("useradd"));
  CHECK_THAT(debian.messages, Catch::Contains("Debian"));

  auto alpine = dfopt::testing::runTransform("non-root", kPoetryApp, {}, withMyPoetry("alpine"));
  CHECK_THAT(alpine.after, Catch::Contains("adduser"));
  CHECK_THAT(alpine.messages, Catch::Contains("Alpine"));
}

TEST_CASE("a family does not override what the like image ships or refuses", "[config]") {
  dfopt::engine::Options options;
  options.baseImages["my-nginx:1"] = {"nginx:1.27", "debian"};
  std::string nginx = "FROM my-nginx:1\nCOPY site /usr/share/nginx/html\n";
  auto run = dfopt::testing::runTransform("non-root", nginx, {{"site/index.html", "<p>hi</p>"}}, options);
  CHECK(run.after == nginx);
  CHECK_THAT(run.messages, Catch::Contains("my-nginx:1 (like nginx:1.27) starts as root"));
}

TEST_CASE("max-input-size: bytes, or with a unit of 1024", "[config]") {
  CHECK(parseValid("max-input-size: 1048576\n").top.maxInputSize->value == 1048576);
  CHECK(parseValid("max-input-size: 512K\n").top.maxInputSize->value == 512 * 1024);
  CHECK(parseValid("max-input-size: 20 MiB\n").top.maxInputSize->value == 20 << 20);
  CHECK(parseValid("max-input-size: 1g\n").top.maxInputSize->value == uint64_t{1} << 30);
  CHECK(parseValid("overrides:\n  - files: [big/*]\n    max-input-size: 50M\n")
            .overrides[0]
            .settings.maxInputSize->value == 50 << 20);
  CHECK(onlyError("max-input-size: lots\n") ==
        "1:17: 'max-input-size' must be a size in bytes, or with a unit (512K, 10M, 1G), not 'lots'");
  CHECK(onlyError("max-input-size: 0\n").starts_with("1:17: 'max-input-size' must be a size"));
  CHECK(onlyError("max-input-size: [1]\n").ends_with("not a list"));
}
