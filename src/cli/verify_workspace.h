#pragma once
// The files verify builds from: a temporary folder with copies of the build
// context, the Dockerfiles, and the edit before the rebuilds. The user's own
// files are never written.
#include <filesystem>
#include <optional>
#include <string>

#include "context/build_context.h"

namespace dfopt::cli {

// A temporary folder under $TMPDIR (default /tmp), removed when this goes
// out of scope. Its path is empty when it cannot be made.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Copies a build context, leaving out the directories its .dockerignore
// excludes whole (node_modules, .git, .venv: they never reach the builder, and
// copying them can take long). With exception patterns ('!') everything is
// copied and the builder decides. Returns an error message on failure.
std::optional<std::string> copyContext(const std::filesystem::path& from, const std::filesystem::path& to,
                                       const context::Dockerignore& ignore);

// Writes `text` to `path`, making its folders; false on failure.
bool writeFile(const std::filesystem::path& path, const std::string& text);
// Appends `text` to `path`; false on failure.
bool appendTo(const std::filesystem::path& path, const std::string& text);

// Where --touch points, relative to the context: a path relative to the
// context, or one (relative to the working directory or absolute) that lies
// inside it. Nothing when it names no file in the context.
std::optional<std::string> touchTarget(const std::string& touch, const std::filesystem::path& contextDir);

}  // namespace dfopt::cli
