// The images: which language the base image is for, and the lean image of
// the same language and version the production stage runs on.
#include <array>
#include <regex>

#include <fmt/format.h>

#include "model/variables.h"
#include "transforms/multi_stage/job.h"

namespace dfopt::transforms::multi_stage {
namespace {

using text::contains;
using text::isOneOf;

std::optional<Family> familyOf(std::string_view officialName) {
  if (officialName == "python") return Family::Python;
  if (officialName == "node") return Family::Node;
  if (officialName == "golang") return Family::Go;
  if (officialName == "rust") return Family::Rust;
  if (isOneOf(officialName,
              std::array<std::string_view, 4>{"maven", "gradle", "eclipse-temurin", "openjdk"})) {
    return Family::Java;
  }
  return std::nullopt;
}

constexpr std::string_view kDebianCodenames[] = {"trixie", "bookworm", "bullseye", "buster", "stretch"};
constexpr std::string_view kUbuntuCodenames[] = {"noble", "jammy", "focal"};

std::vector<std::string> tagParts(std::string_view tag) {
  std::vector<std::string> parts;
  size_t at = 0;
  while (at <= tag.size()) {
    size_t dash = tag.find('-', at);
    if (dash == std::string_view::npos) dash = tag.size();
    parts.emplace_back(tag.substr(at, dash - at));
    at = dash + 1;
  }
  return parts;
}

std::string withTag(const engine::ImageReference& image, std::string_view tag) {
  return fmt::format("{}{}:{}", image.registry.empty() ? "" : image.registry + "/", image.path, tag);
}

bool isLeanTag(std::string_view tag) { return contains(tag, "slim") || contains(tag, "alpine"); }

// python:3.11 -> python:3.11-slim, python:3.11-bookworm -> python:3.11-slim-bookworm
std::optional<std::string> pythonRuntime(const engine::ImageReference& image) {
  const std::string& tag = image.tag;
  if (tag.empty() || tag == "latest") return withTag(image, "slim");
  if (isLeanTag(tag)) return withTag(image, tag);
  std::vector<std::string> parts = tagParts(tag);
  if (parts.size() == 2 && isOneOf(parts[1], kDebianCodenames))
    return withTag(image, parts[0] + "-slim-" + parts[1]);
  if (parts.size() == 1) return withTag(image, tag + "-slim");
  return std::nullopt;
}

// node:20 -> node:20-slim, node:20-bookworm -> node:20-bookworm-slim
std::optional<std::string> nodeRuntime(const engine::ImageReference& image) {
  const std::string& tag = image.tag;
  if (tag.empty() || tag == "latest") return withTag(image, "slim");
  if (isLeanTag(tag)) return withTag(image, tag);
  std::vector<std::string> parts = tagParts(tag);
  if (parts.size() == 1 || (parts.size() == 2 && isOneOf(parts[1], kDebianCodenames)))
    return withTag(image, tag + "-slim");
  return std::nullopt;
}

// The Java feature release a JDK image's tag names: maven:3.9-eclipse-temurin-17, gradle:8-jdk17,
// eclipse-temurin:21-jdk, openjdk:17.
std::optional<std::string> javaVersion(std::string_view officialName, std::string_view tag) {
  static const std::regex leading("^([0-9]+)");
  static const std::regex named("(?:temurin|openjdk|jdk|corretto|sapmachine|semeru)-?([0-9]+)");
  std::smatch match;
  std::string text(tag);
  if ((officialName == "eclipse-temurin" || officialName == "openjdk") &&
      std::regex_search(text, match, leading)) {
    return match[1].str();
  }
  if (std::regex_search(text, match, named)) return match[1].str();
  return std::nullopt;
}

std::optional<std::string> javaRuntime(const engine::ImageReference& image) {
  auto version = javaVersion(image.officialName(), image.tag);
  if (!version) return std::nullopt;
  std::string variant;
  if (contains(image.tag, "alpine")) variant = "-alpine";
  for (std::string_view codename : kUbuntuCodenames) {
    if (contains(image.tag, codename)) variant = "-" + std::string(codename);
  }
  return fmt::format("eclipse-temurin:{}-jre{}", *version, variant);
}

// rust:1.77-bookworm -> debian:bookworm-slim; rust:1.77-alpine3.19 -> alpine:3.19
std::optional<std::string> rustRuntime(const engine::ImageReference& image) {
  for (std::string_view codename : kDebianCodenames) {
    if (contains(image.tag, codename)) return fmt::format("debian:{}-slim", codename);
  }
  static const std::regex alpine("alpine([0-9]+\\.[0-9]+)");
  std::smatch match;
  if (std::regex_search(image.tag, match, alpine)) return "alpine:" + match[1].str();
  if (contains(image.tag, "alpine")) return "alpine:3";
  return "debian:bookworm-slim";
}

std::optional<std::string> runtimeFor(Family family, std::string_view imageText) {
  engine::ImageReference image = engine::parseImageReference(imageText);
  if (contains(image.tag, "windowsservercore") || contains(image.tag, "nanoserver")) return std::nullopt;
  switch (family) {
    case Family::Python:
      return pythonRuntime(image);
    case Family::Node:
      return nodeRuntime(image);
    case Family::Go:
      return "gcr.io/distroless/static-debian12:nonroot";
    case Family::Java:
      return javaRuntime(image);
    case Family::Rust:
      return rustRuntime(image);
  }
  return std::nullopt;
}

}  // namespace

Family familyOf(Tool tool) {
  switch (tool) {
    case Tool::Pip:
    case Tool::Poetry:
      return Family::Python;
    case Tool::Npm:
    case Tool::Yarn:
    case Tool::Pnpm:
      return Family::Node;
    case Tool::Go:
      return Family::Go;
    case Tool::Cargo:
      return Family::Rust;
    default:
      return Family::Java;
  }
}

BaseImage baseImageOf(const Dockerfile& file, const model::Stage& stage, const engine::BaseImages& known) {
  uint32_t at = offsetOf(file, stage.from);
  BaseImage base;
  base.written = stage.baseImage;
  base.expanded = base.written;
  if (model::hasVariable(base.written)) {
    auto expanded = model::expandVariables(base.written, model::variablesBefore(file, stage.from));
    if (!expanded)
      notSplit(at, fmt::format("the base image {} uses a variable with no known value", base.written));
    base.expanded = *expanded;
  }
  base.like = engine::imageLike(known, base.expanded);
  base.image = engine::parseImageReference(base.like);
  auto family = familyOf(base.image.officialName());
  base.official = family.has_value();
  if (family) base.family = *family;
  return base;
}

RuntimeImage runtimeImageOf(const Dockerfile& file, const context::BuildContext& context,
                            const model::Stage& stage, const StageFacts& facts, const BaseImage& base,
                            const engine::Options& options) {
  if (!options.runtimeImage.empty()) return {options.runtimeImage, ""};
  if (!base.official) return customBaseRuntime(file, context, stage, facts, base);
  uint32_t at = offsetOf(file, stage.from);
  if (!base.image.digest.empty()) {
    notSplit(
        at, fmt::format("the base image {} is pinned by digest and dfopt cannot pin a runtime image the same "
                        "way (choose one with --runtime-image)",
                        base.expanded));
  }
  auto runtime = runtimeFor(base.family, base.like);
  if (!runtime)
    notSplit(at, fmt::format("dfopt knows no lean runtime image for {} (choose one with --runtime-image)",
                             base.like == base.expanded ? base.expanded
                                                        : base.expanded + " (like " + base.like + ")"));
  if (base.written != base.expanded && base.like == base.expanded) {
    auto fromWritten = runtimeFor(base.family, base.written);
    auto variables = model::variablesBefore(file, stage.from);
    if (fromWritten && model::expandVariables(*fromWritten, variables) == *runtime) return {*fromWritten, ""};
  }
  return {*runtime, ""};
}

}  // namespace dfopt::transforms::multi_stage
