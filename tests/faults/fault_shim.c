/* A fault-injecting LD_PRELOAD library for the fault tests (fault_test.sh),
 * so that they need no root, no tmpfs and no full disk.
 *
 * DFOPT_FAULT=CALL=WHAT[,CALL=WHAT...] with CALL one of write, fsync,
 * rename and WHAT an errno name (ENOSPC, EIO, EDQUOT, EROFS), for write
 * optionally with "#N": only the Nth write to a regular file fails; or for fsync
 * "wait": create the file $DFOPT_FAULT_MARKER and wait until it is removed
 * (at most 60 s), so that a test can act between dfopt's write and rename.
 * write and fsync fail only on regular files other than stdin/out/err.
 * DFOPT_OPENDIR_LOG=FILE appends every directory opendir opens to FILE;
 * DFOPT_OPENDIR_DENY=NAME makes opendir fail with EACCES on a directory
 * of that name (an unreadable directory, also for root).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char* fault_for(const char* call) {
  const char* spec = getenv("DFOPT_FAULT");
  if (!spec) return NULL;
  size_t length = strlen(call);
  for (const char* at = spec; at && *at; at = strchr(at, ',') ? strchr(at, ',') + 1 : NULL) {
    if (strncmp(at, call, length) == 0 && at[length] == '=') return at + length + 1;
  }
  return NULL;
}

static int errno_named(const char* what) {
  if (strncmp(what, "ENOSPC", 6) == 0) return ENOSPC;
  if (strncmp(what, "EIO", 3) == 0) return EIO;
  if (strncmp(what, "EDQUOT", 6) == 0) return EDQUOT;
  if (strncmp(what, "EROFS", 5) == 0) return EROFS;
  return 0;
}

static int is_regular_file(int fd) {
  struct stat status;
  return fd > 2 && fstat(fd, &status) == 0 && S_ISREG(status.st_mode);
}

static void wait_for_marker(void) {
  const char* marker = getenv("DFOPT_FAULT_MARKER");
  if (!marker) return;
  int fd = open(marker, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) close(fd);
  struct timespec pause = {0, 10 * 1000 * 1000};
  for (int i = 0; i < 6000 && access(marker, F_OK) == 0; ++i) nanosleep(&pause, NULL);
}

ssize_t write(int fd, const void* buffer, size_t count) {
  static ssize_t (*real)(int, const void*, size_t);
  if (!real) real = (ssize_t(*)(int, const void*, size_t))dlsym(RTLD_NEXT, "write");
  static int regular_writes;
  const char* what = fault_for("write");
  if (what && errno_named(what) && is_regular_file(fd)) {
    const char* nth = strchr(what, '#');
    const char* end = strchr(what, ',');
    ++regular_writes;
    if (!nth || (end && nth > end) || atoi(nth + 1) == regular_writes) {
      errno = errno_named(what);
      return -1;
    }
  }
  return real(fd, buffer, count);
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  const char* what = fault_for("fsync");
  if (what && is_regular_file(fd)) {
    if (strncmp(what, "wait", 4) == 0) {
      wait_for_marker();
    } else if (errno_named(what)) {
      errno = errno_named(what);
      return -1;
    }
  }
  return real(fd);
}

int rename(const char* from, const char* to) {
  static int (*real)(const char*, const char*);
  if (!real) real = (int (*)(const char*, const char*))dlsym(RTLD_NEXT, "rename");
  const char* what = fault_for("rename");
  if (what && errno_named(what)) {
    errno = errno_named(what);
    return -1;
  }
  return real(from, to);
}

DIR* opendir(const char* name) {
  static DIR* (*real)(const char*);
  if (!real) real = (DIR * (*)(const char*)) dlsym(RTLD_NEXT, "opendir");
  const char* log = getenv("DFOPT_OPENDIR_LOG");
  if (log) {
    FILE* out = fopen(log, "a");
    if (out) {
      fprintf(out, "%s\n", name);
      fclose(out);
    }
  }
  const char* deny = getenv("DFOPT_OPENDIR_DENY");
  const char* base = strrchr(name, '/');
  if (deny && strcmp(base ? base + 1 : name, deny) == 0) {
    errno = EACCES;
    return NULL;
  }
  return real(name);
}
