#pragma once
// containerd/platforms' Parse, as BuildKit uses it on `FROM --platform`,
// on a linux/amd64 builder (a lone OS gets amd64, a lone architecture linux).
#include <optional>
#include <string>
#include <string_view>

namespace dfopt::transforms::buildkit {

struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;
};

// The platform, normalised ("x86_64" -> amd64, "aarch64" -> arm64), or
// nothing where Parse fails.
std::optional<Platform> parsePlatform(std::string_view specifier);

}  // namespace dfopt::transforms::buildkit
