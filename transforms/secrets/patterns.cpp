#include "transforms/secrets/patterns.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <stdexcept>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "util/go_text.h"
#include "util/text.h"

namespace dfopt::transforms::secrets {
namespace {

// Shannon entropy in bits per character.
double entropy(std::string_view text) {
  std::map<char, size_t> counts;
  for (char c : text) ++counts[c];
  double bits = 0;
  for (const auto& [c, count] : counts) {
    double p = static_cast<double>(count) / static_cast<double>(text.size());
    bits -= p * std::log2(p);
  }
  return bits;
}

bool hasCharacter(std::string_view text, int (*kind)(int)) {
  for (char c : text) {
    if (kind(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

// A token or key as generated: 32 characters or more of base64 or
// URL-safe base64, mixing upper case, lower case and digits (so checksums,
// which are hex, and words are not), with high entropy.
bool looksRandom(std::string_view value) {
  static const RE2 charset(R"([A-Za-z0-9+/=_-]{32,})");
  if (!RE2::FullMatch(value, charset)) return false;
  if (!hasCharacter(value, std::isupper) || !hasCharacter(value, std::islower) ||
      !hasCharacter(value, std::isdigit)) {
    return false;
  }
  return entropy(value) >= 4.3;
}

}  // namespace

bool nameLooksSecret(std::string_view name) {
  // The same patterns as BuildKit's getSecretsRegex (Go's regexp is RE2).
  static const RE2 deny(
      R"((?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$))");
  static const RE2 allow(R"((?i)(?:_|^)(?:public|file|version)(?:_|$))");
  return RE2::PartialMatch(name, deny) && !RE2::PartialMatch(name, allow);
}

std::string keyShape(std::string_view value) {
  // Each shape with the words one of which it holds: a value with none is
  // no shape's, told for a few searches instead of the set's match
  // (thousands of instructions, on every value of every ENV and ARG).
  struct Shape {
    const char* pattern;
    const char* name;
    std::initializer_list<std::string_view> words;
  };
  static const Shape shapes[] = {
      {R"(-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----)", "a private key", {"-----BEGIN "}},
      {R"(\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)", "an AWS access key", {"AKIA", "ASIA"}},
      {R"(\bgh[pousr]_[A-Za-z0-9]{36,}\b)", "a GitHub token", {"gh"}},
      {R"(\bgithub_pat_[A-Za-z0-9_]{22,})", "a GitHub token", {"github_pat_"}},
      {R"(\bglpat-[A-Za-z0-9_-]{20,})", "a GitLab token", {"glpat-"}},
      {R"(\bxox[abprs]-[A-Za-z0-9-]{10,})", "a Slack token", {"xox"}},
      {R"(\b[rs]k_live_[0-9A-Za-z]{24,})", "a Stripe key", {"k_live_"}},
      {R"(\bAIza[0-9A-Za-z_-]{35}\b)", "a Google API key", {"AIza"}},
  };
  // All shapes in one pass over the value; the first that matches names it.
  static const RE2::Set all = [] {
    RE2::Set set(RE2::Options(), RE2::UNANCHORED);
    for (const Shape& shape : shapes) {
      if (set.Add(shape.pattern, nullptr) < 0) throw std::logic_error(shape.pattern);
    }
    if (!set.Compile()) throw std::logic_error("secret shapes do not compile");
    return set;
  }();
  bool mayHaveShape = std::any_of(std::begin(shapes), std::end(shapes), [&](const Shape& shape) {
    return std::any_of(shape.words.begin(), shape.words.end(),
                       [&](std::string_view word) { return value.find(word) != value.npos; });
  });
  std::vector<int> matched;
  RE2::Set::ErrorInfo error{RE2::Set::kNoError};
  if (mayHaveShape && all.Match(value, &matched, &error))
    return shapes[*std::min_element(matched.begin(), matched.end())].name;
  if (error.kind != RE2::Set::kNoError) {  // the set's DFA ran out of memory: each shape on its own
    for (const Shape& shape : shapes) {
      if (RE2::PartialMatch(value, RE2(shape.pattern))) return shape.name;
    }
  }
  if (looksRandom(value)) return "a long random string";
  return "";
}

bool isTemplatePlaceholder(std::string_view value) {
  static const RE2 placeholder(R"(%%[A-Za-z0-9_-]+%%)");
  return RE2::FullMatch(value, placeholder);
}

bool skipsCheck(std::string_view value, std::string_view rule) {
  while (!value.empty()) {
    size_t semicolon = value.find(';');
    std::string_view part = value.substr(0, semicolon);
    value = semicolon == std::string_view::npos ? std::string_view() : value.substr(semicolon + 1);
    size_t equals = part.find('=');
    if (equals == std::string_view::npos || golang::trimSpace(part.substr(0, equals)) != "skip") continue;
    std::string_view rules = golang::trimSpace(part.substr(equals + 1));
    if (rules == "all") return true;
    while (!rules.empty()) {
      size_t comma = rules.find(',');
      if (golang::trimSpace(rules.substr(0, comma)) == rule) return true;
      rules = comma == std::string_view::npos ? std::string_view() : rules.substr(comma + 1);
    }
  }
  return false;
}

bool isPublicFingerprint(std::string_view name, std::string_view value) {
  static const RE2 fingerprints(R"((?:0x)?[0-9A-Fa-f]{16,40}(?:\s+(?:0x)?[0-9A-Fa-f]{16,40})*)");
  std::string upper = text::upper(name);
  if (!text::contains(upper, "GPG") && !text::contains(upper, "PGP")) return false;
  return RE2::FullMatch(value, fingerprints);
}

}  // namespace dfopt::transforms::secrets
