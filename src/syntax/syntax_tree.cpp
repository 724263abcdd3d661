#include "syntax/syntax_tree.h"

#include <fmt/format.h>

extern "C" const TSLanguage* tree_sitter_dockerfile();

namespace dfopt::syntax {
namespace {

struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};

std::string describeMissing(std::string_view type) {
  if (type == "heredoc_end") {
    return "unterminated heredoc: the file ends before the line that closes it";
  }
  return fmt::format("missing {}", type);
}

std::string describeUnexpected(std::string_view text) {
  std::string shown(text.substr(0, text.find('\n')));
  if (shown.size() > 40) shown = shown.substr(0, 40) + "...";
  if (shown.empty()) return "unexpected end of line";
  return fmt::format("cannot read this as part of a Dockerfile instruction: '{}'", shown);
}

void collectErrors(TSNode node, const SourceText& source, std::vector<SyntaxError>& out) {
  if (ts_node_is_missing(node)) {
    out.push_back({ts_node_start_byte(node), describeMissing(ts_node_type(node))});
    return;
  }
  if (std::string_view(ts_node_type(node)) == "ERROR") {
    ByteRange range{ts_node_start_byte(node), ts_node_end_byte(node)};
    out.push_back({range.begin, describeUnexpected(source.slice(range))});
    return;
  }
  if (!ts_node_has_error(node)) return;
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      collectErrors(ts_tree_cursor_current_node(&cursor), source, out);
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
}

void dumpCursor(TSTreeCursor* cursor, const SourceText& source, int depth, std::string& out) {
  TSNode node = ts_tree_cursor_current_node(cursor);
  const char* field = ts_tree_cursor_current_field_name(cursor);
  Position start = source.position(ts_node_start_byte(node));
  Position end = source.position(ts_node_end_byte(node));
  out += fmt::format("{:{}}{}{}({} [{}, {}) {}:{}-{}:{}", "", depth * 2, field ? field : "",
                     field ? ": " : "", ts_node_type(node), ts_node_start_byte(node), ts_node_end_byte(node),
                     start.line, start.column, end.line, end.column);
  if (ts_tree_cursor_goto_first_child(cursor)) {
    do {
      if (!ts_node_is_named(ts_tree_cursor_current_node(cursor))) continue;
      out += '\n';
      dumpCursor(cursor, source, depth + 1, out);
    } while (ts_tree_cursor_goto_next_sibling(cursor));
    ts_tree_cursor_goto_parent(cursor);
  }
  out += ')';
}

}  // namespace

SyntaxTree SyntaxTree::parse(std::string bytes) {
  SyntaxTree result;
  result.source_ = std::make_shared<const SourceText>(std::move(bytes));
  // One parser a thread: creating one for every file costs more than parsing.
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser = [] {
    std::unique_ptr<TSParser, ParserDeleter> created(ts_parser_new());
    ts_parser_set_language(created.get(), tree_sitter_dockerfile());
    return created;
  }();
  const std::string& text = result.source_->bytes();
  result.tree_.reset(
      ts_parser_parse_string(parser.get(), nullptr, text.data(), static_cast<uint32_t>(text.size())));
  collectErrors(result.root(), *result.source_, result.errors_);
  return result;
}

std::string_view SyntaxTree::text(TSNode node) const { return source_->slice(range(node)); }

ByteRange SyntaxTree::range(TSNode node) const { return {ts_node_start_byte(node), ts_node_end_byte(node)}; }

std::string SyntaxTree::dump() const {
  std::string out;
  TSTreeCursor cursor = ts_tree_cursor_new(root());
  dumpCursor(&cursor, *source_, 0, out);
  ts_tree_cursor_delete(&cursor);
  out += '\n';
  return out;
}

// A cursor, not ts_node_named_child(i): that walks the children from the
// first every time, so a loop over a node with n children would be n².
std::vector<TSNode> namedChildren(TSNode node) {
  std::vector<TSNode> children;
  children.reserve(ts_node_named_child_count(node));
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(child)) children.push_back(child);
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return children;
}

std::string_view nodeType(TSNode node) { return ts_node_type(node); }

}  // namespace dfopt::syntax
