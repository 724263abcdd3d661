#pragma once
// Work on many items in parallel, results handed over in order: what lets a
// run over a whole repository use every core and still print exactly what a
// run one file after the other prints.
#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace dfopt::util {

namespace detail {

// What the threads of computeInParallelEmitInOrder share, under `mutex`.
template <typename Result>
struct InOrderState {
  explicit InOrderState(size_t count, unsigned jobs)
      : count(count), window(4 * size_t{jobs}), results(count), failures(count) {}
  bool ready(size_t item) const { return results[item].has_value() || failures[item]; }

  const size_t count;
  const size_t window;
  std::mutex mutex;
  std::condition_variable roomInWindow;
  std::vector<std::optional<Result>> results;
  std::vector<std::exception_ptr> failures;
  size_t next = 0;     // the first item no thread took yet
  size_t emitted = 0;  // items handed to emit
  size_t waiting = 0;  // threads waiting for room in the window
  bool emitting = false;
  std::exception_ptr stoppedBy;  // a failure of compute or of emit
};

}  // namespace detail

// Calls compute(i) for i in [0, count) on up to `jobs` threads, the calling
// thread one of them, and emit(i, result) in the order of i, each as soon as
// it and every item before it are computed. Emit never runs twice at once:
// the thread that finishes the next item in order emits it, and every
// following one already computed, so no thread sleeps waiting for another's
// result (on a machine where a thread's wake-up costs as much as a small
// file's work, waiting per item was a third of the run). At most `window`
// results wait to be emitted, so memory stays bounded however many items
// there are. With one job everything runs on the calling thread. An
// exception from compute is rethrown on the calling thread when its item's
// turn comes, after the items before it were emitted; one from emit stops
// the run and is rethrown the same way.
template <typename Result, typename Compute, typename Emit>
void computeInParallelEmitInOrder(size_t count, unsigned jobs, Compute compute, Emit emit) {
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, count));
  if (jobs <= 1) {
    for (size_t i = 0; i < count; ++i) emit(i, compute(i));
    return;
  }
  detail::InOrderState<Result> state(count, jobs);

  // Emits, under the lock, the items ready in order; the caller set emitting.
  auto emitReady = [&](std::unique_lock<std::mutex>& lock) {
    while (!state.stoppedBy && state.emitted < count && state.ready(state.emitted)) {
      const size_t item = state.emitted;
      if (state.failures[item]) {
        state.stoppedBy = state.failures[item];
        break;
      }
      Result result = std::move(*state.results[item]);
      state.results[item].reset();
      lock.unlock();
      std::exception_ptr failure;
      try {
        emit(item, std::move(result));
      } catch (...) {
        failure = std::current_exception();
      }
      lock.lock();
      if (failure) state.stoppedBy = failure;
      state.emitted = item + 1;
      if (state.waiting > 0) state.roomInWindow.notify_all();
    }
    state.emitting = false;
    if (state.stoppedBy && state.waiting > 0) state.roomInWindow.notify_all();
  };

  auto work = [&] {
    std::unique_lock lock(state.mutex);
    while (true) {
      auto canTake = [&] {
        return state.stoppedBy || state.next >= count || state.next < state.emitted + state.window;
      };
      if (!canTake()) {
        ++state.waiting;
        state.roomInWindow.wait(lock, canTake);
        --state.waiting;
      }
      if (state.stoppedBy || state.next >= count) return;
      const size_t item = state.next++;
      lock.unlock();
      std::optional<Result> result;
      std::exception_ptr failure;
      try {
        result.emplace(compute(item));
      } catch (...) {
        failure = std::current_exception();
      }
      lock.lock();
      state.results[item] = std::move(result);
      state.failures[item] = failure;
      // The thread emitting now sees this result when its turn comes.
      if (state.emitting || item != state.emitted) continue;
      state.emitting = true;
      emitReady(lock);
    }
  };

  {
    std::vector<std::thread> threads;
    // Joins the threads however this block is left (a thread that cannot
    // be started leaves the others to do the work).
    struct Joiner {
      std::vector<std::thread>& threads;
      ~Joiner() {
        for (std::thread& thread : threads) thread.join();
      }
    } joiner{threads};
    try {
      for (unsigned i = 1; i < jobs; ++i) threads.emplace_back(work);
    } catch (const std::system_error&) {
      if (threads.empty()) throw;
    }
    work();
  }
  if (state.stoppedBy) std::rethrow_exception(state.stoppedBy);
}

}  // namespace dfopt::util
