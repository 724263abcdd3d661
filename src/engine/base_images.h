#pragma once
// What the configuration (`base-images:` in .dfopt.yaml) says about a
// team's own base images: the public image each behaves like, and the
// distribution whose tools create users in it. Transforms classify a base
// image through these, so `FROM my-poetry:devel` is treated as the python
// image it is like.
#include <map>
#include <string>
#include <string_view>

namespace dfopt::engine {

struct BaseImageFacts {
  std::string like;    // the image it behaves as ("python:3.10"); empty: itself
  std::string family;  // one of kImageFamilies; empty: the like image's
};

// image as written in the configuration -> facts
using BaseImages = std::map<std::string, BaseImageFacts, std::less<>>;

// The distributions `family` may name: debian, ubuntu, alpine, busybox, rhel.
bool isImageFamily(std::string_view family);
std::string imageFamilies();  // "debian, ubuntu, alpine, busybox, rhel", for messages

// The facts for the image FROM names (variables expanded): the entry naming
// it exactly, else the entry naming its repository without a tag or digest
// (`my-poetry` covers `my-poetry:devel`). Nothing when no entry does.
const BaseImageFacts* baseImageFacts(const BaseImages& images, std::string_view image);

// The image `image` behaves as: its entry's `like`, else itself.
std::string imageLike(const BaseImages& images, std::string_view image);

// `image`, or `image (like python:3.10)` when an entry maps it, for messages.
std::string describeImage(const BaseImages& images, std::string_view image);

}  // namespace dfopt::engine
