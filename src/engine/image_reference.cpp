#include "engine/image_reference.h"

namespace dfopt::engine {

ImageReference parseImageReference(std::string_view text) {
  ImageReference image;
  if (size_t at = text.find('@'); at != std::string_view::npos) {
    image.digest = std::string(text.substr(at + 1));
    text = text.substr(0, at);
  }
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    std::string_view first = text.substr(0, slash);
    if (first.find_first_of(".:") != std::string_view::npos || first == "localhost") {
      image.registry = std::string(first);
      text = text.substr(slash + 1);
    }
  }
  // a ':' after the last '/' starts the tag (one before it belongs to a registry port)
  size_t colon = text.rfind(':');
  if (colon != std::string_view::npos && text.find('/', colon) == std::string_view::npos) {
    image.tag = std::string(text.substr(colon + 1));
    text = text.substr(0, colon);
  }
  image.path = std::string(text);
  return image;
}

std::string ImageReference::officialName() const {
  bool dockerHub = registry.empty() || registry == "docker.io" || registry == "index.docker.io" ||
                   registry == "registry-1.docker.io";
  if (!dockerHub) return "";
  std::string_view name = path;
  if (name.starts_with("library/")) name.remove_prefix(8);
  if (name.find('/') != std::string_view::npos) return "";
  return std::string(name);
}

}  // namespace dfopt::engine
