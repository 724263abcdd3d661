#pragma once
// Results kept by the text they were computed from. The pipeline asks for
// the same ones again at every step (each new model has the RUNs of the one
// before), so a memo per thread answers most of them without recomputing.
// Bounded by the bytes of its keys and by their number: when either would
// be passed, all are dropped and it starts again (a file of a hundred
// thousand short RUNs would otherwise keep them all). The pipeline forgets
// a thread's memos when a file's run ends (forgetThreadMemos): what one file
// asks again is its own RUNs, and memory a later file would not ask for is
// memory the next one must take fresh from the system, a page fault a page.
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dfopt::text {

// Appends `part` to a key made of several texts, with its length first, so
// that no two lists of parts make the same key.
inline void appendKeyPart(std::string& key, std::string_view part) {
  const auto size = static_cast<uint32_t>(part.size());
  key.append(reinterpret_cast<const char*>(&size), sizeof size);
  key.append(part);
}

// A memo the thread that made it can forget all at once with the others.
class ThreadMemo {
 public:
  virtual void forget() = 0;
  ThreadMemo(const ThreadMemo&) = delete;
  ThreadMemo& operator=(const ThreadMemo&) = delete;

  // The memos made on this thread and not yet destroyed.
  static std::vector<ThreadMemo*>& ofThisThread() {
    thread_local std::vector<ThreadMemo*> memos;
    return memos;
  }

 protected:
  // A memo is made and destroyed on one thread (thread_local, or local).
  ThreadMemo() { ofThisThread().push_back(this); }
  virtual ~ThreadMemo() { std::erase(ofThisThread(), this); }
};

// Forgets every memo of this thread (a pipeline run ends).
inline void forgetThreadMemos() {
  for (ThreadMemo* memo : ThreadMemo::ofThisThread()) memo->forget();
}

template <class Value>
class TextMemo : public ThreadMemo {
 public:
  TextMemo(size_t maxBytes, size_t maxEntries) : maxBytes_(maxBytes), maxEntries_(maxEntries) {}

  // The value kept for `key`, or null.
  std::shared_ptr<const Value> find(std::string_view key) const {
    auto found = known_.find(key);
    return found == known_.end() ? nullptr : found->second;
  }
  // Keeps `value` for `key`, unless the key alone is over the bound.
  void add(std::string_view key, std::shared_ptr<const Value> value) {
    if (key.size() > maxBytes_) return;
    if (full(key)) clear();
    bytes_ += key.size();
    known_.emplace(std::string(key), std::move(value));
  }
  // The value kept for `key`, computed by `compute` (returning a Value) the
  // first time.
  template <class Compute>
  std::shared_ptr<const Value> get(std::string_view key, Compute compute) {
    return getWith([&] { return key; }, compute);
  }
  // The same with a key `keyOf()` makes, only when the memo is not resting.
  template <class KeyOf, class Compute>
  requires std::invocable<KeyOf> std::shared_ptr<const Value> get(KeyOf keyOf, Compute compute) {
    return getWith(keyOf, compute);
  }
  size_t bytes() const { return bytes_; }
  bool resting() const { return resting_ > 0; }
  void clear() {
    known_.clear();
    bytes_ = 0;
    hits_ = 0;
  }
  // Empty and answering again, as if new.
  void forget() override {
    clear();
    resting_ = 0;
  }

 private:
  template <class KeyOf, class Compute>
  std::shared_ptr<const Value> getWith(KeyOf keyOf, Compute compute) {
    if (resting_ > 0) {
      --resting_;
      return std::make_shared<const Value>(compute());
    }
    const auto key = keyOf();
    if (auto known = find(key)) {
      ++hits_;
      return known;
    }
    auto value = std::make_shared<const Value>(compute());
    // Filled without answering once, it is of no use to what asks it (a
    // file of more RUNs than it holds, read in turn: each is gone before it
    // is asked again). It rests for four fillings' worth of requests,
    // computing without making keys or keeping values, then tries again.
    if (full(key) && hits_ == 0) {
      clear();
      resting_ = 4 * maxEntries_;
      return value;
    }
    add(key, value);
    return value;
  }
  bool full(std::string_view key) const {
    return bytes_ + key.size() > maxBytes_ || known_.size() >= maxEntries_;
  }

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  std::unordered_map<std::string, std::shared_ptr<const Value>, Hash, std::equal_to<>> known_;
  size_t bytes_ = 0;
  size_t hits_ = 0;     // answers since the last clear
  size_t resting_ = 0;  // requests left to answer without the memo
  size_t maxBytes_;
  size_t maxEntries_;
};

}  // namespace dfopt::text
