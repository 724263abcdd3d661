#pragma once
// The container builders verify runs (docker, podman, buildah): choosing
// one, the argument lists of their commands, and what they say about images.
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "verify/image_facts.h"

namespace dfopt::cli {

enum class BuilderKind { kDocker, kPodman, kBuildah };

struct Builder {
  BuilderKind kind;
  std::string name;     // docker, podman, buildah
  std::string program;  // its path
};

// `wanted` is auto (docker when its daemon answers, then podman, then
// buildah) or a builder's name. Prints why and returns nothing when none can
// be used.
std::optional<Builder> chooseBuilder(const std::string& wanted);

// Builds `context` with `dockerfile` into the image `tag`; podman and buildah
// with Docker's layer cache and image format.
std::vector<std::string> buildCommand(const Builder& builder, const std::filesystem::path& dockerfile,
                                      const std::string& tag, const std::filesystem::path& context);

// Size, layers and USER of a built image; what the builder cannot tell stays unknown.
verify::ImageFacts inspectImage(const Builder& builder, const std::string& tag);

// The final user of an image whose USER is `user`; a user name is looked up
// in the image's /etc/passwd.
verify::FinalUser resolveUser(const Builder& builder, const std::string& tag, const std::string& user);

// Removes the images this run made when it goes out of scope: its tags, and
// the intermediate images that appeared in the store while it ran and carry
// no name.
class ImageJanitor {
 public:
  explicit ImageJanitor(const Builder& builder);
  ~ImageJanitor();
  ImageJanitor(const ImageJanitor&) = delete;
  ImageJanitor& operator=(const ImageJanitor&) = delete;
  void track(const std::string& tag) { tags_.push_back(tag); }

 private:
  const Builder& builder_;
  std::set<std::string> before_;  // image ids in the store at the start
  std::vector<std::string> tags_;
};

}  // namespace dfopt::cli
