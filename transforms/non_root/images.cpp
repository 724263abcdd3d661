// Base images: which user tools they have, or which user they ship. An
// official image (or a per-architecture or ECR copy of one) is known by its
// bare name and the distribution its tag names; a few other registries'
// images by their namespace.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>

#include "engine/base_images.h"
#include "engine/image_reference.h"
#include "shell/script.h"
#include "transforms/non_root/non_root.h"
#include "util/text.h"

namespace dfopt::transforms::non_root {
namespace {

using text::contains;
using text::isOneOf;
using text::lower;

template <size_t N>
bool containsAny(std::string_view text, const std::array<std::string_view, N>& parts) {
  return std::any_of(parts.begin(), parts.end(), [&](std::string_view part) { return contains(text, part); });
}

// An image as this transform matches it: lower case, an official image
// (or a per-architecture or ECR copy of one) by its bare name, the
// registry kept for any other.
struct ImageName {
  std::string repository;  // "python", "gcr.io/distroless/static-debian12"
  std::string tag;         // "latest" when absent

  bool official() const { return !contains(repository, "/"); }
};

// Docker Hub's per-architecture copies of the official images (arm64v8/alpine).
constexpr std::array<std::string_view, 10> kArchitectureNamespaces = {
    "amd64", "arm32v5", "arm32v6", "arm32v7", "arm64v8", "i386", "mips64le", "ppc64le", "riscv64", "s390x"};

// "alpine" for arm64v8/alpine and public.ecr.aws/docker/library/alpine, "" otherwise.
std::string copiedOfficialName(const engine::ImageReference& image) {
  std::string_view path = image.path;
  if (image.registry == "public.ecr.aws" && path.starts_with("docker/library/")) {
    path.remove_prefix(15);
  } else if (image.registry.empty() || image.registry == "docker.io") {
    auto architecture =
        std::find_if(kArchitectureNamespaces.begin(), kArchitectureNamespaces.end(),
                     [&](std::string_view name) { return path.starts_with(std::string(name) + "/"); });
    if (architecture == kArchitectureNamespaces.end()) return "";
    path.remove_prefix(architecture->size() + 1);
  } else {
    return "";
  }
  return contains(path, "/") ? "" : std::string(path);
}

ImageName nameOf(std::string_view written) {
  engine::ImageReference image = engine::parseImageReference(lower(written));
  std::string tag = image.tag.empty() ? "latest" : image.tag;
  std::string official = image.officialName();
  if (official.empty()) official = copiedOfficialName(image);
  if (!official.empty()) return {official, tag};
  return {image.registry.empty() ? image.path : image.registry + "/" + image.path, tag};
}

BasePlan createWith(UserTools tools, std::string family) {
  return {BasePlan::Kind::CreateUser, tools, std::move(family), {}, {}};
}
BasePlan shippedUser(std::string user) { return {BasePlan::Kind::ShippedUser, {}, {}, std::move(user), {}}; }
BasePlan nonRootByDefault(std::string user) {
  return {BasePlan::Kind::NonRootByDefault, {}, {}, std::move(user), {}};
}
BasePlan unsupported(std::string reason) {
  return {BasePlan::Kind::Unsupported, {}, {}, {}, std::move(reason)};
}

// Official images by the distribution their default tags are built on.
constexpr std::array<std::string_view, 17> kDebianImages = {
    "debian", "python", "golang", "ruby",    "php",   "rust",   "perl", "buildpack-deps", "gcc",
    "pypy",   "erlang", "elixir", "haskell", "julia", "r-base", "dart", "clojure"};
constexpr std::array<std::string_view, 6> kUbuntuImages = {"ubuntu", "eclipse-temurin", "maven",
                                                           "gradle", "tomcat",          "swift"};
constexpr std::array<std::string_view, 5> kRhelImages = {"centos", "fedora", "rockylinux", "almalinux",
                                                         "oraclelinux"};
// Official images whose default tag's distribution varies: only a tag naming
// the distribution tells.
constexpr std::array<std::string_view, 2> kTaggedOnlyImages = {"openjdk", "amazoncorretto"};
// Servers whose entrypoint starts as root to drop privileges itself (gosu,
// a master process binding port 80): a USER would break them.
constexpr std::array<std::string_view, 7> kSelfDroppingServers = {"nginx",   "httpd", "postgres", "mysql",
                                                                  "mariadb", "redis", "mongo"};
constexpr std::array<std::string_view, 4> kDotnetImages = {"aspnet", "runtime", "runtime-deps", "sdk"};
// Namespaces of RHEL-family images outside Docker Hub's library.
constexpr std::array<std::string_view, 8> kRhelNamespaces = {"redhat/",
                                                             "registry.access.redhat.com/",
                                                             "registry.redhat.io/",
                                                             "quay.io/centos/",
                                                             "quay.io/fedora/",
                                                             "rockylinux/",
                                                             "almalinux/",
                                                             "oraclelinux/"};

constexpr std::array<std::string_view, 6> kDebianCodenames = {"jessie",   "stretch",  "buster",
                                                              "bullseye", "bookworm", "trixie"};
constexpr std::array<std::string_view, 10> kUbuntuCodenames = {
    "xenial", "bionic", "focal", "jammy", "noble", "oracular", "plucky", "questing", "resolute", "disco"};

BasePlan unknownImage(std::string_view written) {
  BasePlan plan = unsupported(fmt::format(
      "unknown base image {}: dfopt does not know how to create a user in it (a RUN using apk, apt-get, dnf "
      "or yum would tell its distribution)",
      written));
  plan.unknownImage = true;
  return plan;
}

// Amazon Linux and the minimal RHEL-family images (microdnf) come without shadow-utils.
BasePlan withoutUseradd(std::string_view written) {
  return unsupported(fmt::format(
      "{} has no useradd (shadow-utils); create the user yourself or set a numeric USER", written));
}

BasePlan rhelPlan(const ImageName& image, std::string_view written) {
  bool minimal =
      containsAny(image.repository + ":" + image.tag, std::array<std::string_view, 2>{"minimal", "micro"}) ||
      (image.repository == "oraclelinux" && contains(image.tag, "slim"));
  return minimal ? withoutUseradd(written) : createWith(UserTools::Shadow, "RHEL-family");
}

// The distribution a tag names (python:3.12-alpine, golang:1.22-bookworm).
std::optional<BasePlan> planFromTag(const ImageName& image, std::string_view written) {
  const std::string& tag = image.tag;
  if (contains(tag, "alpine")) return createWith(UserTools::BusyBox, "Alpine");
  if (contains(tag, "ubi")) return rhelPlan(image, written);
  // openjdk:*-oracle is built on oraclelinux's slim image, amazoncorretto on Amazon Linux.
  if (contains(tag, "oracle") || contains(tag, "corretto") || contains(tag, "al2"))
    return withoutUseradd(written);
  if (containsAny(tag, kDebianCodenames) || contains(tag, "slim"))
    return createWith(UserTools::Shadow, "Debian");
  if (containsAny(tag, kUbuntuCodenames)) return createWith(UserTools::Shadow, "Ubuntu");
  return std::nullopt;
}

BasePlan planForOfficialImage(const ImageName& image, std::string_view written) {
  const std::string& name = image.repository;
  if (name == "scratch") return {BasePlan::Kind::NumericUser, {}, {}, {}, {}};
  if (name == "node") return shippedUser("node");
  if (isOneOf(name, kSelfDroppingServers) || (name == "php" && contains(image.tag, "apache"))) {
    return unsupported(
        fmt::format("{} starts as root and drops privileges itself; a USER would break it", written));
  }
  if (name == "alpine") return createWith(UserTools::BusyBox, "Alpine");
  if (name == "busybox") return createWith(UserTools::BusyBox, "BusyBox");
  if (name == "amazonlinux") return withoutUseradd(written);
  if (isOneOf(name, kRhelImages)) return rhelPlan(image, written);
  bool known =
      isOneOf(name, kDebianImages) || isOneOf(name, kUbuntuImages) || isOneOf(name, kTaggedOnlyImages);
  if (!known) {
    // An official image dfopt does not know is most often an application
    // (rabbitmq, redmine, docker) whose own entrypoint may need root, so
    // the file's package manager does not settle it.
    return unsupported(fmt::format(
        "unknown base image {}: an official image dfopt does not know, whose own entrypoint may need root",
        written));
  }
  if (auto plan = planFromTag(image, written)) return *plan;
  if (isOneOf(name, kDebianImages)) return createWith(UserTools::Shadow, "Debian");
  if (isOneOf(name, kUbuntuImages)) return createWith(UserTools::Shadow, "Ubuntu");
  if (name == "amazoncorretto") return withoutUseradd(written);
  return unsupported(
      fmt::format("the distribution under {} depends on its version; name it in the tag "
                  "(for example -slim or -alpine)",
                  written));
}

bool isWindows(const ImageName& image) {
  std::string text = image.repository + ":" + image.tag;
  return containsAny(text, std::array<std::string_view, 3>{"windows", "nanoserver", "servercore"});
}

// .NET 8 and later images ship the user "app" (uid 1654); the older ones
// are plain Debian (or the distribution their tag names).
BasePlan dotnetPlan(const ImageName& image, std::string_view written) {
  // A tag without a version ("latest") is a current one.
  size_t digits = 0;
  while (digits < image.tag.size() && digits < 3 &&
         std::isdigit(static_cast<unsigned char>(image.tag[digits]))) {
    ++digits;
  }
  if (digits == 0 || std::stoi(image.tag.substr(0, digits)) >= 8) return shippedUser("app");
  if (contains(image.tag, "chiseled")) {
    return unsupported(fmt::format("{} has no shell and, before .NET 8, no unprivileged user", written));
  }
  if (auto plan = planFromTag(image, written)) return *plan;
  return createWith(UserTools::Shadow, "Debian");
}

// The package managers the RUNs of the lineage call, and whether they install shadow-utils.
struct PackageTools {
  bool apk = false, apt = false, dnf = false, microdnf = false, shadow = false;
};

PackageTools packageTools(const Dockerfile& file, const std::vector<const Stage*>& chain) {
  PackageTools tools;
  for (const Stage* stage : chain) {
    for (size_t i = stage->from + 1; i < stage->end; ++i) {
      const Instruction& run = file.instructions[i];
      if (!run.is("run") || run.jsonForm) continue;
      std::shared_ptr<const shell::Script> script = shell::parseScriptShared(run.argumentsText());
      for (const shell::Command& command : script->commands) {
        std::string path = command.name();  // baseName views it: it must outlive `name`
        std::string_view name = text::baseName(path);
        tools.apk |= name == "apk";
        tools.apt |= name == "apt-get" || name == "apt";
        tools.dnf |= name == "dnf" || name == "yum";
        tools.microdnf |= name == "microdnf";
        tools.shadow |= std::any_of(command.words.begin(), command.words.end(),
                                    [](const shell::Word& word) { return word.value == "shadow-utils"; });
      }
    }
  }
  return tools;
}

}  // namespace

BasePlan planFromCommands(const BasePlan& plan, const Dockerfile& file,
                          const std::vector<const Stage*>& chain, std::string_view written) {
  if (!plan.unknownImage) return plan;
  PackageTools tools = packageTools(file, chain);
  if (tools.apk) return createWith(UserTools::BusyBox, "Alpine (apk)");
  if (tools.apt) return createWith(UserTools::Shadow, "Debian (apt-get)");
  if (tools.dnf) return createWith(UserTools::Shadow, "RHEL-family (dnf/yum)");
  if (tools.microdnf) {
    if (tools.shadow) return createWith(UserTools::Shadow, "RHEL-family (microdnf, with shadow-utils)");
    return unsupported(fmt::format(
        "{} installs with microdnf, a minimal RHEL-family image without useradd (shadow-utils); install "
        "shadow-utils and create the user yourself, or set a numeric USER",
        written));
  }
  return plan;
}

namespace {

// The plan for `imageText`, named `written` in messages.
BasePlan planForImage(std::string_view imageText, std::string_view written) {
  ImageName image = nameOf(imageText);
  const std::string& repository = image.repository;
  if (isWindows(image)) return unsupported(fmt::format("{} is a Windows image", written));
  if (image.official()) return planForOfficialImage(image, written);
  for (std::string_view dotnet : {"mcr.microsoft.com/dotnet/", "mcr.microsoft.com/dotnet/core/"}) {
    std::string_view name = std::string_view(repository).substr(std::min(repository.size(), dotnet.size()));
    if (repository.starts_with(dotnet) && isOneOf(name, kDotnetImages)) return dotnetPlan(image, written);
  }
  if (repository.starts_with("gcr.io/distroless/")) {
    // distroless: no shell, but a "nonroot" user (uid 65532) that :nonroot tags already run as.
    return contains(image.tag, "nonroot") ? nonRootByDefault("nonroot") : shippedUser("nonroot");
  }
  if (repository.starts_with("cgr.dev/chainguard/")) return nonRootByDefault("nonroot");
  if (repository == "nginxinc/nginx-unprivileged") return nonRootByDefault("101");
  if (repository.ends_with("/amazonlinux")) return withoutUseradd(written);
  if (repository.starts_with("mcr.microsoft.com/devcontainers/") ||
      repository.starts_with("mcr.microsoft.com/vscode/devcontainers/")) {
    return unsupported(
        fmt::format("{} is a dev container image: devcontainer.json chooses the user (remoteUser)", written));
  }
  if (std::any_of(kRhelNamespaces.begin(), kRhelNamespaces.end(),
                  [&](std::string_view prefix) { return repository.starts_with(prefix); })) {
    return rhelPlan(image, written);
  }
  return unknownImage(written);
}

// A distribution named in the configuration: its tools create the user.
BasePlan planForFamily(std::string_view family) {
  if (family == "alpine") return createWith(UserTools::BusyBox, "Alpine");
  if (family == "busybox") return createWith(UserTools::BusyBox, "BusyBox");
  if (family == "ubuntu") return createWith(UserTools::Shadow, "Ubuntu");
  if (family == "rhel") return createWith(UserTools::Shadow, "RHEL-family");
  return createWith(UserTools::Shadow, "Debian");
}

}  // namespace

BasePlan planFor(std::string_view written) { return planForImage(written, written); }

BasePlan planFor(std::string_view written, const engine::BaseImages& known) {
  const engine::BaseImageFacts* facts = engine::baseImageFacts(known, written);
  if (facts == nullptr) return planFor(written);
  BasePlan plan = facts->like.empty() ? unknownImage(written)
                                      : planForImage(facts->like, engine::describeImage(known, written));
  // `family` says which tools create a user; what the like image ships or refuses stays.
  bool toolsDecide = plan.kind == BasePlan::Kind::CreateUser || plan.unknownImage;
  if (!facts->family.empty() && toolsDecide) return planForFamily(facts->family);
  return plan;
}

}  // namespace dfopt::transforms::non_root
