#include "cli/builders.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "cli/process.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

// Why docker's daemon does not answer: the last line it printed.
std::string lastLineOrNoOutput(const std::string& output) {
  std::string line = lastLines(output, 1);
  return line.empty() ? "no output" : line;
}

std::set<std::string> nonEmptyLines(const std::string& text) {
  std::set<std::string> lines;
  std::stringstream stream(text);
  std::string line;
  while (std::getline(stream, line)) {
    if (!line.empty()) lines.insert(line);
  }
  return lines;
}

// All image ids the builder's store holds, intermediate ones included.
std::set<std::string> imageIds(const Builder& builder) {
  ProcessResult listed = runProcess({builder.program, "images", "-a", "-q", "--no-trunc"});
  return listed.ok() ? nonEmptyLines(listed.output) : std::set<std::string>();
}

// The builder's file at `path` of the image, through a container made from it.
std::optional<std::string> readBuildahFile(const Builder& builder, const std::string& tag,
                                           const std::string& path) {
  ProcessResult from = runProcess({builder.program, "from", "--pull-never", tag});
  if (!from.ok()) return std::nullopt;
  std::string container = lastLines(from.output, 1);
  std::optional<std::string> content;
  ProcessResult mount = runProcess({builder.program, "mount", container});
  if (mount.ok()) {
    std::ifstream in(fs::path(lastLines(mount.output, 1)) / path, std::ios::binary);
    if (in) content = std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    runProcess({builder.program, "umount", container});
  }
  runProcess({builder.program, "rm", container});
  return content;
}

std::optional<std::string> readContainerFile(const Builder& builder, const std::string& tag,
                                             const std::string& path) {
  ProcessResult created = runProcess({builder.program, "create", tag, "dfopt-verify"});
  if (!created.ok()) return std::nullopt;
  std::string container = lastLines(created.output, 1);
  ProcessResult copied = runProcess({builder.program, "cp", container + ":/" + path, "-"});
  runProcess({builder.program, "rm", "-f", container});
  return copied.ok() ? verify::firstFileOfTar(copied.output) : std::nullopt;
}

// /etc/passwd of an image, when the builder can show it.
std::optional<std::string> readPasswd(const Builder& builder, const std::string& tag) {
  if (builder.kind == BuilderKind::kBuildah) return readBuildahFile(builder, tag, "etc/passwd");
  return readContainerFile(builder, tag, "etc/passwd");
}

}  // namespace

std::optional<Builder> chooseBuilder(const std::string& wanted) {
  const std::vector<std::pair<BuilderKind, std::string>> all = {
      {BuilderKind::kDocker, "docker"}, {BuilderKind::kPodman, "podman"}, {BuilderKind::kBuildah, "buildah"}};
  std::vector<std::string> notes;
  for (const auto& [kind, name] : all) {
    if (wanted != "auto" && wanted != name) continue;
    auto program = findOnPath(name);
    if (!program) {
      notes.push_back(fmt::format("{} is not on PATH", name));
      continue;
    }
    if (kind == BuilderKind::kDocker) {
      ProcessResult probe = runProcess({*program, "version", "--format", "{{.Server.Version}}"});
      if (!probe.ok()) {
        notes.push_back(fmt::format("docker is on PATH but its daemon does not answer ({})",
                                    lastLineOrNoOutput(probe.output)));
        continue;
      }
    }
    return Builder{kind, name, *program};
  }
  std::cerr << fmt::format("error: no container builder is available: {}\n", fmt::join(notes, "; "));
  if (wanted == "auto")
    std::cerr << "dfopt verify needs docker (with a running daemon), podman or buildah on PATH\n";
  return std::nullopt;
}

std::vector<std::string> buildCommand(const Builder& builder, const fs::path& dockerfile,
                                      const std::string& tag, const fs::path& context) {
  switch (builder.kind) {
    case BuilderKind::kDocker:
      return {builder.program, "build", "-f", dockerfile.string(), "-t", tag, context.string()};
    case BuilderKind::kPodman:
      return {builder.program,     "build", "--layers", "--format",      "docker", "-f",
              dockerfile.string(), "-t",    tag,        context.string()};
    case BuilderKind::kBuildah:
      return {builder.program,     "bud", "--layers", "--format",      "docker", "-f",
              dockerfile.string(), "-t",  tag,        context.string()};
  }
  return {};
}

verify::ImageFacts inspectImage(const Builder& builder, const std::string& tag) {
  if (builder.kind != BuilderKind::kBuildah) {
    ProcessResult inspected = runProcess({builder.program, "image", "inspect", tag});
    return inspected.ok() ? verify::factsFromImageInspect(inspected.output) : verify::ImageFacts();
  }
  verify::ImageFacts facts;
  ProcessResult inspected = runProcess({builder.program, "inspect", "--type", "image", tag});
  if (inspected.ok()) facts = verify::factsFromBuildahInspect(inspected.output);
  ProcessResult size = runProcess({builder.program, "images", "--format", "{{.Size}}", tag});
  if (size.ok()) facts.size = verify::parseHumanSize(size.output.substr(0, size.output.find('\n')));
  return facts;
}

verify::FinalUser resolveUser(const Builder& builder, const std::string& tag, const std::string& user) {
  verify::FinalUser resolved = verify::userOf(user);
  if (resolved.uid) return resolved;
  if (auto passwd = readPasswd(builder, tag)) resolved.uid = verify::uidInPasswd(*passwd, resolved.name);
  return resolved;
}

ImageJanitor::ImageJanitor(const Builder& builder) : builder_(builder), before_(imageIds(builder)) {}

ImageJanitor::~ImageJanitor() {
  for (const std::string& tag : tags_) runProcess({builder_.program, "rmi", "-f", tag});
  ProcessResult listed =
      runProcess({builder_.program, "images", "-a", "-q", "--no-trunc", "--filter", "dangling=true"});
  std::vector<std::string> dangling;
  for (const std::string& id : nonEmptyLines(listed.output)) {
    if (!before_.contains(id)) dangling.push_back(id);
  }
  if (dangling.empty()) return;
  std::vector<std::string> remove = {builder_.program, "rmi", "-f"};
  remove.insert(remove.end(), dangling.begin(), dangling.end());
  runProcess(remove);
}

}  // namespace dfopt::cli
