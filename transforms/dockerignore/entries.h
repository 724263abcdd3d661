#pragma once
// The entries dfopt proposes for .dockerignore: the candidates (from the
// ecosystems in the context, its folders and files), which of them are
// added, and the file they are written into.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "context/build_context.h"
#include "engine/ecosystem.h"
#include "engine/edit.h"
#include "model/dockerfile.h"
#include "transforms/dockerignore/build_use.h"

namespace dfopt::transforms::dockerignore {

// ---------------------------------------------------------------------------
// Candidate entries (candidates.cpp)

enum class Kind {
  Junk,          // never needed by a build
  Dependencies,  // installed dependencies: only when the image installs its own
  Output,        // build output: only when the image builds its own
};

struct Candidate {
  size_t rank = 0;                   // where its group goes in the file
  std::string group;                 // the comment above the group
  std::vector<std::string> lines;    // the entry, then exceptions for what it must not take
  std::vector<std::string> matched;  // what it excludes itself (the entry alone, before it exists)
  Kind kind = Kind::Junk;
  engine::Ecosystem ecosystem = engine::Ecosystem::Pip;  // whose install or build recreates it
  std::string_view neededBy;                             // a program that reads it (git for .git)
  bool secret = false;
  bool listedBeforeItExists = false;
};

// Folders at the root (version control, editors, caches), virtualenvs, and
// what the ecosystems in the context leave behind.
std::vector<Candidate> folderCandidates(const context::BuildContext& context, const BuildUse& use,
                                        const SharedPaths& paths);

// Files at any depth among `remaining` (secrets, logs, bytecode...).
std::vector<Candidate> fileCandidates(const context::BuildContext& context, const SharedPaths& remaining);

// ---------------------------------------------------------------------------
// Deciding, against the user's .dockerignore and what the build needs (decide.cpp)

struct Decision {
  std::vector<Candidate> added;       // in the order they are written
  std::vector<engine::Finding> kept;  // why some candidates were not added
  std::set<std::string> considered;   // entries, cleaned
};

Decision decide(const model::Dockerfile& file, const context::BuildContext& context, const BuildUse& use,
                const SharedPaths& paths);

// ---------------------------------------------------------------------------
// Writing the file (write.cpp)

// The existing file (if any) with the added entries below it, grouped.
std::string dockerignoreText(const std::optional<std::string>& existing, const std::vector<Candidate>& added,
                             std::string_view fallbackNewline);

// The finding's message: what is added, and why.
std::string summary(const std::vector<Candidate>& added, bool extending);

}  // namespace dfopt::transforms::dockerignore
