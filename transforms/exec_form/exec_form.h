#pragma once
// exec-form: the pieces the transform shares between its files. words.cpp
// reads a shell-form command as the shell would and says why it needs a
// shell when it does; stage.cpp gathers what decides the final image's
// command (its CMD, ENTRYPOINT, SHELL and base image).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base_images.h"
#include "model/dockerfile.h"

namespace dfopt::transforms::exec_form {

// A shell-form command read as /bin/sh would read it.
struct ShellCommand {
  std::vector<std::string> words;  // what the shell would run, quotes removed; a leading exec dropped
  std::string needsShell;          // why it needs a shell ("the pipe `|`"), empty when it does not
  bool shellExpands = false;       // one simple command, which the shell expands (variables, globs...)
  bool startsWithExec = false;     // written `exec program ...`
};

ShellCommand readShellCommand(std::string_view script);

// `["a", "b c"]`: JSON strings with quotes, backslashes and control characters escaped.
std::string jsonArray(const std::vector<std::string>& words);

// What decides the command the final image runs.
struct FinalCommand {
  const model::Instruction* cmd = nullptr;         // the last CMD of the final stage
  const model::Instruction* entrypoint = nullptr;  // the last ENTRYPOINT of the final stage
  // The ENTRYPOINT an earlier stage of this file passes on (FROM <stage>),
  // when the final stage sets none.
  const model::Instruction* inheritedEntrypoint = nullptr;
  // The CMD an earlier stage passes on, when the final stage sets neither
  // CMD nor ENTRYPOINT (an ENTRYPOINT would reset it).
  const model::Instruction* inheritedCmd = nullptr;
  const model::Instruction* shell = nullptr;  // the SHELL in effect (this stage or one it is built on)
  std::string baseImage;                      // the image the stage chain starts from, as written
  std::string likeImage;                      // the image it behaves as (.dfopt.yaml's base-images)
};

FinalCommand finalCommandOf(const model::Dockerfile& file, const engine::BaseImages& known);

// The shell a shell-form command runs under: "/bin/sh -c" or SHELL's words.
std::string shellPrefix(const FinalCommand& command);
// Is SHELL unset or a POSIX shell (sh, bash, dash, ash, zsh, ksh)?
bool posixShell(const FinalCommand& command);

// Facts about the base image that change the decision.
bool isWindowsImage(std::string_view image);
bool hasNoShell(std::string_view image);
// The official images whose ENTRYPOINT script acts differently when its
// first argument names their server (setup, dropping root): their name, or
// empty.
std::string entrypointActingOnFirstWord(std::string_view image);

}  // namespace dfopt::transforms::exec_form
