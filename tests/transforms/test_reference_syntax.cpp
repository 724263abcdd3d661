// isValidReference reads distribution/reference's grammar by hand; its
// regular expressions (reference.go's, as dfopt matched them with RE2
// before) are the oracle here, over hand-picked references and a hundred
// thousand random ones.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include <re2/re2.h>

#include "transforms/buildkit/reference_syntax.h"

using dfopt::transforms::buildkit::isValidReference;

namespace {

const std::string kDomain =
    R"((?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?)";
const std::string kPath =
    R"([a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*)";

bool knownDigest(const std::string& digest) {
  size_t colon = digest.find(':');
  std::string algorithm = digest.substr(0, colon);
  std::string encoded = digest.substr(colon + 1);
  size_t length = algorithm == "sha256" ? 64 : algorithm == "sha384" ? 96 : algorithm == "sha512" ? 128 : 0;
  return length != 0 && encoded.size() == length &&
         encoded.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// reference.Parse by the regular expressions.
bool byRegexp(const std::string& reference) {
  static const RE2 pattern(
      "^((?:" + kDomain + "/)?" + kPath +
      R"()(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}))?$)");
  static const RE2 name("^(?:(" + kDomain + ")/)?(" + kPath + ")$");
  std::string fullName, tag, digest, domain, path;
  if (!RE2::FullMatch(reference, pattern, &fullName, &tag, &digest)) return false;
  if (RE2::FullMatch(fullName, name, &domain, &path) && path.size() > 255) return false;
  return digest.empty() || knownDigest(digest);
}

}  // namespace

TEST_CASE("isValidReference: hand-picked references as the regular expressions judge them", "[reference]") {
  const std::string sha = "sha256:" + std::string(64, 'a');
  for (const std::string& text : {std::string("docker.io/library/python"),
                                  std::string("docker.io/library/python:3.12-slim"),
                                  std::string("localhost:5000/app"),
                                  std::string("[::1]:5000/app:v1"),
                                  std::string("[::1]/app"),
                                  std::string("[]/app"),
                                  std::string("[::1"),
                                  std::string("ghcr.io/a/b/c"),
                                  std::string("a..b/c"),
                                  std::string("a-/b"),
                                  std::string("-a/b"),
                                  std::string("a/b__c"),
                                  std::string("a/b___c"),
                                  std::string("a/b--c"),
                                  std::string("a/b._c"),
                                  std::string("a/B"),
                                  std::string("A/b"),
                                  std::string("a/b:"),
                                  std::string(":tag"),
                                  std::string("a/b:.x"),
                                  std::string("a/b:x:y"),
                                  std::string("a:1/b:2"),
                                  std::string("a/b@") + sha,
                                  std::string("a/b:t@") + sha,
                                  std::string("a/b@sha256:abc"),
                                  std::string("a/b@md5:") + std::string(32, 'f'),
                                  std::string("a/b@a+b.c:") + std::string(40, 'F'),
                                  std::string("a/b@1a:") + std::string(40, 'f'),
                                  std::string("a/b@@") + sha,
                                  std::string("docker.io/library/") + std::string(300, 'a'),
                                  std::string("x/") + std::string(254, 'a'),
                                  std::string("x/") + std::string(256, 'a') + "@" + sha,
                                  std::string("a/b:") + std::string(128, 't'),
                                  std::string("a/b:") + std::string(129, 't'),
                                  std::string(""),
                                  std::string("/"),
                                  std::string("a//b"),
                                  std::string("a/b/")}) {
    CAPTURE(text);
    CHECK(isValidReference(text) == byRegexp(text));
  }
}

TEST_CASE("isValidReference: random references as the regular expressions judge them", "[reference]") {
  std::mt19937 random(20261208);
  // Mostly the characters the grammar gives a meaning to.
  const std::string alphabet = "ab0AZ9.-_/:@[]+f";
  size_t valid = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string text;
    size_t length = 1 + random() % 24;
    for (size_t j = 0; j < length; ++j) text += alphabet[random() % alphabet.size()];
    if (random() % 8 == 0) text += "@sha256:" + std::string(64, 'a');
    CAPTURE(text);
    bool expected = byRegexp(text);
    valid += expected;
    REQUIRE(isValidReference(text) == expected);
  }
  CHECK(valid > 100);  // the random texts reach the valid side too
}

TEST_CASE("isValidReference: random references built from the grammar, then mutated", "[reference]") {
  std::mt19937 random(8122026);
  auto pick = [&](std::initializer_list<const char*> options) {
    return std::string(*(options.begin() + random() % options.size()));
  };
  size_t valid = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string text;
    if (random() % 2) {  // a domain
      text += random() % 5 == 0 ? pick({"[::1]", "[fe80::a]", "[", "[]"})
                                : pick({"a", "ab", "a-b", "A9", "-a", "a-"});
      if (random() % 3 == 0) text += "." + pick({"io", "c0m", "x-y", "-", ""});
      if (random() % 3 == 0) text += ":" + pick({"5000", "", "x", "1"});
      text += "/";
    }
    int parts = 1 + static_cast<int>(random() % 3);
    for (int p = 0; p < parts; ++p) {
      if (p > 0) text += "/";
      text += pick({"a", "b0", "ab", "x", "", "A"});
      if (random() % 2) text += pick({".", "_", "__", "-", "---", "._", "___"}) + pick({"c", "9", "", "D"});
    }
    if (random() % 3 == 0) text += ":" + pick({"v1", "_x", ".x", "1.2-b", "", "a:b"});
    if (random() % 4 == 0)
      text += "@" + pick({"sha256", "a+b", "1x", "sha256-", "sha512"}) + ":" +
              std::string(32 + random() % 40, 'a');
    for (int m = static_cast<int>(random() % 3); m > 0 && !text.empty(); --m) {  // mutations
      size_t at = random() % text.size();
      const std::string alphabet = "a0A.-_/:@[]";
      switch (random() % 3) {
        case 0:
          text.erase(at, 1);
          break;
        case 1:
          text.insert(at, 1, alphabet[random() % alphabet.size()]);
          break;
        default:
          text[at] = alphabet[random() % alphabet.size()];
          break;
      }
    }
    CAPTURE(text);
    bool expected = byRegexp(text);
    valid += expected;
    REQUIRE(isValidReference(text) == expected);
  }
  CHECK(valid > 2000);
}
