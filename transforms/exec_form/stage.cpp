// What decides the command the final image runs: the final stage's last CMD
// and ENTRYPOINT, the ENTRYPOINT and SHELL it inherits from the stages of
// this file it is built on, and the image the chain starts from.
#include <fmt/format.h>

#include "engine/image_reference.h"
#include "model/queries.h"
#include "transforms/exec_form/exec_form.h"
#include "util/text.h"

namespace dfopt::transforms::exec_form {
namespace {

using text::contains;
using text::isOneOf;

// The stage of this file that `stage` is built on (FROM <earlier stage>), if any.
const model::Stage* parentStage(const model::Dockerfile& file, const model::Stage& stage) {
  const model::Stage* parent = model::findStage(file, stage.baseImage);
  return parent != nullptr && parent->index < stage.index ? parent : nullptr;
}

const model::Instruction* lastOf(const model::Dockerfile& file, const model::Stage& stage,
                                 std::string_view command) {
  const model::Instruction* last = nullptr;
  for (size_t i = stage.from; i < stage.end; ++i) {
    if (file.instructions[i].is(command)) last = &file.instructions[i];
  }
  return last;
}

std::vector<std::string> jsonWords(const model::Instruction& instruction) {
  std::vector<std::string> words;
  for (const auto& node : instruction.buildkit.next) words.push_back(node.value);
  return words;
}

}  // namespace

FinalCommand finalCommandOf(const model::Dockerfile& file, const engine::BaseImages& known) {
  FinalCommand out;
  const model::Stage* stage = model::finalStage(file);
  if (stage == nullptr) return out;
  out.cmd = lastOf(file, *stage, "cmd");
  out.entrypoint = lastOf(file, *stage, "entrypoint");
  for (const model::Stage* at = stage; at != nullptr; at = parentStage(file, *at)) {
    if (at != stage && out.entrypoint == nullptr && out.inheritedEntrypoint == nullptr)
      out.inheritedEntrypoint = lastOf(file, *at, "entrypoint");
    bool cmdOpen = out.cmd == nullptr && out.entrypoint == nullptr && out.inheritedCmd == nullptr;
    if (at != stage && cmdOpen) out.inheritedCmd = lastOf(file, *at, "cmd");
    if (out.shell == nullptr) out.shell = lastOf(file, *at, "shell");
    out.baseImage = at->baseImage;
  }
  out.likeImage = engine::imageLike(known, out.baseImage);
  return out;
}

std::string shellPrefix(const FinalCommand& command) {
  if (command.shell == nullptr || !command.shell->jsonForm) return "/bin/sh -c";
  return fmt::format("{}", fmt::join(jsonWords(*command.shell), " "));
}

bool posixShell(const FinalCommand& command) {
  if (command.shell == nullptr) return true;
  std::vector<std::string> words = jsonWords(*command.shell);
  return command.shell->jsonForm && !words.empty() &&
         isOneOf(text::baseName(words[0]), {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"});
}

bool isWindowsImage(std::string_view image) {
  std::string name = text::lower(image);
  return contains(name, "windows") || contains(name, "nanoserver") || contains(name, "servercore");
}

bool hasNoShell(std::string_view image) {
  engine::ImageReference reference = engine::parseImageReference(image);
  if (reference.path == "scratch" && reference.registry.empty()) return true;
  // distroless's :debug tags and Chainguard's -dev tags add a busybox shell.
  if (contains(reference.path, "distroless")) return !contains(reference.tag, "debug");
  if (reference.registry == "cgr.dev") return !contains(reference.tag, "dev");
  return false;
}

std::string entrypointActingOnFirstWord(std::string_view image) {
  // Their docker-entrypoint.sh runs its setup (initialising data, templates,
  // dropping root) only when the first argument is the server's name.
  static constexpr std::string_view kImages[] = {
      "nginx",     "postgres", "mysql",    "mariadb",   "redis",     "mongo", "rabbitmq",     "haproxy",
      "cassandra", "couchdb",  "influxdb", "wordpress", "nextcloud", "ghost", "elasticsearch"};
  std::string name = engine::parseImageReference(image).officialName();
  return isOneOf(name, kImages) ? name : std::string();
}

}  // namespace dfopt::transforms::exec_form
