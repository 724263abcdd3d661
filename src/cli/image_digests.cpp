#include "cli/image_digests.h"

#include "cli/process.h"
#include "engine/image_reference.h"
#include "engine/manifests.h"
#include "util/text.h"

namespace dfopt::cli {
namespace {

// "python", "library/python" and "docker.io/library/python" are one repository.
std::string repositoryKey(std::string_view reference) {
  engine::ImageReference image = engine::parseImageReference(reference);
  std::string official = image.officialName();
  if (!official.empty()) return "docker.io/library/" + official;
  std::string registry =
      image.registry.empty() || image.registry == "index.docker.io" ? "docker.io" : image.registry;
  return text::lower(registry) + "/" + image.path;
}

bool isDigest(std::string_view text) { return text.starts_with("sha256:") && text.size() == 71; }

std::string askInspect(const std::string& program, const std::string& image) {
  auto path = findOnPath(program);
  if (!path) return "";
  ProcessResult result = runProcess({*path, "image", "inspect", "--format", "{{json .RepoDigests}}", image});
  if (!result.ok()) return "";
  return digestFromRepoDigests(image, result.output);
}

std::string askRegistry(const std::string& image) {
  auto docker = findOnPath("docker");
  if (!docker) return "";
  ProcessResult result =
      runProcess({*docker, "buildx", "imagetools", "inspect", image, "--format", "{{json .Manifest}}"});
  if (!result.ok()) return "";
  auto manifest = engine::parseJson(result.output);
  if (!manifest || !manifest->is_object() || !manifest->contains("digest")) return "";
  const auto& digest = (*manifest)["digest"];
  return digest.is_string() && isDigest(digest.get<std::string>()) ? digest.get<std::string>() : "";
}

}  // namespace

std::string digestFromRepoDigests(const std::string& image, const std::string& json) {
  auto list = engine::parseJson(json);
  if (!list || !list->is_array()) return "";
  std::string wanted = repositoryKey(image);
  for (const auto& entry : *list) {
    if (!entry.is_string()) continue;
    std::string text = entry.get<std::string>();
    size_t at = text.find('@');
    if (at == std::string::npos || !isDigest(text.substr(at + 1))) continue;
    if (repositoryKey(text.substr(0, at)) == wanted) return text.substr(at + 1);
  }
  return "";
}

std::map<std::string, std::string, std::less<>> resolveImageDigests(const std::vector<std::string>& images) {
  std::map<std::string, std::string, std::less<>> digests;
  for (const std::string& image : images) {
    std::string digest = askInspect("docker", image);
    if (digest.empty()) digest = askInspect("podman", image);
    if (digest.empty()) digest = askRegistry(image);
    if (!digest.empty()) digests[image] = digest;
  }
  return digests;
}

}  // namespace dfopt::cli
