#include "cli/signal_cleanup.h"

#include <pthread.h>
#include <signal.h>

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
  static int next = 0;
  std::lock_guard lock(registryMutex());
  registry()[++next] = std::move(argv);
  return next;
}

void forgetCleanup(int id) {
  std::lock_guard lock(registryMutex());
  registry().erase(id);
}

}  // namespace dfopt::cli
