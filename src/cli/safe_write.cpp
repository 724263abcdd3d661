#include "cli/safe_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "cli/signal_cleanup.h"

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

std::string errorText(int error) { return std::strerror(error); }

bool writeAll(int fd, const std::string& content) {
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    written += static_cast<size_t>(n);
  }
  return true;
}

std::optional<std::string> readAll(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string bytes;
  char buffer[1 << 16];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof buffer)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  if (n < 0) return std::nullopt;
  return bytes;
}

bool sameStamp(const FileStamp& a, const FileStamp& b) {
  return a.device == b.device && a.inode == b.inode && a.size == b.size &&
         a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec;
}

// No write permission for anyone counts as read-only even for root, who
// could write anyway: the owner said not to change it.
bool isWritable(const fs::path& path, const struct stat& status) {
  return (status.st_mode & 0222) != 0 && ::access(path.c_str(), W_OK) == 0;
}

bool isAsExpected(const fs::path& target, const Expected& expected) {
  if (!expected.bytes) return !fs::exists(fs::symlink_status(target));
  std::optional<FileStamp> now = stampOf(target);
  if (!now || (expected.stamp && !sameStamp(*now, *expected.stamp))) return false;
  return readAll(target) == expected.bytes;
}

// A symlink is written through to its final target.
std::optional<fs::path> targetOf(const fs::path& path, std::string& error) {
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(path, ec))) return path;
  fs::path target = fs::canonical(path, ec);
  if (ec) {
    error = fmt::format("the symbolic link leads nowhere ({}); not written", ec.message());
    return std::nullopt;
  }
  return target;
}

// The temporary file next to the target, removed unless it was renamed.
class TemporaryFile {
 public:
  explicit TemporaryFile(const fs::path& target) {
    fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
    path_ = (directory / ("." + target.filename().string() + ".dfopt-XXXXXX")).string();
    fd_ = createTemporaryFile(path_, cleanupId_);
  }
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (cleanupId_ == 0) return;
    ::unlink(path_.c_str());
    forgetCleanup(cleanupId_);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  bool created() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // Closes the file, reporting a failed close (NFS reports write errors there).
  bool close() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }
  // The file is gone under its name (renamed): nothing to remove.
  void renamed() {
    forgetCleanup(cleanupId_);
    cleanupId_ = 0;
  }

 private:
  std::string path_;
  int fd_ = -1;
  int cleanupId_ = 0;
};

// Mode, and owner where the process may set it (root, or a group of its
// own); the owner first, as chown clears the set-id bits.
bool copyAttributes(int fd, const std::optional<struct stat>& existing) {
  if (!existing) return ::fchmod(fd, 0644) == 0;
  if (::fchown(fd, existing->st_uid, existing->st_gid) != 0) {
    [[maybe_unused]] int ignored = ::fchown(fd, static_cast<uid_t>(-1), existing->st_gid);
  }
  return ::fchmod(fd, existing->st_mode & 07777) == 0;
}

void syncDirectory(const fs::path& file) {
  fs::path directory = file.has_parent_path() ? file.parent_path() : fs::path(".");
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

bool overwrite(int fd, const std::string& content) {
  return ::lseek(fd, 0, SEEK_SET) == 0 && writeAll(fd, content) &&
         ::ftruncate(fd, static_cast<off_t>(content.size())) == 0 && ::fsync(fd) == 0;
}

// Hard links share the file itself: its content is replaced in place. The
// temporary copy was written first, so there was room for the new content;
// should the write still fail, the old content is put back.
std::optional<std::string> writeInPlace(const fs::path& target, const std::string& content) {
  std::optional<std::string> original = readAll(target);
  if (!original) return fmt::format("cannot read it again: {}; not written", errorText(errno));
  int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return fmt::format("cannot write: {}; not written", errorText(errno));
  bool written = overwrite(fd, content);
  int error = errno;
  if (written) {
    if (::close(fd) == 0) return std::nullopt;
    return fmt::format("cannot write: {}", errorText(errno));
  }
  bool restored = overwrite(fd, *original);
  ::close(fd);
  return fmt::format("cannot write: {}; {}", errorText(error),
                     restored ? "the original was put back" : "the original could not be put back");
}

}  // namespace

FileStamp stampFrom(const struct stat& status) {
  return {status.st_dev, status.st_ino, status.st_size, status.st_mtim};
}

std::optional<FileStamp> stampOf(const fs::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return std::nullopt;
  return stampFrom(status);
}

std::optional<std::string> writeSafely(const fs::path& path, const std::string& content,
                                       const Expected* expected) {
  std::string error;
  std::optional<fs::path> target = targetOf(path, error);
  if (!target) return error;
  std::optional<struct stat> existing;
  struct stat status {};
  if (::stat(target->c_str(), &status) == 0) existing = status;
  if (existing && !S_ISREG(existing->st_mode)) return "not a regular file; not written";
  if (existing && !isWritable(*target, *existing)) return "the file is read-only; not written";
  fs::path directory = target->has_parent_path() ? target->parent_path() : fs::path(".");
  struct stat directoryStatus {};
  if (::stat(directory.c_str(), &directoryStatus) == 0 && !isWritable(directory, directoryStatus)) {
    return fmt::format("the folder {} is read-only; not written", directory.string());
  }
  TemporaryFile temp(*target);
  if (!temp.created()) {
    return fmt::format("cannot create a temporary file in {}: {}; not written", directory.string(),
                       errorText(errno));
  }
  bool written =
      writeAll(temp.fd(), content) && copyAttributes(temp.fd(), existing) && ::fsync(temp.fd()) == 0;
  int saved = errno;
  bool closed = temp.close();
  if (!written || !closed)
    return fmt::format("cannot write: {}; not written", errorText(written ? errno : saved));
  if (expected && !isAsExpected(*target, *expected)) return "the file changed while dfopt ran; not written";
  if (existing && existing->st_nlink > 1) return writeInPlace(*target, content);
  if (::rename(temp.path().c_str(), target->c_str()) != 0) {
    return fmt::format("cannot write: {}; not written", errorText(errno));
  }
  temp.renamed();
  syncDirectory(*target);
  return std::nullopt;
}

}  // namespace dfopt::cli
