#pragma once
// `--pin-digests`: asks the local builder which digest each base image has,
// before the pipeline runs, so that the transforms stay pure.
#include <map>
#include <string>
#include <vector>

namespace dfopt::cli {

// image (as FROM names it) -> "sha256:...", for the images the builder can
// resolve: `docker image inspect` or `podman image inspect` (the digest the
// local image was pulled by), else `docker buildx imagetools inspect` (the
// registry's index, every platform). Images nobody resolves are left out.
std::map<std::string, std::string, std::less<>> resolveImageDigests(const std::vector<std::string>& images);

// The digest of `image` among `docker image inspect`'s RepoDigests (a JSON
// list of "repository@sha256:..."): the entry of the same repository, with
// Docker Hub's short and long names taken as one.
std::string digestFromRepoDigests(const std::string& image, const std::string& json);

}  // namespace dfopt::cli
