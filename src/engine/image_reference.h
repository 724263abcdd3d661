#pragma once
// A container image reference (`[registry/]path[:tag][@digest]`) split into
// its parts, so transforms can tell official images and their tags apart.
#include <string>
#include <string_view>

namespace dfopt::engine {

struct ImageReference {
  std::string registry;  // "" for Docker Hub
  std::string path;      // "python", "library/python", "distroless/static-debian12"
  std::string tag;       // "" when absent
  std::string digest;    // "sha256:..." or ""

  // The name of a Docker Hub official image ("python" for `python`,
  // `library/python` and `docker.io/library/python`), or "" for any other.
  std::string officialName() const;
};

// Splits an image reference as written in FROM (no variables expanded);
// the registry is the first path element when it holds '.' or ':' or is
// "localhost", as Docker decides.
ImageReference parseImageReference(std::string_view text);

}  // namespace dfopt::engine
