#include "syntax/syntax_tree.h"

#include <algorithm>

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

// tree-sitter's point of an offset: 0-based row, column in bytes.
TSPoint pointAt(const SourceText& source, uint32_t offset) {
  uint32_t line = source.lineOf(offset);
  return {line - 1, offset - source.lineStart(line)};
}

// Sorted, with those that touch or overlap merged: two changes at one
// offset must be told to tree-sitter as one, whichever order they came in.
std::vector<TextChange> merged(std::vector<TextChange> changes) {
  std::sort(changes.begin(), changes.end(), [](const TextChange& a, const TextChange& b) {
    return a.range.begin < b.range.begin || (a.range.begin == b.range.begin && a.range.end < b.range.end);
  });
  std::vector<TextChange> out;
  for (const TextChange& change : changes) {
    if (out.empty() || change.range.begin > out.back().range.end) {
      out.push_back(change);
      continue;
    }
    TextChange& last = out.back();
    uint32_t end = std::max(last.range.end, change.range.end);
    int64_t size = int64_t{last.size} + (end - last.range.end) + change.size - change.range.size();
    last = {{last.range.begin, end}, static_cast<uint32_t>(size)};
  }
  return out;
}

// The edit of one change, the changes after it already told: its start and
// old end are points of the old text; its new end is its start moved over
// the bytes that replaced it, found at `newBegin` in the new text.
TSInputEdit editOf(const TextChange& change, uint32_t newBegin, const SourceText& before,
                   const SourceText& after) {
  TSInputEdit edit;
  edit.start_byte = change.range.begin;
  edit.old_end_byte = change.range.end;
  edit.new_end_byte = change.range.begin + change.size;
  edit.start_point = pointAt(before, change.range.begin);
  edit.old_end_point = pointAt(before, change.range.end);
  TSPoint from = pointAt(after, newBegin);
  TSPoint to = pointAt(after, newBegin + change.size);
  edit.new_end_point = to.row == from.row
                           ? TSPoint{edit.start_point.row, edit.start_point.column + change.size}
                           : TSPoint{edit.start_point.row + (to.row - from.row), to.column};
  return edit;
}

}  // namespace

SyntaxTree SyntaxTree::parse(std::string bytes) {
  return parse(std::make_shared<const SourceText>(std::move(bytes)), nullptr);
}

SyntaxTree SyntaxTree::reparse(std::string bytes, const SyntaxTree& previous,
                               std::vector<TextChange> changes) {
  changes = merged(std::move(changes));
  auto after = std::make_shared<const SourceText>(std::move(bytes));
  // tree-sitter edits a tree in place: the copy shares the nodes, and only
  // those the edits touch are copied.
  std::unique_ptr<TSTree, TreeDeleter> old(ts_tree_copy(previous.tree_.get()));
  std::vector<uint32_t> newBegins;
  int64_t delta = 0;
  for (const TextChange& change : changes) {
    newBegins.push_back(static_cast<uint32_t>(change.range.begin + delta));
    delta += int64_t{change.size} - change.range.size();
  }
  // From the last: each edit's offsets are then still those of the old text.
  for (size_t i = changes.size(); i-- > 0;) {
    TSInputEdit edit = editOf(changes[i], newBegins[i], previous.source(), *after);
    ts_tree_edit(old.get(), &edit);
  }
  return parse(std::move(after), old.get());
}

SyntaxTree SyntaxTree::parse(std::shared_ptr<const SourceText> source, TSTree* old) {
  SyntaxTree result;
  result.source_ = std::move(source);
  // One parser a thread: creating one for every file costs more than parsing.
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser = [] {
    std::unique_ptr<TSParser, ParserDeleter> created(ts_parser_new());
    ts_parser_set_language(created.get(), tree_sitter_dockerfile());
    return created;
  }();
  const std::string& text = result.source_->bytes();
  result.tree_.reset(
      ts_parser_parse_string(parser.get(), old, text.data(), static_cast<uint32_t>(text.size())));
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

namespace {

std::string describeNode(TSNode node) {
  TSPoint start = ts_node_start_point(node);
  TSPoint end = ts_node_end_point(node);
  return fmt::format("{} [{}, {}) {}:{}-{}:{}{}{}", ts_node_type(node), ts_node_start_byte(node),
                     ts_node_end_byte(node), start.row, start.column, end.row, end.column,
                     ts_node_is_missing(node) ? " missing" : "", ts_node_has_error(node) ? " has-error" : "");
}

std::optional<std::string> firstDifference(TSTreeCursor* a, TSTreeCursor* b) {
  std::string left = describeNode(ts_tree_cursor_current_node(a));
  std::string right = describeNode(ts_tree_cursor_current_node(b));
  const char* leftField = ts_tree_cursor_current_field_name(a);
  const char* rightField = ts_tree_cursor_current_field_name(b);
  if (leftField) left = fmt::format("{}: {}", leftField, left);
  if (rightField) right = fmt::format("{}: {}", rightField, right);
  if (left != right) return fmt::format("{} | {}", left, right);
  bool leftDown = ts_tree_cursor_goto_first_child(a);
  bool rightDown = ts_tree_cursor_goto_first_child(b);
  if (leftDown != rightDown) return fmt::format("{}: children in one tree only", left);
  if (!leftDown) return std::nullopt;
  for (;;) {
    if (auto difference = firstDifference(a, b)) return difference;
    bool leftNext = ts_tree_cursor_goto_next_sibling(a);
    bool rightNext = ts_tree_cursor_goto_next_sibling(b);
    if (leftNext != rightNext) return fmt::format("{}: more children in one tree", left);
    if (!leftNext) break;
  }
  ts_tree_cursor_goto_parent(a);
  ts_tree_cursor_goto_parent(b);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> firstDifference(const SyntaxTree& a, const SyntaxTree& b) {
  TSTreeCursor left = ts_tree_cursor_new(a.root());
  TSTreeCursor right = ts_tree_cursor_new(b.root());
  std::optional<std::string> difference = firstDifference(&left, &right);
  ts_tree_cursor_delete(&left);
  ts_tree_cursor_delete(&right);
  if (!difference && a.source().bytes() != b.source().bytes()) difference = "the texts differ";
  return difference;
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
