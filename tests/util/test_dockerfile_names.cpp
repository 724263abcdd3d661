// Which names a directory walk takes for Dockerfiles.
#include <catch2/catch.hpp>

#include <string>

#include "util/dockerfile_names.h"

using dfopt::text::isDockerfileName;

TEST_CASE("the plain names", "[walk][names]") {
  CHECK(isDockerfileName("Dockerfile"));
  CHECK(isDockerfileName("Containerfile"));
  CHECK(isDockerfileName("dockerfile"));           // docker build's fallback name
  CHECK_FALSE(isDockerfileName("dockerfile.go"));  // a Go source file, as in BuildKit's own tree
  CHECK_FALSE(isDockerfileName("Dockerfiles"));
  CHECK_FALSE(isDockerfileName("MyDockerfile"));
  CHECK_FALSE(isDockerfileName("docker-compose.yml"));
}

TEST_CASE("Dockerfile.* and Containerfile.*: variants", "[walk][names]") {
  for (const char* name : {"Dockerfile.dev", "Dockerfile.alpine", "Dockerfile.1809", "Containerfile.ubi",
                           "Dockerfile.prod.arm64"}) {
    INFO(name);
    CHECK(isDockerfileName(name));
  }
  CHECK_FALSE(isDockerfileName("Dockerfile."));
  CHECK_FALSE(isDockerfileName("Containerfile."));
}

TEST_CASE("*.Dockerfile and *.Containerfile, also with the lower-case extension", "[walk][names]") {
  for (const char* name : {"web.Dockerfile", "api.Containerfile", "web.dockerfile", "worker.containerfile"}) {
    INFO(name);
    CHECK(isDockerfileName(name));
  }
  CHECK_FALSE(isDockerfileName(".Dockerfile"));
  CHECK_FALSE(isDockerfileName(".dockerfile"));
}

TEST_CASE("a dash or an underscore joins the name as a dot does", "[walk][names]") {
  for (const char* name : {"Dockerfile-alpine", "Dockerfile_prod", "Containerfile-ubi", "prod-Dockerfile",
                           "api_Dockerfile", "src_api_Dockerfile.builder", "web-Containerfile"}) {
    INFO(name);
    CHECK(isDockerfileName(name));
  }
  for (const char* name : {"Dockerfile-", "_Dockerfile", "-Dockerfile", "MyDockerfile-dev", "Dockerfiles_old",
                           "Dockerfile-alpine.md", ".Dockerfile"}) {
    INFO(name);
    CHECK_FALSE(isDockerfileName(name));
  }
}

TEST_CASE("names that only look like Dockerfiles are left out", "[walk][names]") {
  for (const char* name :
       {"Dockerfile.md",       "Dockerfile.MD",      "Dockerfile.txt",          "Dockerfile.rst",
        "Dockerfile.adoc",     "Dockerfile.orig",    "Dockerfile.rej",          "Dockerfile.bak",
        "Dockerfile.swp",      "Dockerfile.swo",     "Dockerfile.tmp",          "Dockerfile.old",
        "Dockerfile~",         "Dockerfile.dev~",    "Dockerfile.dockerignore", "web.Dockerfile.dockerignore",
        "Dockerfile.template", "Dockerfile.tmpl",    "Dockerfile.tpl",          "Dockerfile.j2",
        "Dockerfile.jinja",    "Dockerfile.jinja2",  "Dockerfile.erb",          "Dockerfile.in",
        "Containerfile.in",    "web.Dockerfile.orig"}) {
    INFO(name);
    CHECK_FALSE(isDockerfileName(name));
  }
}

TEST_CASE("dfopt's own temporary files are not Dockerfiles", "[walk][names]") {
  // cli/files.cpp writes through ".<name>.dfopt-XXXXXX" next to the file.
  CHECK_FALSE(isDockerfileName(".Dockerfile.dfopt-a1B2c3"));
  CHECK_FALSE(isDockerfileName(".web.Dockerfile.dfopt-a1B2c3"));
}
