// Computing on many threads, handing results over in order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "util/in_order.h"

using dfopt::util::computeInParallelEmitInOrder;

namespace {

// Later items finish first: the emit order cannot come from the finish order.
std::string slowForEarlyItems(size_t i, size_t count) {
  std::this_thread::sleep_for(std::chrono::microseconds(50 * (count - i)));
  return std::to_string(i * i);
}

}  // namespace

TEST_CASE("results come in the order of the items, whatever the number of jobs", "[walk][in-order]") {
  constexpr size_t kCount = 200;
  for (unsigned jobs : {1u, 2u, 4u, 16u}) {
    INFO("jobs " << jobs);
    std::vector<size_t> order;
    std::vector<std::string> values;
    computeInParallelEmitInOrder<std::string>(
        kCount, jobs, [&](size_t i) { return slowForEarlyItems(i, kCount); },
        [&](size_t i, std::string value) {
          order.push_back(i);
          values.push_back(std::move(value));
        });
    REQUIRE(order.size() == kCount);
    for (size_t i = 0; i < kCount; ++i) {
      CHECK(order[i] == i);
      CHECK(values[i] == std::to_string(i * i));
    }
  }
}

TEST_CASE("several threads compute, the calling thread one of them, and emit never runs twice at once",
          "[walk][in-order]") {
  std::mutex mutex;
  std::set<std::thread::id> computing;
  std::atomic<int> emitsNow{0};
  int mostEmitsAtOnce = 0;
  std::vector<size_t> order;
  computeInParallelEmitInOrder<int>(
      64, 4,
      [&](size_t i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::lock_guard lock(mutex);
        computing.insert(std::this_thread::get_id());
        return static_cast<int>(i);
      },
      [&](size_t i, int) {
        int now = ++emitsNow;
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        mostEmitsAtOnce = std::max(mostEmitsAtOnce, now);  // only one emit writes it at a time
        order.push_back(i);
        --emitsNow;
      });
  CHECK(computing.size() > 1);
  CHECK(computing.count(std::this_thread::get_id()) == 1);
  CHECK(mostEmitsAtOnce == 1);
  REQUIRE(order.size() == 64);
  for (size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
}

TEST_CASE("a failure of emit stops the run and is rethrown on the calling thread", "[walk][in-order]") {
  std::vector<size_t> emitted;
  auto run = [&] {
    computeInParallelEmitInOrder<int>(
        50, 3, [](size_t i) { return static_cast<int>(i); },
        [&](size_t i, int) {
          if (i == 5) throw std::runtime_error("emit 5");
          emitted.push_back(i);
        });
  };
  CHECK_THROWS_WITH(run(), "emit 5");
  CHECK(emitted == std::vector<size_t>{0, 1, 2, 3, 4});
}

TEST_CASE("at most a window of results waits to be emitted", "[walk][in-order]") {
  std::atomic<size_t> started{0};
  size_t mostAhead = 0;
  computeInParallelEmitInOrder<int>(
      100, 2,
      [&](size_t i) {
        ++started;
        return static_cast<int>(i);
      },
      [&](size_t i, int) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));  // a slow printer
        mostAhead = std::max(mostAhead, started.load() - i);
      });
  CHECK(mostAhead <= 4 * 2 + 1);
}

TEST_CASE("a failure is rethrown on the calling thread in its turn", "[walk][in-order]") {
  for (unsigned jobs : {1u, 3u}) {
    INFO("jobs " << jobs);
    std::vector<size_t> emitted;
    auto run = [&] {
      computeInParallelEmitInOrder<int>(
          20, jobs,
          [](size_t i) {
            if (i == 7) throw std::runtime_error("item 7");
            return static_cast<int>(i);
          },
          [&](size_t i, int) { emitted.push_back(i); });
    };
    CHECK_THROWS_WITH(run(), "item 7");
    CHECK(emitted == std::vector<size_t>{0, 1, 2, 3, 4, 5, 6});
  }
}

TEST_CASE("no items, no work", "[walk][in-order]") {
  bool called = false;
  computeInParallelEmitInOrder<int>(
      0, 4, [&](size_t) { return called = true, 0; }, [&](size_t, int) { called = true; });
  CHECK_FALSE(called);
}
