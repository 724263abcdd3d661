// base-tag: a FROM without a tag, or with `latest`, builds on whatever
// that tag names on the day of the build, so two builds of one commit may
// differ. Reported; with --pin-digests, the image the builder resolved is
// pinned as `name:tag@sha256:...` (unsafe: the base image then gets no
// updates, security fixes included, until the digest is changed).
#include "transforms/base_tag.h"

#include <algorithm>

#include <fmt/format.h>

#include "engine/image_reference.h"
#include "model/queries.h"
#include "model/variables.h"
#include "transforms/transforms.h"
#include "util/text.h"

namespace dfopt::transforms {
namespace {

using engine::Finding;
using engine::Severity;

// A stage's base image as the builder would see it.
struct BaseImage {
  const model::Stage* stage = nullptr;
  std::string written;                     // as in the FROM
  std::optional<std::string> image;        // variables expanded; nothing when one has no value
  std::vector<std::string> unknownValues;  // the variables without a value
  bool isImage = true;                     // false for scratch and stages
  bool unpinned = false;                   // no digest, and no tag or `latest`
};

bool isEarlierStage(const model::Dockerfile& file, const model::Stage& stage, std::string_view name) {
  const model::Stage* named = model::findStage(file, name);
  return named && named->index < stage.index;
}

BaseImage baseImageOf(const model::Dockerfile& file, const model::Stage& stage) {
  BaseImage base;
  base.stage = &stage;
  base.written = stage.baseImage;
  // A FROM sees only the global ARGs, those before the first FROM.
  model::Variables variables = model::variablesBefore(file, file.stages.front().from);
  base.image = model::expandVariables(stage.baseImage, variables);
  if (!base.image) {
    for (const std::string& name : model::variableNames(stage.baseImage)) {
      auto known = variables.find(name);
      if (known == variables.end() || !known->second) base.unknownValues.push_back(name);
    }
    return base;
  }
  base.isImage = !base.image->empty() && text::lower(*base.image) != "scratch" &&
                 !isEarlierStage(file, stage, *base.image);
  engine::ImageReference reference = engine::parseImageReference(*base.image);
  // A repository with upper case (REPLACE-ME in a template) is no reference the builder accepts.
  bool valid = text::lower(reference.path) == reference.path;
  base.unpinned = base.isImage && valid && reference.digest.empty() &&
                  (reference.tag.empty() || reference.tag == "latest");
  return base;
}

std::string pinned(std::string_view written, std::string_view digest) {
  engine::ImageReference reference = engine::parseImageReference(written);
  return fmt::format("{}{}@{}", written, reference.tag.empty() ? ":latest" : "", digest);
}

std::optional<Finding> check(const model::Dockerfile& file, const BaseImage& base,
                             const engine::Options& options) {
  const model::Instruction& from = file.instructions[base.stage->from];
  Finding finding;
  finding.offset = from.keywordRange.begin;
  if (!base.image) {
    // The builder sets the platform ARGs itself (FROM binaries-$TARGETOS names a stage per platform).
    bool platformOnly =
        std::all_of(base.unknownValues.begin(), base.unknownValues.end(), [](const std::string& name) {
          return text::isOneOf(name, {"TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
                                      "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT"});
        });
    if (platformOnly) return std::nullopt;
    finding.severity = Severity::Info;
    bool one = base.unknownValues.size() == 1;
    finding.message = fmt::format(
        "FROM {}: dfopt cannot tell whether the base image has a tag, as ARG{} {} {} no default value: {} "
        "from --build-arg",
        base.written, one ? "" : "s", fmt::join(base.unknownValues, ", "), one ? "has" : "have",
        one ? "its value comes" : "their values come");
    return finding;
  }
  if (!base.unpinned) return std::nullopt;
  const std::string& image = *base.image;
  bool untagged = engine::parseImageReference(image).tag.empty();
  std::string what = untagged ? fmt::format("FROM {} names no tag, so it builds on {}:latest", image, image)
                              : fmt::format("FROM {} builds on the tag latest", image);
  std::string why = "which moves to each new image pushed: two builds of one commit may get different bases";
  if (model::hasVariable(base.written)) {
    finding.message = fmt::format(
        "{} (the default of the ARG in `FROM {}`), {}; pin a version tag or a digest in that default", what,
        base.written, why);
    return finding;
  }
  auto digest = options.imageDigests.find(image);
  if (digest == options.imageDigests.end()) {
    finding.message = fmt::format("{}, {}; pin a version tag, or a digest ({})", what, why,
                                  options.pinDigests ? "--pin-digests: the builder could not resolve it"
                                                     : "dfopt --pin-digests asks the builder for it");
    return finding;
  }
  const model::Word& word = from.arguments.front();
  finding.message = fmt::format(
      "{}, {}; pinned to the digest the builder resolved: the base gets no updates, security fixes included, "
      "until "
      "the digest is changed",
      what, why);
  finding.edits.push_back({word.range, pinned(base.written, digest->second)});
  finding.safety = engine::Safety::Unsafe;
  return finding;
}

class BaseTag final : public engine::Transform {
 public:
  std::string_view name() const override { return "base-tag"; }

  engine::Result run(const model::Dockerfile& file, const context::BuildContext&,
                     const engine::Options& options) const override {
    engine::Result result;
    for (const model::Stage& stage : file.stages) {
      if (file.instructions[stage.from].arguments.empty()) continue;
      if (auto finding = check(file, baseImageOf(file, stage), options))
        result.findings.push_back(std::move(*finding));
    }
    return result;
  }
};

}  // namespace

std::vector<std::string> unpinnedBaseImages(const model::Dockerfile& file) {
  std::vector<std::string> images;
  for (const model::Stage& stage : file.stages) {
    BaseImage base = baseImageOf(file, stage);
    if (!base.unpinned || model::hasVariable(base.written)) continue;
    if (std::find(images.begin(), images.end(), *base.image) == images.end()) images.push_back(*base.image);
  }
  return images;
}

std::unique_ptr<engine::Transform> makeBaseTag() { return std::make_unique<BaseTag>(); }

}  // namespace dfopt::transforms
