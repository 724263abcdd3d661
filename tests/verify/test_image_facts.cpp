// What verify reads from a builder's answers about an image.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "verify/image_facts.h"

using namespace dfopt::verify;

namespace {

// One tar member: a 512-byte header (name, octal size, type) and the content
// padded to 512 bytes.
std::string tarMember(const std::string& name, const std::string& content, char type = '0') {
  std::string header(512, '\0');
  header.replace(0, name.size(), name);
  std::string size = fmt::format("{:011o}", content.size());
  header.replace(124, size.size(), size);
  header[156] = type;
  std::string padding((512 - content.size() % 512) % 512, '\0');
  return header + content + padding;
}

}  // namespace

TEST_CASE("sizes as buildah prints them", "[verify]") {
  CHECK(parseHumanSize("245 MB") == Approx(245e6));
  CHECK(parseHumanSize("1.2GB") == Approx(1.2e9));
  CHECK(parseHumanSize("512kB") == Approx(512e3));
  CHECK(parseHumanSize("4.33 KB") == Approx(4330));
  CHECK(parseHumanSize(" 12 B ") == Approx(12));
  CHECK_FALSE(parseHumanSize("12 MiB"));
  CHECK_FALSE(parseHumanSize("about 3 MB"));
  CHECK_FALSE(parseHumanSize(""));
  CHECK_FALSE(parseHumanSize(". MB"));
}

TEST_CASE("the user USER names", "[verify]") {
  FinalUser none = userOf("");
  CHECK(none.name == "root");
  CHECK(none.uid == 0);
  CHECK(none.root());

  FinalUser uid = userOf("10001:10001");
  CHECK(uid.name == "10001");
  CHECK(uid.uid == 10001);
  CHECK_FALSE(uid.root());

  CHECK(userOf("root:root").uid == 0);

  FinalUser name = userOf("node");
  CHECK(name.name == "node");
  CHECK_FALSE(name.uid);
  CHECK_FALSE(name.root());
}

TEST_CASE("a user's uid in /etc/passwd", "[verify]") {
  const std::string passwd =
      "root:x:0:0:root:/root:/bin/bash\n"
      "appuser:x:10000:10000::/home/appuser:/bin/sh\n";
  CHECK(uidInPasswd(passwd, "appuser") == 10000);
  CHECK(uidInPasswd(passwd, "root") == 0);
  CHECK_FALSE(uidInPasswd(passwd, "node"));
  CHECK_FALSE(uidInPasswd("", "node"));
}

TEST_CASE("the first file of a tar stream", "[verify]") {
  std::string passwd = "root:x:0:0:root:/root:/bin/bash\n";
  CHECK(firstFileOfTar(tarMember("passwd", passwd) + std::string(1024, '\0')) == passwd);
  CHECK(firstFileOfTar(tarMember("etc", "", '5') + tarMember("etc/passwd", passwd)) == passwd);
  CHECK_FALSE(firstFileOfTar(std::string(1024, '\0')));
  CHECK_FALSE(firstFileOfTar("not a tar"));
}

TEST_CASE("image facts from docker's and podman's image inspect", "[verify]") {
  ImageFacts docker = factsFromImageInspect(R"([{"Id": "sha256:1f", "Size": 1000000000,
      "RootFS": {"Type": "layers", "Layers": ["sha256:a", "sha256:b"]}, "Config": {"User": "appuser", "Env": []}}])");
  CHECK(docker.size == Approx(1e9));
  CHECK(docker.layers == 2);
  CHECK(docker.user == "appuser");

  // podman leaves out an empty User
  ImageFacts podman = factsFromImageInspect(
      R"([{"Size": 4083, "RootFS": {"Type": "layers", "Layers": ["sha256:46"]}, "Config": {"Env": []}}])");
  CHECK(podman.size == Approx(4083));
  CHECK(podman.layers == 1);
  CHECK(podman.user.empty());

  ImageFacts noLayers = factsFromImageInspect(R"([{"Size": 0, "RootFS": {"Type": "layers"}, "Config": {}}])");
  CHECK(noLayers.layers == 0);
}

TEST_CASE("image inspect output that says nothing", "[verify]") {
  for (const char* output : {"", "Error: no such image", "[]", "{}", R"([{"Id": "sha256:1f"}])"}) {
    INFO(output);
    ImageFacts facts = factsFromImageInspect(output);
    CHECK_FALSE(facts.size);
    CHECK_FALSE(facts.layers);
    CHECK(facts.user.empty());
  }
}

TEST_CASE("image facts from buildah inspect", "[verify]") {
  ImageFacts facts = factsFromBuildahInspect(R"({"Type": "buildah 0.0.1", "FromImage": "localhost/app:after",
      "Docker": {"config": {"Hostname": "fcc9", "User": "1000:1000"},
                 "rootfs": {"type": "layers", "diff_ids": ["sha256:7a", "sha256:8b", "sha256:9c"]}}})");
  CHECK(facts.layers == 3);
  CHECK(facts.user == "1000:1000");
  CHECK_FALSE(facts.size);

  ImageFacts empty = factsFromBuildahInspect("not json");
  CHECK_FALSE(empty.layers);
  CHECK(empty.user.empty());
}
