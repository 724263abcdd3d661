#include "engine/base_images.h"

#include <array>

#include <fmt/format.h>

#include "engine/image_reference.h"
#include "util/text.h"

namespace dfopt::engine {
namespace {

constexpr std::array<std::string_view, 5> kImageFamilies = {"debian", "ubuntu", "alpine", "busybox", "rhel"};

// `registry/path` without the tag and digest.
std::string repositoryOf(std::string_view image) {
  ImageReference reference = parseImageReference(image);
  return reference.registry.empty() ? reference.path : reference.registry + "/" + reference.path;
}

}  // namespace

bool isImageFamily(std::string_view family) { return text::isOneOf(family, kImageFamilies); }

std::string imageFamilies() { return fmt::format("{}", fmt::join(kImageFamilies, ", ")); }

const BaseImageFacts* baseImageFacts(const BaseImages& images, std::string_view image) {
  if (images.empty()) return nullptr;
  if (auto exact = images.find(image); exact != images.end()) return &exact->second;
  std::string repository = repositoryOf(image);
  if (repository == image) return nullptr;
  auto bare = images.find(repository);
  return bare == images.end() ? nullptr : &bare->second;
}

std::string imageLike(const BaseImages& images, std::string_view image) {
  const BaseImageFacts* facts = baseImageFacts(images, image);
  return facts && !facts->like.empty() ? facts->like : std::string(image);
}

std::string describeImage(const BaseImages& images, std::string_view image) {
  std::string like = imageLike(images, image);
  return like == image ? like : fmt::format("{} (like {})", image, like);
}

}  // namespace dfopt::engine
