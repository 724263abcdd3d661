#pragma once
// What verify learns about a built image from the builder's answers: its
// size, its layers and the user it runs as.
#include <optional>
#include <string>
#include <vector>

namespace dfopt::verify {

struct ImageFacts {
  std::optional<double> size;  // bytes
  std::optional<int> layers;
  std::string user;                       // the image's USER, as written ("" is root)
  std::vector<std::string> exposedPorts;  // its ExposedPorts: "5000/tcp"
};

// docker and podman: `image inspect IMAGE`, a JSON array of one image
// (Size, RootFS.Layers, Config.User). Unknown facts stay unset.
ImageFacts factsFromImageInspect(const std::string& json);
// buildah: `inspect --type image IMAGE`, a JSON object whose Docker member is
// the image's config (rootfs.diff_ids, config.User). It has no size.
ImageFacts factsFromBuildahInspect(const std::string& json);

// "245 MB", "1.2GB", "512kB" (go-units' decimal sizes, as buildah prints).
std::optional<double> parseHumanSize(const std::string& text);

struct FinalUser {
  std::string name;         // as the image says, or "root"
  std::optional<long> uid;  // resolved
  bool root() const { return uid ? *uid == 0 : name == "root"; }
};

// The user an image's USER names ("name", "uid" or either with ":group").
// The uid is known when USER gives a number or root, or is empty; a name
// needs the image's /etc/passwd (uidInPasswd).
FinalUser userOf(const std::string& user);

// The uid /etc/passwd gives `name`, if it lists it.
std::optional<long> uidInPasswd(const std::string& passwd, const std::string& name);

// The first regular file of a tar stream (docker/podman cp ... -).
std::optional<std::string> firstFileOfTar(const std::string& tar);

}  // namespace dfopt::verify
