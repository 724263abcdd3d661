#include "syntax/outline.h"

#include <fmt/format.h>

#include "syntax/syntax_tree.h"

namespace dfopt::syntax {
namespace {

std::optional<PartKind> partKind(std::string_view type) {
  if (type == "line_continuation") return PartKind::LineContinuation;
  if (type == "final_continuation") return PartKind::FinalContinuation;
  if (type == "continuation_comment") return PartKind::ContinuationComment;
  if (type == "empty_continuation_line") return PartKind::EmptyContinuationLine;
  return std::nullopt;
}

OutlineHeredoc heredocOf(TSNode node, const SyntaxTree& tree) {
  OutlineHeredoc heredoc{tree.range(node), std::nullopt};
  for (TSNode part : namedChildren(node)) {
    if (nodeType(part) == "heredoc_body") heredoc.body = tree.range(part);
  }
  return heredoc;
}

// An instruction's keyword, parts and heredocs; a trigger's children count
// as the instruction's own (its keyword comes after the instruction's).
void addChildren(TSNode node, const SyntaxTree& tree, OutlineItem& item, bool& keywordSeen) {
  for (TSNode child : namedChildren(node)) {
    std::string_view type = nodeType(child);
    if (type == "keyword") {
      if (!keywordSeen) item.keyword = tree.range(child);
      keywordSeen = true;
    } else if (type == "heredoc") {
      item.heredocs.push_back(heredocOf(child, tree));
    } else if (type == "trigger") {
      addChildren(child, tree, item, keywordSeen);
    } else if (auto kind = partKind(type)) {
      item.parts.push_back({*kind, tree.range(child)});
    }
  }
}

std::string describe(const OutlineItem& item) {
  static const char* kinds[] = {"directive", "comment", "instruction"};
  std::string out =
      fmt::format("{} [{}, {})", kinds[static_cast<int>(item.kind)], item.range.begin, item.range.end);
  if (item.kind != OutlineKind::Instruction) return out;
  out += fmt::format(" keyword [{}, {})", item.keyword.begin, item.keyword.end);
  for (const OutlinePart& part : item.parts) {
    out += fmt::format(" part{} [{}, {})", static_cast<int>(part.kind), part.range.begin, part.range.end);
  }
  for (const OutlineHeredoc& heredoc : item.heredocs) {
    out += fmt::format(" heredoc [{}, {})", heredoc.range.begin, heredoc.range.end);
    if (heredoc.body) out += fmt::format(" body [{}, {})", heredoc.body->begin, heredoc.body->end);
  }
  return out;
}

}  // namespace

Outline outlineOf(const SyntaxTree& tree) {
  Outline outline;
  for (TSNode node : namedChildren(tree.root())) {
    std::string_view type = nodeType(node);
    if (type == "parser_directive") {
      outline.items.push_back({OutlineKind::Directive, tree.range(node), {}, {}, {}});
    } else if (type == "comment") {
      outline.items.push_back({OutlineKind::Comment, tree.range(node), {}, {}, {}});
    } else if (type == "instruction") {
      OutlineItem item{OutlineKind::Instruction, tree.range(node), tree.range(node), {}, {}};
      bool keywordSeen = false;
      addChildren(node, tree, item, keywordSeen);
      outline.items.push_back(std::move(item));
    }
  }
  return outline;
}

std::optional<std::string> firstDifference(const Outline& a, const Outline& b) {
  size_t count = std::min(a.items.size(), b.items.size());
  for (size_t i = 0; i < count; ++i) {
    if (a.items[i] != b.items[i]) {
      return fmt::format("item {}: {} | {}", i, describe(a.items[i]), describe(b.items[i]));
    }
  }
  if (a.items.size() != b.items.size()) {
    return fmt::format("{} items | {} items", a.items.size(), b.items.size());
  }
  return std::nullopt;
}

}  // namespace dfopt::syntax
