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

// Calls compute(i) for i in [0, count) on up to `jobs` threads and, on the
// calling thread, emit(i, result) in the order of i, each as soon as it and
// every item before it are computed. At most `window` results wait to be
// emitted, so memory stays bounded however many items there are. With one
// job everything runs on the calling thread. An exception from compute is
// rethrown on the calling thread when its item's turn comes.
template <typename Result, typename Compute, typename Emit>
void computeInParallelEmitInOrder(size_t count, unsigned jobs, Compute compute, Emit emit) {
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, count));
  if (jobs <= 1) {
    for (size_t i = 0; i < count; ++i) emit(i, compute(i));
    return;
  }
  const size_t window = 4 * size_t{jobs};
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::optional<Result>> results(count);
  std::vector<std::exception_ptr> failures(count);
  size_t next = 0;     // the first item no thread took yet
  size_t emitted = 0;  // items handed to emit
  bool stopping = false;

  auto work = [&] {
    while (true) {
      size_t item = 0;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stopping || next >= count || next < emitted + window; });
        if (stopping || next >= count) return;
        item = next++;
      }
      std::optional<Result> result;
      std::exception_ptr failure;
      try {
        result.emplace(compute(item));
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard lock(mutex);
      results[item] = std::move(result);
      failures[item] = failure;
      changed.notify_all();
    }
  };

  std::vector<std::thread> threads;
  // Stops and joins the threads however this function is left.
  struct Joiner {
    std::vector<std::thread>& threads;
    std::mutex& mutex;
    std::condition_variable& changed;
    bool& stopping;
    ~Joiner() {
      {
        std::lock_guard lock(mutex);
        stopping = true;
      }
      changed.notify_all();
      for (std::thread& thread : threads) thread.join();
    }
  } joiner{threads, mutex, changed, stopping};
  for (unsigned i = 0; i < jobs; ++i) threads.emplace_back(work);

  for (size_t i = 0; i < count; ++i) {
    std::optional<Result> result;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return results[i].has_value() || failures[i]; });
      if (failures[i]) std::rethrow_exception(failures[i]);
      result = std::move(results[i]);
      results[i].reset();
      emitted = i + 1;
    }
    changed.notify_all();
    emit(i, std::move(*result));
  }
}

}  // namespace dfopt::util
