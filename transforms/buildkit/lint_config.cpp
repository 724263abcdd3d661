#include "transforms/buildkit/lint_config.h"

#include <algorithm>
#include <optional>

#include "engine/style.h"
#include "util/go_text.h"
#include "util/text.h"

namespace dfopt::transforms::buildkit {
namespace {

struct LintConfig {
  bool skipAll = false;
  bool experimentalAll = false;
  std::vector<std::string> skip;
  std::vector<std::string> experimental;
};

std::vector<std::string> splitRules(std::string_view value) {
  std::vector<std::string> rules;
  size_t at = 0;
  for (;;) {
    size_t comma = value.find(',', at);
    rules.emplace_back(golang::trimSpace(value.substr(at, comma - at)));
    if (comma == std::string_view::npos) return rules;
    at = comma + 1;
  }
}

// linter.ParseLintOptions; nothing when BuildKit would reject the options.
std::optional<LintConfig> parseLintOptions(std::string_view options) {
  LintConfig config;
  options = golang::trimSpace(options);
  if (options.empty()) return config;
  int parts = 0;
  size_t at = 0;
  while (at != std::string_view::npos) {
    // strings.SplitN(s, ";", 3): the third part keeps any further ';'
    size_t semicolon = ++parts < 3 ? options.find(';', at) : std::string_view::npos;
    std::string_view part = options.substr(at, semicolon - at);
    at = semicolon == std::string_view::npos ? semicolon : semicolon + 1;
    size_t equals = part.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    std::string_view key = golang::trimSpace(part.substr(0, equals));
    std::string_view value = golang::trimSpace(part.substr(equals + 1));
    if (key == "skip") {
      if (value == "all")
        config.skipAll = true;
      else
        config.skip = splitRules(value);
    } else if (key == "experimental") {
      if (value == "all")
        config.experimentalAll = true;
      else
        config.experimental = splitRules(value);
    } else if (key != "error") {
      return std::nullopt;
    }
  }
  return config;
}

void merge(LintConfig& into, const LintConfig& other) {
  into.skipAll = into.skipAll || other.skipAll;
  into.experimentalAll = into.experimentalAll || other.experimentalAll;
  into.skip.insert(into.skip.end(), other.skip.begin(), other.skip.end());
  into.experimental.insert(into.experimental.end(), other.experimental.begin(), other.experimental.end());
}

// The `check=` options of a comment, as DirectiveParser.ParseLine reads a
// comment without its '#': `check = value`, the value up to its first space.
std::optional<std::string_view> checkComment(std::string_view comment) {
  size_t equals = comment.find('=');
  if (equals == std::string_view::npos) return std::nullopt;
  if (text::lower(golang::trimSpace(comment.substr(0, equals))) != "check") return std::nullopt;
  std::string_view value = golang::trimSpace(comment.substr(equals + 1));
  if (value.empty()) return std::nullopt;
  return value.substr(0, value.find(' '));
}

size_t indexOf(const model::Dockerfile& file, const model::Instruction* instruction) {
  return static_cast<size_t>(instruction - file.instructions.data());
}

}  // namespace

std::vector<std::string> previousComments(const model::Dockerfile& file, size_t index) {
  const std::string& bytes = file.source->bytes();
  uint32_t after = index == 0 ? 0 : file.instructions[index - 1].range.end;
  uint32_t before = file.instructions[index].range.begin;
  std::vector<std::string> comments;
  for (const model::Comment& comment : file.comments) {
    if (comment.range.begin < after || comment.range.begin >= before) continue;
    uint32_t begin = engine::lineStart(bytes, comment.range.begin);
    if (index == 0 && file.hasByteOrderMark && begin == 0) begin = 3;
    std::string_view line = std::string_view(bytes).substr(begin, comment.range.end - begin);
    std::string text(golang::trimSpace(line.substr(1)));
    if (text.empty())
      comments.clear();
    else
      comments.push_back(std::move(text));
  }
  return comments;
}

bool ruleEnabled(const model::Dockerfile& file, std::string_view rule, bool experimental,
                 const model::Instruction* instruction) {
  LintConfig config;
  if (const model::Directive* check = file.directive("check")) {
    if (auto parsed = parseLintOptions(check->value)) config = *parsed;
  }
  if (instruction != nullptr) {
    for (const std::string& comment : previousComments(file, indexOf(file, instruction))) {
      auto value = checkComment(comment);
      if (!value) continue;
      if (auto parsed = parseLintOptions(*value)) merge(config, *parsed);
      break;
    }
  }
  if (experimental) {
    return config.experimentalAll || text::isOneOf(rule, config.experimental);
  }
  return !config.skipAll && !text::isOneOf(rule, config.skip);
}

}  // namespace dfopt::transforms::buildkit
