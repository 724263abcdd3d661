#include "transforms/buildkit/platform.h"

#include <re2/re2.h>

#include <vector>

#include "util/text.h"

namespace dfopt::transforms::buildkit {
namespace {

bool isKnownOS(std::string_view os) {
  return text::isOneOf(
      os, {"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux",
           "nacl", "netbsd", "openbsd", "plan9", "solaris", "windows", "zos"});
}

bool isKnownArch(std::string_view arch) {
  return text::isOneOf(
      arch, {"386",     "amd64",   "amd64p32", "arm",    "armbe",  "arm64",    "arm64be",   "ppc64",
             "ppc64le", "loong64", "mips",     "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le",
             "ppc",     "riscv",   "riscv64",  "s390",   "s390x",  "sparc",    "sparc64",   "wasm"});
}

std::string normalizeOS(std::string_view os) {
  if (os.empty()) return "linux";
  std::string lower = text::lower(os);
  return lower == "macos" ? "darwin" : lower;
}

void normalizeArch(Platform& p, std::string_view arch, std::string_view variant) {
  p.architecture = text::lower(arch);
  p.variant = text::lower(variant);
  const std::string& a = p.architecture;
  if (a == "i386") {
    p.architecture = "386";
    p.variant = "";
  } else if (a == "x86_64" || a == "x86-64" || a == "amd64") {
    p.architecture = "amd64";
    if (p.variant == "v1") p.variant = "";
  } else if (a == "aarch64" || a == "arm64") {
    p.architecture = "arm64";
    if (text::isOneOf(p.variant, {"8", "v8", "v8.0"})) p.variant = "";
    if (text::isOneOf(p.variant, {"9", "9.0", "v9.0"})) p.variant = "v9";
  } else if (a == "armhf") {
    p.architecture = "arm";
    p.variant = "v7";
  } else if (a == "armel") {
    p.architecture = "arm";
    p.variant = "v6";
  } else if (a == "arm") {
    if (p.variant.empty() || p.variant == "7") p.variant = "v7";
    if (text::isOneOf(p.variant, {"5", "6", "8"})) p.variant = "v" + p.variant;
  }
}

std::vector<std::string_view> splitN4(std::string_view text) {
  std::vector<std::string_view> parts;
  while (parts.size() < 3) {
    size_t slash = text.find('/');
    if (slash == std::string_view::npos) break;
    parts.push_back(text.substr(0, slash));
    text.remove_prefix(slash + 1);
  }
  parts.push_back(text);
  return parts;
}

}  // namespace

std::optional<Platform> parsePlatform(std::string_view specifier) {
  static const RE2 osPattern(R"(^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$)");
  static const RE2 componentPattern(R"(^[A-Za-z0-9_.-]+$)");
  if (text::contains(specifier, "*")) return std::nullopt;
  std::vector<std::string_view> parts = splitN4(specifier);
  Platform p;
  std::string os;
  if (!RE2::FullMatch(std::string(parts[0]), osPattern, &os)) return std::nullopt;
  p.os = normalizeOS(os);
  for (size_t i = 1; i < parts.size(); ++i) {
    if (!RE2::FullMatch(std::string(parts[i]), componentPattern)) return std::nullopt;
  }
  switch (parts.size()) {
    case 1:
      if (isKnownOS(p.os)) {
        p.architecture = "amd64";
        return p;
      }
      normalizeArch(p, parts[0], "");
      if (p.architecture == "arm" && p.variant == "v7") p.variant = "";
      if (!isKnownArch(p.architecture)) return std::nullopt;
      p.os = "linux";
      return p;
    case 2:
      normalizeArch(p, parts[1], "");
      if (p.architecture == "arm" && p.variant == "v7") p.variant = "";
      return p;
    case 3:
      normalizeArch(p, parts[1], parts[2]);
      if (p.architecture == "arm64" && p.variant.empty()) p.variant = "v8";
      return p;
    default:
      return std::nullopt;
  }
}

}  // namespace dfopt::transforms::buildkit
