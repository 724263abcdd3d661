#include "cli/signal_cleanup.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <thread>

#include "cli/process.h"

namespace dfopt::cli {

namespace {

std::mutex& registryMutex() {
  static std::mutex mutex;
  return mutex;
}

std::map<int, std::vector<std::string>>& registry() {
  static std::map<int, std::vector<std::string>> commands;
  return commands;
}

std::map<int, std::string>& temporaryFiles() {
  static std::map<int, std::string> files;
  return files;
}

int nextId() {
  static int next = 0;
  return ++next;
}

sigset_t endingSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&signals, signal);
  return signals;
}

[[noreturn]] void waitAndClean(sigset_t signals) {
  int received = 0;
  while (sigwait(&signals, &received) != 0) {
  }
  // Held until the process ends: nothing registers (and then creates) more.
  registryMutex().lock();
  for (const auto& [id, path] : temporaryFiles()) ::unlink(path.c_str());
  for (auto it = registry().rbegin(); it != registry().rend(); ++it) runProcess(it->second);
  ::signal(received, SIG_DFL);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, received);
  pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
  ::raise(received);
  std::_Exit(128 + received);
}

}  // namespace

void installSignalCleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    sigset_t signals = endingSignals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::thread(waitAndClean, signals).detach();
  });
}

int onSignal(std::vector<std::string> argv) {
  std::lock_guard lock(registryMutex());
  int id = nextId();
  registry()[id] = std::move(argv);
  return id;
}

// Created under the lock, so that no signal's cleanup runs between the
// file's creation and its registration.
int createTemporaryFile(std::string& pattern, int& id) {
  std::lock_guard lock(registryMutex());
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) return fd;
  id = nextId();
  temporaryFiles()[id] = pattern;
  return fd;
}

void forgetCleanup(int id) {
  std::lock_guard lock(registryMutex());
  registry().erase(id);
  temporaryFiles().erase(id);
}

}  // namespace dfopt::cli
