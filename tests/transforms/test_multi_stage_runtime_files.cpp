// A compiled split keeps what the program reads at run time from its
// working directory (transforms/multi_stage/runtime_files.h), and a
// cross-build's production stage is of the target platform.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "support.h"

namespace {

struct Run : dfopt::testing::TransformRun {
  std::string production;  // from the production FROM on
};

Run multiStage(const std::string& dockerfile, std::map<std::string, std::string> files) {
  Run run{dfopt::testing::runTransform("multi-stage", dockerfile, std::move(files)), ""};
  size_t production = run.after.find("\nFROM ");
  if (production != std::string::npos) run.production = run.after.substr(production + 1);
  return run;
}

const std::string kGoApp =
    "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/web .\nCMD [\"/out/web\"]\n";

std::map<std::string, std::string> goContext(const std::string& main,
                                             std::map<std::string, std::string> more = {}) {
  more["go.mod"] = "module example.com/web\n\ngo 1.22\n";
  more["main.go"] = "package main\n\n" + main;
  return more;
}

bool copies(const Run& run, const std::string& path) {
  return run.production.find(" " + path + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("a Go split with nothing to read at run time keeps its working directory, owned by nonroot",
          "[multi-stage][runtime-files]") {
  Run run = multiStage(kGoApp, goContext("func main() {}\n", {{"README.md", "# web\n"}}));
  CHECK(run.production ==
        "FROM gcr.io/distroless/static-debian12:nonroot AS production\n"
        "COPY --from=build --chown=65532:65532 /out/web /src/web\nWORKDIR /src\n"
        "CMD [\"/src/web\"]\n");
}

TEST_CASE("string literals name the files and directories the program reads",
          "[multi-stage][runtime-files]") {
  Run run = multiStage(kGoApp, goContext("func main() {\n"
                                         "\tload(\"/src/data/zones.json\")\n"
                                         "\tparse(fmt.Sprintf(\"pages/%s.html\", name))\n"
                                         "\tviper.SetConfigName(\"webconfig\")\n"
                                         "\tos.ReadFile(\"notes/todo.txt\")\n"
                                         "}\n",
                                         {{"data/zones.json", "[]"},
                                          {"data/other.json", "[]"},
                                          {"pages/home.html", "<p/>"},
                                          {"webconfig.toml", "port = 1"},
                                          {"notes/todo.txt", "x"},
                                          {".dockerignore", "notes\n"}}));
  INFO(run.after);
  CHECK(
      run.production.starts_with("FROM gcr.io/distroless/static-debian12:nonroot AS production\n"
                                 "COPY --from=build --chown=65532:65532 /out/web /src/web\nWORKDIR /src\n"));
  CHECK(copies(run, "./data/zones.json"));
  CHECK_FALSE(copies(run, "./data"));
  CHECK(copies(run, "./pages"));  // up to the format verb
  CHECK(copies(run, "./webconfig.toml"));
  CHECK_FALSE(copies(run, "./notes/todo.txt"));  // dockerignored: not in the build stage
  CHECK(run.messages.find("(data/zones.json, pages/ and webconfig.toml)") != std::string::npos);
}

TEST_CASE("well-known directories of source files only, embedded files, imports are not run-time files",
          "[multi-stage][runtime-files]") {
  Run run = multiStage(kGoApp, goContext("import (\n\t\"embed\"\n\t\"example.com/web/static\"\n)\n\n"
                                         "//go:embed templates/*.html\nvar pages embed.FS\n\n"
                                         "func main() { static.Serve(pages, \"templates/index.html\") }\n",
                                         {{"static/serve.go", "package static\n"},
                                          {"templates/index.html", "<p/>"},
                                          {".env.example", "KEY=\n"}}));
  INFO(run.after);
  CHECK(run.production.find("COPY --from=build --chown=65532:65532 /out/web /src/web\nWORKDIR /src\n") !=
        std::string::npos);
  CHECK(run.production.find("./") == std::string::npos);
}

TEST_CASE("what rm removes is not copied, what a later COPY brings back is", "[multi-stage][runtime-files]") {
  std::string dockerfile =
      "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN rm -rf static .env\nRUN mkdir -p cache && rm -r cache\n"
      "COPY static ./static\nRUN go build -o /out/web .\nCMD [\"/out/web\"]\n";
  Run run = multiStage(dockerfile, goContext("func main() { godotenv.Load() }\n",
                                             {{"static/site.css", "p {}"}, {".env", "KEY=1\n"}}));
  INFO(run.after);
  CHECK(copies(run, "./static"));
  CHECK_FALSE(copies(run, "./.env"));
  CHECK_FALSE(copies(run, "./cache"));
}

TEST_CASE(".env is kept when the sources load it without naming it", "[multi-stage][runtime-files]") {
  Run run = multiStage(kGoApp, goContext("func main() { godotenv.Load() }\n", {{".env", "KEY=1\n"}}));
  CHECK(copies(run, "./.env"));
}

TEST_CASE("a single file copied into the working directory is found", "[multi-stage][runtime-files]") {
  std::string dockerfile =
      "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod main.go ./\nCOPY conf/prod.json settings.json\n"
      "RUN go build -o /out/web .\nCMD [\"/out/web\"]\n";
  Run run = multiStage(dockerfile, goContext("func main() { open(\"settings.json\") }\n",
                                             {{"conf/prod.json", "{}"}, {"settings.json", "{}"}}));
  INFO(run.after);
  CHECK(copies(run, "./settings.json"));
}

TEST_CASE("a program that asks where its binary is is not split", "[multi-stage][runtime-files]") {
  Run run = multiStage(
      "FROM rust:1.77\nWORKDIR /usr/src/app\nCOPY . .\nRUN cargo build --release\n"
      "CMD [\"./target/release/app\"]\n",
      {{"Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n"},
       {"src/main.rs", "fn main() { let me = std::env::current_exe(); }\n"}});
  CHECK(run.messages ==
        "info: not split: the program asks where its own binary is (src/main.rs calls current_exe), maybe to "
        "find files next to it, and the split moves the binary\n");
}

TEST_CASE("Rust's compile-time includes are not run-time files", "[multi-stage][runtime-files]") {
  Run run = multiStage(
      "FROM rust:1.77\nWORKDIR /usr/src/app\nCOPY . .\nRUN cargo build --release\n"
      "CMD [\"./target/release/app\"]\n",
      {{"Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n"},
       {"src/main.rs",
        "const HELP: &str = include_str!(\"../help.txt\");\nfn main() { dotenvy::dotenv(); }\n"},
       {"help.txt", "usage"},
       {".env", "A=1\n"}});
  INFO(run.after);
  CHECK_FALSE(copies(run, "./help.txt"));
  CHECK(copies(run, "./.env"));
}

TEST_CASE("a cross-compiling Go build stage leaves $BUILDPLATFORM behind", "[multi-stage][platform]") {
  auto crossBuild = [](const std::string& args, const std::string& build) {
    return "FROM --platform=$BUILDPLATFORM golang:1.22\n" + args + "WORKDIR /src\nCOPY . .\nRUN " + build +
           "\nCMD [\"/out/web\"]\n";
  };
  SECTION("GOARCH from ENV") {
    Run run = multiStage(crossBuild("ARG TARGETARCH\nENV GOARCH=$TARGETARCH\n", "go build -o /out/web ."),
                         goContext("func main() {}\n"));
    CHECK(run.production.starts_with("FROM gcr.io/distroless/static-debian12:nonroot AS production\n"));
  }
  SECTION("GOARCH exported in the same RUN") {
    Run run = multiStage(crossBuild("ARG TARGETOS TARGETARCH\n",
                                    "export GOOS=$TARGETOS GOARCH=${TARGETARCH} && go build -o /out/web ."),
                         goContext("func main() {}\n"));
    CHECK(run.production.starts_with("FROM gcr.io/distroless/static-debian12:nonroot AS production\n"));
  }
  SECTION("$TARGETARCH never declared: the binary is for the build machine") {
    Run run = multiStage(crossBuild("", "GOARCH=$TARGETARCH go build -o /out/web ."),
                         goContext("func main() {}\n"));
    CHECK(run.after.find("production") == std::string::npos);
    CHECK(run.messages.starts_with("info: not split: the stage runs on $BUILDPLATFORM"));
  }
}

TEST_CASE("$TARGETPLATFORM and constant platforms stay on the production stage", "[multi-stage][platform]") {
  Run run = multiStage(
      "FROM --platform=$TARGETPLATFORM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/web .\n"
      "CMD [\"/out/web\"]\n",
      goContext("func main() {}\n"));
  CHECK(run.production.starts_with(
      "FROM --platform=$TARGETPLATFORM gcr.io/distroless/static-debian12:nonroot AS production\n"));
}
