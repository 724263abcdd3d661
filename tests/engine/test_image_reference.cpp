// Tests for splitting image references into registry, path, tag and digest.
#include <catch2/catch.hpp>

#include "engine/image_reference.h"

using dfopt::engine::parseImageReference;

TEST_CASE("an official image with a tag") {
  auto image = parseImageReference("python:3.11-slim");
  CHECK(image.registry.empty());
  CHECK(image.path == "python");
  CHECK(image.tag == "3.11-slim");
  CHECK(image.digest.empty());
  CHECK(image.officialName() == "python");
}

TEST_CASE("Docker Hub spellings of an official image") {
  CHECK(parseImageReference("library/node:20").officialName() == "node");
  CHECK(parseImageReference("docker.io/library/golang:1.22").officialName() == "golang");
  CHECK(parseImageReference("docker.io/node").officialName() == "node");
  CHECK(parseImageReference("bitnami/python:3.11").officialName().empty());
}

TEST_CASE("a registry with a port is not a tag") {
  auto image = parseImageReference("localhost:5000/team/app");
  CHECK(image.registry == "localhost:5000");
  CHECK(image.path == "team/app");
  CHECK(image.tag.empty());
  CHECK(image.officialName().empty());
}

TEST_CASE("a digest with or without a tag") {
  auto pinned = parseImageReference("python:3.11@sha256:abc");
  CHECK(pinned.tag == "3.11");
  CHECK(pinned.digest == "sha256:abc");
  auto bare = parseImageReference("gcr.io/distroless/static-debian12@sha256:def");
  CHECK(bare.registry == "gcr.io");
  CHECK(bare.path == "distroless/static-debian12");
  CHECK(bare.tag.empty());
  CHECK(bare.digest == "sha256:def");
}
