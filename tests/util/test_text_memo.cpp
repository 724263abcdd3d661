// Results kept by the text they were computed from, within bounds.
#include <catch2/catch.hpp>

#include <string>
#include <thread>

#include "util/text_memo.h"

using dfopt::text::TextMemo;

TEST_CASE("a text memo computes a value once per key and shares it", "[util][memo]") {
  TextMemo<std::string> memo(1 << 10, 8);
  int computed = 0;
  auto upper = [&](std::string text) {
    ++computed;
    for (char& c : text) c = static_cast<char>(c - 32);
    return text;
  };
  auto first = memo.get("abc", [&] { return upper("abc"); });
  CHECK(*first == "ABC");
  CHECK(memo.get("abc", [&] { return upper("abc"); }) == first);
  CHECK(computed == 1);
  CHECK(*memo.get("abd", [&] { return upper("abd"); }) == "ABD");
  CHECK(computed == 2);
  CHECK(memo.find("abc") == first);
  CHECK(memo.find("ab") == nullptr);
  CHECK(memo.bytes() == 6);
}

TEST_CASE("a text memo starts again when its bytes or entries would pass the bounds", "[util][memo]") {
  TextMemo<int> byEntries(1 << 10, 2);
  byEntries.add("a", std::make_shared<const int>(1));
  byEntries.add("b", std::make_shared<const int>(2));
  byEntries.add("c", std::make_shared<const int>(3));  // a third: the first two go
  CHECK(byEntries.find("a") == nullptr);
  CHECK(byEntries.find("b") == nullptr);
  CHECK(*byEntries.find("c") == 3);
  CHECK(byEntries.bytes() == 1);

  TextMemo<int> byBytes(10, 100);
  byBytes.add("12345", std::make_shared<const int>(1));
  byBytes.add("6789", std::make_shared<const int>(2));
  CHECK(byBytes.bytes() == 9);
  byBytes.add("ab", std::make_shared<const int>(3));  // 11 bytes: the first two go
  CHECK(byBytes.find("12345") == nullptr);
  CHECK(*byBytes.find("ab") == 3);
  byBytes.add(std::string(11, 'x'), std::make_shared<const int>(4));  // over the bound alone: not kept
  CHECK(byBytes.find(std::string(11, 'x')) == nullptr);
  CHECK(*byBytes.find("ab") == 3);
  byBytes.clear();
  CHECK(byBytes.bytes() == 0);
  CHECK(byBytes.find("ab") == nullptr);
}

TEST_CASE("a text memo that fills up without answering once rests, then tries again", "[util][memo]") {
  TextMemo<int> memo(1 << 10, 4);
  int keysMade = 0;
  int computed = 0;
  auto ask = [&](int n) {
    return *memo.get(
        [&] {
          ++keysMade;
          return std::to_string(n);
        },
        [&] {
          ++computed;
          return n;
        });
  };
  for (int n = 0; n < 4; ++n) CHECK(ask(n) == n);  // fills it, answering none
  CHECK_FALSE(memo.resting());
  CHECK(ask(4) == 4);  // the fifth clears it, and it rests
  CHECK(memo.resting());
  CHECK(memo.find("4") == nullptr);
  keysMade = 0;
  computed = 0;
  for (int i = 0; i < 16; ++i) CHECK(ask(1) == 1);  // four fillings' worth: no keys, nothing kept
  CHECK(keysMade == 0);
  CHECK(computed == 16);
  CHECK_FALSE(memo.resting());
  CHECK(ask(1) == 1);
  CHECK(ask(1) == 1);  // kept again, and answered
  CHECK(keysMade == 2);
  CHECK(computed == 17);

  TextMemo<int> answering(1 << 10, 4);
  answering.get("a", [] { return 1; });
  answering.get("a", [] { return 1; });  // one answer
  for (int n = 0; n < 4; ++n) answering.get(std::to_string(n), [n] { return n; });
  CHECK_FALSE(answering.resting());  // cleared when full, but not resting
  CHECK(*answering.find("3") == 3);
}

TEST_CASE("a key of several texts tells apart lists that join to the same text", "[util][memo]") {
  auto keyOf = [](std::initializer_list<std::string_view> parts) {
    std::string key;
    for (std::string_view part : parts) dfopt::text::appendKeyPart(key, part);
    return key;
  };
  CHECK(keyOf({"ab", "c"}) != keyOf({"a", "bc"}));
  CHECK(keyOf({"abc", ""}) != keyOf({"abc"}));
  CHECK(keyOf({"", ""}) != keyOf({""}));
  CHECK(keyOf({"a", "b"}) == keyOf({"a", "b"}));
}

TEST_CASE("forgetThreadMemos empties every memo of the thread, a resting one too", "[util][memo]") {
  TextMemo<int> first(1 << 10, 4);
  TextMemo<int> resting(1 << 10, 2);
  int computed = 0;
  auto count = [&] { return ++computed; };
  first.get("a", count);
  for (const char* key : {"x", "y", "z"}) resting.get(key, count);  // filled without an answer: rests
  REQUIRE(resting.resting());
  {
    TextMemo<int> gone(1 << 10, 4);  // destroyed first: forgetting must not touch it
    gone.get("g", count);
  }
  dfopt::text::forgetThreadMemos();
  CHECK(first.bytes() == 0);
  CHECK_FALSE(resting.resting());
  computed = 0;
  first.get("a", count);
  first.get("a", count);
  CHECK(computed == 1);  // kept again after the forgetting
  size_t otherAfter = 1;
  std::thread([&] {
    TextMemo<int> other(1 << 10, 4);
    other.get("o", count);
    dfopt::text::forgetThreadMemos();  // another thread's: this thread's memos stay
    otherAfter = other.bytes();
  }).join();
  CHECK(otherAfter == 0);
  CHECK(first.bytes() == 1);
}
