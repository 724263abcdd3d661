#pragma once
// What each transform does, in a sentence and in a paragraph: the SARIF
// rules' shortDescription and help (the README's transform table says more).
#include <optional>
#include <string_view>

namespace dfopt::print {

struct TransformRule {
  std::string_view name;
  std::string_view summary;  // one sentence
  std::string_view help;     // what it changes and when it refuses
};

// The rule of transform `name`, or nothing for an unknown name.
std::optional<TransformRule> transformRule(std::string_view name);

}  // namespace dfopt::print
