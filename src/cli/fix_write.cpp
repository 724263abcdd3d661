#include "cli/fix_write.h"

#include "cli/context_cache.h"
#include "cli/safe_write.h"

namespace dfopt::cli {

namespace {

std::optional<std::string> writeChecked(const std::filesystem::path& path, const std::string& content,
                                        const Expected& expected) {
  std::optional<std::string> error = writeSafely(path, content, &expected);
  forgetContextsHolding(path);
  return error;
}

}  // namespace

std::optional<std::string> writeDockerfile(const FileRun& run) {
  return writeChecked(run.path, run.outcome.after, Expected{run.outcome.before, run.stamp});
}

std::optional<std::string> writeContextFile(const FileRun& run, const engine::FileChange& file) {
  return writeChecked(run.contextDir / file.path, file.after, Expected{file.before, std::nullopt});
}

}  // namespace dfopt::cli
