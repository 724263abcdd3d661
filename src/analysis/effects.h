#pragma once
// What each instruction reads and writes, conservatively: build-context
// paths, image paths, and the build state later instructions see (working
// directory, user, shell, variables), plus the stages it uses. Unknown
// commands may read and write everything under their working directory.
// One linear pass over the file.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/dockerfile.h"

namespace dfopt::analysis {

// A piece of state an instruction reads or writes.
struct Resource {
  enum class Kind {
    Path,          // an absolute image path; a directory stands for everything below it
    Workdir,       // the working directory
    User,          // the user later instructions run as
    Shell,         // the shell RUN uses
    Variable,      // one ARG or ENV variable, by name
    AllVariables,  // every variable (what a RUN's processes see)
  };
  Kind kind;
  std::string name;  // Path: the path; Variable: the name

  static Resource path(std::string path) { return {Kind::Path, std::move(path)}; }
  static Resource variable(std::string name) { return {Kind::Variable, std::move(name)}; }
  static Resource state(Kind kind) { return {kind, {}}; }
};

// Why an access is made, as the dependency graph tells it. Most reasons are
// string literals, kept as they are; a formatted one is shared by copies.
// (An instruction's accesses are kept for the whole run: a RUN has at least
// four, and a file may have a hundred thousand RUNs.)
class Reason {
 public:
  Reason() = default;
  template <size_t N>
  Reason(const char (&literal)[N]) : text_(literal, N - 1) {}  // NOLINT: a literal converts implicitly
  Reason(std::string text)                                     // NOLINT: so does a formatted text
      : owned_(std::make_shared<const std::string>(std::move(text))), text_(*owned_) {}

  std::string_view text() const { return text_; }

 private:
  std::shared_ptr<const std::string> owned_;
  std::string_view text_;
};

struct Access {
  Resource resource;
  bool write = false;
  // Path reads only: paths below the resource this access leaves out (a
  // package tool reads the whole image but, of its working directory, only
  // its manifests, which are accesses of their own).
  std::vector<std::string> except;
  Reason why;
  // A package or build cache: content-addressed, so writers in any order
  // leave a cache as good, and it conflicts with nothing.
  bool cache = false;  // what makes it an access: "pip install reads requirements.txt"
  // A package tool's read of the image's tool paths (/usr, /opt...), which
  // it makes for its own program and settings.
  bool toolPaths = false;
  // A write of a virtualenv (python -m venv, an install into the one
  // VIRTUAL_ENV names): a tool uses a virtualenv only when VIRTUAL_ENV or
  // PATH names it, so it meets no tool-path read.
  bool virtualenvWrite = false;
};

// Do two accesses touch the same state, at least one of them writing it?
bool conflicts(const Access& a, const Access& b);

struct Effects {
  size_t index = 0;                    // in Dockerfile::instructions
  std::optional<size_t> stage;         // nothing before the first FROM
  bool step = false;                   // a build step: any instruction of a stage but its FROM
  bool layer = false;                  // makes a filesystem layer (RUN, COPY, ADD)
  std::optional<std::string> workdir;  // absolute, in effect for the instruction; nothing when unknown
  std::string home = "/root";          // the home directory of the user it runs as
  // Build-context paths read (COPY/ADD sources, RUN --mount=type=bind), as
  // cleaned context paths or patterns; "." is the whole context.
  std::vector<std::string> contextSources;
  std::vector<Access> accesses;
  std::vector<size_t> stagesUsed;  // FROM stage, COPY --from, RUN --mount=from
  // COPY/ADD: the absolute destination (nothing when unknown), whether it
  // is a directory the sources go into, and for COPY --from=stage the
  // absolute paths copied out of that stage.
  std::optional<std::string> destination;
  bool intoDirectory = false;
  std::vector<std::string> stageSources;
  std::vector<std::string> unknownStages;  // --from names that look like a stage's and name none
  bool unknownCommand = false;             // a RUN with a command the analysis does not model
  bool installsDependencies = false;       // a RUN that installs dependencies from manifests
};

// An instruction in one line: its keyword (upper case) and arguments,
// blanks collapsed, cut at `maxLength` characters with "...".
std::string describe(const model::Instruction& instruction, size_t maxLength = 60);

// The effects of every instruction, in the file's order (index i is the
// effects of Dockerfile::instructions[i]).
// Computed once per model and kept with it.
const std::vector<Effects>& analyzeEffects(const model::Dockerfile& file);

// The stage a FROM or --from reference names, by name (case-insensitive)
// or number; nothing for an image.
std::optional<size_t> stageNamed(const model::Dockerfile& file, std::string_view reference);

}  // namespace dfopt::analysis
