#include "engine/ignores.h"

#include <algorithm>

#include <fmt/format.h>
#include <re2/re2.h>

#include "util/go_text.h"
#include "util/text.h"

namespace dfopt::engine {
namespace {

constexpr std::string_view kForms =
    "`dfopt: ignore[NAME,...] -- reason` or `dfopt: ignore-file[NAME,...] -- reason`";

std::vector<std::string> splitNames(std::string_view list, std::string& error) {
  std::vector<std::string> names;
  size_t at = 0;
  for (;;) {
    size_t comma = list.find(',', at);
    std::string name = text::lower(golang::trimSpace(list.substr(at, comma - at)));
    if (name.empty()) {
      error = fmt::format("an empty transform name in the brackets; expected {}", kForms);
      return {};
    }
    names.push_back(std::move(name));
    if (comma == std::string_view::npos) return names;
    at = comma + 1;
  }
}

}  // namespace

bool Pragma::covers(std::string_view transform) const {
  return error.empty() && (names.empty() || text::isOneOf(transform, names));
}

std::optional<Pragma> parsePragma(std::string_view commentText) {
  // Most comments are not addressed to dfopt: their first five letters tell
  // without a match (no letter of "dfopt" has a case outside ASCII).
  if (commentText.size() < 5 || text::lower(commentText.substr(0, 5)) != "dfopt") return std::nullopt;
  static const RE2 addressed(R"((?i)dfopt\s*:.*)");
  static const RE2 ignore(R"((?i)dfopt\s*:\s*(ignore-file|ignore)(?:\s*\[([^\]]*)\])?\s*(?:--(.*))?)");
  re2::StringPiece text(commentText.data(), commentText.size());
  if (!RE2::FullMatch(text, addressed)) return std::nullopt;
  Pragma pragma;
  std::string keyword;
  re2::StringPiece names;  // an unmatched group has no data
  re2::StringPiece reason;
  if (!RE2::FullMatch(text, ignore, &keyword, &names, &reason)) {
    pragma.error = fmt::format("not an ignore dfopt understands; expected {}", kForms);
    return pragma;
  }
  pragma.scope = text::lower(keyword) == "ignore-file" ? IgnoreScope::File : IgnoreScope::Instruction;
  pragma.reason = golang::trimSpace(std::string_view(reason.data(), reason.size()));
  if (names.data()) pragma.names = splitNames(std::string_view(names.data(), names.size()), pragma.error);
  return pragma;
}

bool Ignore::silences(std::string_view transform, std::optional<size_t> at) const {
  if (!pragma.covers(transform)) return false;
  return pragma.scope == IgnoreScope::File || (instruction && instruction == at);
}

std::vector<Ignore> readIgnores(const model::Dockerfile& file) {
  std::vector<Ignore> ignores;
  auto add = [&](const model::Comment& comment, std::optional<size_t> instruction) {
    std::optional<Pragma> pragma = parsePragma(comment.text);
    if (!pragma) return;
    if (pragma->scope == IgnoreScope::File) instruction.reset();
    ignores.push_back({std::move(*pragma), comment, instruction});
  };
  std::vector<uint32_t> attached;
  for (size_t i = 0; i < file.instructions.size(); ++i) {
    const model::Instruction& instruction = file.instructions[i];
    for (const auto* comments : {&instruction.comments, &instruction.innerComments}) {
      for (const model::Comment& comment : *comments) {
        add(comment, i);
        attached.push_back(comment.range.begin);
      }
    }
  }
  std::sort(attached.begin(), attached.end());  // searched once per comment of the file
  for (const model::Comment& comment : file.comments) {
    if (!std::binary_search(attached.begin(), attached.end(), comment.range.begin))
      add(comment, std::nullopt);
  }
  std::sort(ignores.begin(), ignores.end(),
            [](const Ignore& a, const Ignore& b) { return a.comment.range.begin < b.comment.range.begin; });
  return ignores;
}

}  // namespace dfopt::engine
