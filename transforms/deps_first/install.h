#pragma once
// What deps-first knows of an install RUN, shared by its files: which
// commands install what (classify.cpp, script.cpp), the full copy above it
// and the manifests the installs read (plan.cpp, manifests.cpp,
// manifest_problems.cpp), and the edits that move them (move.cpp).
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "context/build_context.h"
#include "engine/ecosystem.h"
#include "engine/edit.h"
#include "model/dockerfile.h"
#include "shell/script.h"

namespace dfopt::transforms::deps_first {

// ---------------------------------------------------------------------------
// What a command does (classify.cpp)

enum class Role {
  Session,  // changes only the rest of its RUN (cd, export): kept in both RUNs
  Setup,    // prepares the tools without reading the source (apt-get, npm i -g, poetry config)
  Install,  // installs dependencies from the manifests
  Cleanup,  // removes what the commands before it left behind
  Other,    // anything else: it may need the source
};

enum class Step {
  Installs,   // installs from the manifests (pip install -r, npm ci, poetry install)
  Downloads,  // only downloads (go mod download, cargo fetch, mvn dependency:go-offline)
  Builds,     // builds the project, downloading what it needs (go build, cargo build, mvn package)
};

struct Install {
  engine::Ecosystem ecosystem = engine::Ecosystem::Pip;
  Step step = Step::Installs;
  std::string label;         // how messages name it: "pip install", "npm ci"
  std::string earlyCommand;  // what the early RUN runs instead of it (empty: it as written)
  std::string addedFlags;    // appended to it in the early RUN, so that it needs no source
  bool keepLater = false;    // the later RUN still runs it: it builds or installs the project
  std::vector<std::string> requirementFiles;  // pip: the -r and -c files as written
  std::vector<std::string> extraFiles;        // wrapper files it reads besides the manifests
  std::optional<std::string> problem;         // why it cannot run before the source
};

struct Classified {
  Role role = Role::Other;
  std::optional<Install> install;
};

// Where the commands of an install RUN run, for telling cleanups from
// source edits.
struct CommandScope {
  std::string sourceDirectory;                // where the full copy puts the source
  std::set<engine::Ecosystem> downloadSteps;  // ecosystems the stage downloads for explicitly
};

Classified classify(const shell::Command& command, const CommandScope& scope);

// ---------------------------------------------------------------------------
// The RUN's commands (script.cpp)

// The commands that run early: [0, end). Session commands run in both
// RUNs; the later RUN keeps the rest only when an install in it must run
// again there.
struct Segment {
  size_t end = 0;
  std::vector<Role> roles;
  std::vector<std::optional<Install>> installs;  // per command
  std::optional<std::string> problem;

  bool keepsInstallLater() const;
  bool keptLater(size_t index) const;
};

// The commands of a RUN: its shell script, or its exec form as one command.
std::shared_ptr<const shell::Script> scriptOf(const model::Instruction& run);

// The installs a RUN runs.
std::vector<Install> installsOf(const model::Instruction& run, const CommandScope& scope);
// The same with no scope, kept per thread by the RUN's text: every model of
// the pipeline's steps asks it of each of its RUNs.
std::shared_ptr<const std::vector<Install>> installsOf(const model::Instruction& run);

// Which commands run early, or why none can.
Segment segmentOf(const shell::Script& script, const CommandScope& scope);

// ---------------------------------------------------------------------------
// The full copy and the manifests (plan.cpp, manifests.cpp, manifest_problems.cpp)

struct FullCopy {
  size_t index = 0;
  std::vector<std::string> sourceDirectories;  // context directories it copies ("." for all)
  std::string writtenDestination;
  std::string destination;  // absolute
  std::optional<std::string> problem;
};

// A COPY or ADD of whole directories of the build context, or nothing.
std::optional<FullCopy> fullCopyAt(const model::Dockerfile& file, size_t index,
                                   const context::BuildContext& context);

struct Manifest {
  std::string path;      // in the context
  std::string relative;  // to the copied directory
  bool directory = false;
};

struct Manifests {
  std::vector<Manifest> files;
  std::optional<std::string> problem;
};

// `relative` inside the context directory `directory`, cleaned.
std::string joinContextPath(std::string_view directory, std::string_view relative);

// The requirements files a pip install names, found in the copy: the
// install runs in `cwd`; the copy puts `copied` at `destination`.
Manifests requirementManifests(const Install& install, const context::BuildContext& context,
                               const std::string& cwd, const std::string& copied,
                               const std::string& destination);

// The manifests of a (non-pip) install in context directory `directory`.
Manifests ecosystemManifests(const Install& install, const context::BuildContext& context,
                             const std::string& directory, const std::string& copied);

// Why the manifests alone cannot drive the install, read from their content.
std::optional<std::string> manifestProblem(engine::Ecosystem ecosystem, const context::BuildContext& context,
                                           const std::string& directory);

struct Plan {
  std::vector<Manifest> manifests;
  std::vector<Install> installs;
  std::optional<std::string> problem;
};

// The manifests of every install of the segment, each found where it runs.
Plan planInstalls(const model::Dockerfile& file, size_t runIndex, const shell::Script& script,
                  const Segment& segment, const FullCopy& copy, const context::BuildContext& context);

// ---------------------------------------------------------------------------
// The new lines (move.cpp)

// Does nothing of the RUN stay after the copy but session commands?
bool removesWholeRun(const Segment& segment, size_t commandCount);

// COPY lines for `manifests`: one per destination directory, and one per
// directory manifest (gradle/, .mvn/).
std::string copyLines(const model::Dockerfile& file, const model::Instruction& copy,
                      const std::string& writtenDestination, const std::vector<Manifest>& manifests);

// The early RUN: the segment's commands as written, each install adjusted
// so that it needs no source; nothing when comments would be lost.
std::optional<std::string> earlyRunText(const model::Dockerfile& file, const model::Instruction& run,
                                        const shell::Script& script, const Segment& segment, bool removesRun);

// What stays of the RUN after the copy: its commands minus those that ran
// early for good.
std::vector<engine::Edit> laterRunEdits(const model::Dockerfile& file, const model::Instruction& run,
                                        const shell::Script& script, const Segment& segment, bool removesRun);

// The finding's message for a move.
std::string successMessage(const Plan& plan);

}  // namespace dfopt::transforms::deps_first
