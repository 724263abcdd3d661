#pragma once
// A parsed Dockerfile: the tree-sitter tree over a SourceText, plus the
// syntax errors found in it as file positions with readable messages.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tree_sitter/api.h>

#include "syntax/source_text.h"

namespace dfopt::syntax {

struct SyntaxError {
  uint32_t offset;
  std::string message;
};

class SyntaxTree {
 public:
  static SyntaxTree parse(std::string bytes);
  // The tree of `bytes`, the text of `previous` after `changes` (in its
  // offsets; they may touch but not overlap), parsed again only where the
  // changes reach: the result equals parse(bytes). `previous` is unchanged.
  static SyntaxTree reparse(std::string bytes, const SyntaxTree& previous, std::vector<TextChange> changes);

  const SourceText& source() const { return *source_; }
  std::shared_ptr<const SourceText> sharedSource() const { return source_; }
  TSNode root() const { return ts_tree_root_node(tree_.get()); }
  const std::vector<SyntaxError>& errors() const { return errors_; }
  bool ok() const { return errors_.empty(); }

  std::string_view text(TSNode node) const;
  ByteRange range(TSNode node) const;
  // S-expression with byte ranges and positions, one node a line.
  std::string dump() const;

 private:
  struct TreeDeleter {
    void operator()(TSTree* tree) const { ts_tree_delete(tree); }
  };
  std::shared_ptr<const SourceText> source_;
  std::unique_ptr<TSTree, TreeDeleter> tree_;
  std::vector<SyntaxError> errors_;

  static SyntaxTree parse(std::shared_ptr<const SourceText> source, TSTree* old);
};

// Where two trees first differ (in a node's type, field, byte range,
// tree-sitter point, or missing or error mark), as a readable line;
// nothing when they are the same.
std::optional<std::string> firstDifference(const SyntaxTree& a, const SyntaxTree& b);

// Named children of `node`, in order.
std::vector<TSNode> namedChildren(TSNode node);
std::string_view nodeType(TSNode node);

}  // namespace dfopt::syntax
