#include "model/parse.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "model/reuse.h"
#include "model/words.h"
#include "syntax/outline.h"
#include "syntax/syntax_tree.h"
#include "util/text.h"

namespace dfopt::model {
namespace {

using syntax::Outline;
using syntax::OutlineItem;
using syntax::OutlineKind;
using syntax::PartKind;
using syntax::SourceText;
using syntax::SyntaxTree;

std::string_view trim(std::string_view text) {
  const char* blanks = " \t\r\n\v\f";
  size_t begin = text.find_first_not_of(blanks);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(blanks) - begin + 1);
}

class ParseError : public std::runtime_error {
 public:
  ParseError(uint32_t offset, const std::string& message) : std::runtime_error(message), offset(offset) {}
  uint32_t offset;
};

// What BuildKit drops from an instruction's joined line (continuations,
// and comment and empty lines within them), with the comments.
struct DroppedParts {
  std::vector<ByteRange> dropped;
  std::vector<Comment> innerComments;
  bool emptyContinuationLine = false;
};

DroppedParts droppedParts(const OutlineItem& item, const SourceText& source) {
  DroppedParts parts;
  for (const syntax::OutlinePart& part : item.parts) {
    ByteRange range = part.range;
    if (part.kind == PartKind::LineContinuation || part.kind == PartKind::FinalContinuation) {
      parts.dropped.push_back(range);
      continue;
    }
    uint32_t lineStart = source.lineStart(source.lineOf(range.begin));
    parts.dropped.push_back({lineStart, range.end});
    if (part.kind == PartKind::EmptyContinuationLine) {
      parts.emptyContinuationLine = true;
    } else {
      std::string_view text = trim(source.slice(range));
      parts.innerComments.push_back({{range.begin, range.begin + static_cast<uint32_t>(text.size())},
                                     std::string(trim(text.substr(1)))});
    }
  }
  return parts;
}

// Joins the instruction's lines as BuildKit's line reader does.
LogicalLine joinLines(const SourceText& source, ByteRange text, std::vector<ByteRange> dropped) {
  std::sort(dropped.begin(), dropped.end(), [](ByteRange a, ByteRange b) { return a.begin < b.begin; });
  LogicalLine line;
  line.text.reserve(text.size());  // at most; growing by doubling would keep up to twice that
  size_t afterLastContinuation = 0;
  auto next = dropped.begin();
  for (uint32_t at = text.begin; at < text.end;) {
    if (next != dropped.end() && at >= next->begin) {
      at = std::max(at, next->end);
      afterLastContinuation = line.text.size();
      ++next;
      continue;
    }
    // the bytes up to the next dropped range, or the end, go in one piece
    uint32_t end = next != dropped.end() ? std::min(text.end, next->begin) : text.end;
    line.append(std::string_view(source.bytes()).substr(at, end - at), at);
    at = end;
  }
  size_t kept = line.text.size();
  while (kept > 0 && (line.text[kept - 1] == '\n' || line.text[kept - 1] == '\r')) --kept;
  line.truncate(kept);
  // A blank last line after a continuation, at the end of the file, is an
  // empty continuation line too. (The carriage returns just dropped may have
  // come before the last continuation: `a \<CR>\` at the end of the file.)
  afterLastContinuation = std::min(afterLastContinuation, kept);
  if (!dropped.empty() && trim(std::string_view(line.text).substr(afterLastContinuation)).empty()) {
    line.truncate(afterLastContinuation);
  }
  return line;
}

Flag makeFlag(std::string_view processed, ByteRange range) {
  Flag flag;
  std::string_view body = processed.substr(std::min<size_t>(2, processed.size()));
  size_t equals = body.find('=');
  flag.name = std::string(body.substr(0, equals));
  if (equals != std::string_view::npos) {
    flag.hasValue = true;
    flag.value = std::string(body.substr(equals + 1));
  }
  flag.range = range;
  return flag;
}

bool isShellCommand(std::string_view command) {
  return command == "run" || command == "cmd" || command == "entrypoint" || command == "shell";
}

bool isWholeStringCommand(std::string_view command) {
  return command == "maintainer" || command == "user" || command == "workdir" || command == "stopsignal";
}

// HEALTHCHECK: its type word (CMD, NONE), then its command, whole or as
// JSON strings.
std::vector<Span> healthcheckSpans(const Instruction& instruction, Span rest) {
  const std::string& text = instruction.line.text;
  Span type = whitespaceWordSpans(text, rest).front();
  Span command{type.end, rest.end};
  while (command.begin < command.end && std::isspace(static_cast<unsigned char>(text[command.begin]))) {
    ++command.begin;
  }
  std::vector<Span> spans{type};
  if (instruction.jsonForm) {
    for (Span s : jsonStringSpans(text, command)) spans.push_back(s);
  } else if (command.begin < command.end) {
    spans.push_back(command);
  }
  return spans;
}

std::vector<Span> argumentSpans(const Instruction& instruction, Span rest, char escape) {
  const std::string& text = instruction.line.text;
  const std::string& command = instruction.command;
  if (rest.end <= rest.begin) return {};
  if (command == "healthcheck") return healthcheckSpans(instruction, rest);
  if (instruction.jsonForm) return jsonStringSpans(text, rest);
  if (isShellCommand(command) || isWholeStringCommand(command)) return {rest};
  if (command == "env" || command == "label" || command == "arg") {
    return shellWordSpans(text, rest, escape);
  }
  return whitespaceWordSpans(text, rest);
}

class ModelBuilder {
 public:
  ModelBuilder(std::shared_ptr<const SourceText> source, const Outline& outline, Dockerfile* previous)
      : outline_(outline), reusable_(previous) {
    file_.source = std::move(source);
  }

  Dockerfile build() {
    const std::string& bytes = source().bytes();
    file_.finalNewline = bytes.empty() || bytes.back() == '\n';
    // tree-sitter's lexer skips a leading byte order mark, as BuildKit does
    file_.hasByteOrderMark = bytes.starts_with("\xEF\xBB\xBF");
    file_.crlf = countCrlf() * 2 > source().lineCount();
    // Exactly: a vector grown by doubling holds up to twice the instructions
    // and, while it grows, both copies.
    size_t instructions =
        std::count_if(outline_.items.begin(), outline_.items.end(),
                      [](const OutlineItem& item) { return item.kind == OutlineKind::Instruction; });
    file_.instructions.reserve(instructions);
    for (const OutlineItem& item : outline_.items) addTopLevel(item);
    if (file_.instructions.empty()) {
      throw ParseError(static_cast<uint32_t>(bytes.size()), "file with no instructions");
    }
    buildStages();
    return std::move(file_);
  }

 private:
  const SourceText& source() const { return *file_.source; }

  // The line ends that are CRLF: the byte before each line's start (but the
  // first's) is its '\n'.
  size_t countCrlf() const {
    const std::string& bytes = source().bytes();
    size_t count = 0;
    for (uint32_t line = 2; line <= source().lineCount(); ++line) {
      uint32_t start = source().lineStart(line);
      count += start >= 2 && bytes[start - 2] == '\r';
    }
    return count;
  }

  void addTopLevel(const OutlineItem& item) {
    switch (item.kind) {
      case OutlineKind::Directive:
        addDirective(item.range);
        break;
      case OutlineKind::Comment:
        addComment(item.range);
        break;
      case OutlineKind::Instruction:
        addInstruction(item);
        break;
    }
  }

  void addDirective(ByteRange range) {
    std::string_view text = trim(source().slice(range).substr(1));
    size_t equals = text.find('=');
    Directive directive{text::lower(trim(text.substr(0, equals))), std::string(trim(text.substr(equals + 1))),
                        range};
    if (directive.value.empty()) directive.value.push_back(' ');  // BuildKit's (.+?) keeps one blank
    if (file_.directive(directive.name)) {
      throw ParseError(directive.range.begin,
                       fmt::format("only one {} parser directive can be used", directive.name));
    }
    if (directive.name == "escape") {
      if (directive.value != "`" && directive.value != "\\") {
        throw ParseError(directive.range.begin,
                         fmt::format("invalid escape token '{}' does not match ` or \\", directive.value));
      }
      file_.escape = directive.value[0];
    }
    file_.directives.push_back(std::move(directive));
  }

  void addComment(ByteRange range) {
    std::string_view text = trim(source().slice(range));
    Comment comment{{range.begin, range.begin + static_cast<uint32_t>(text.size())},
                    std::string(trim(text.substr(1)))};
    // Comments directly above an instruction belong to it; a blank line or
    // an empty `#` line breaks the run, as in BuildKit.
    uint32_t line = source().lineOf(range.begin);
    if (line != lastCommentLine_ + 1 || comment.text.empty()) pendingComments_.clear();
    if (!comment.text.empty()) pendingComments_.push_back(comment);
    lastCommentLine_ = line;
    file_.comments.push_back(std::move(comment));
  }

  void addInstruction(const OutlineItem& item) {
    Instruction instruction = reuseOrReadInstruction(item);
    if (instruction.startLine == lastCommentLine_ + 1) instruction.comments = pendingComments_;
    pendingComments_.clear();
    lastCommentLine_ = 0;
    for (const Comment& c : instruction.innerComments) file_.comments.push_back(c);
    file_.instructions.push_back(std::move(instruction));
  }

  Instruction reuseOrReadInstruction(const OutlineItem& item) {
    ByteRange range = item.range;
    std::optional<Instruction> reused = reusable_.take(source().slice(range), range.begin, file_.escape);
    if (!reused) return readInstruction(item);
    placeInSource(*reused);
    return std::move(*reused);
  }

  Instruction readInstruction(const OutlineItem& item) {
    Instruction instruction;
    instruction.range = item.range;
    DroppedParts parts = droppedParts(item, source());
    uint32_t textEnd = item.heredocs.empty() ? instruction.range.end : item.heredocs[0].range.begin;
    uint32_t textBegin = item.keyword.begin;
    instruction.innerComments = std::move(parts.innerComments);
    instruction.line = joinLines(source(), {textBegin, textEnd}, std::move(parts.dropped));
    if (parts.emptyContinuationLine) {
      // BuildKit's warning, word for word
      file_.warnings.push_back(
          {instruction.range.begin, "Empty continuation line found in: " + instruction.line.text});
    }
    analyse(instruction, 0);
    readHeredocs(instruction, item.heredocs);
    placeInSource(instruction);
    return instruction;
  }

  // Its positions: lines and columns of its start and end, and the lines
  // BuildKit numbers it by.
  void placeInSource(Instruction& instruction) const {
    instruction.start = source().position(instruction.range.begin);
    instruction.end = source().position(instruction.range.end);
    instruction.startLine = instruction.start.line;
    uint32_t last = instruction.range.end;
    while (last > instruction.range.begin &&
           (source().bytes()[last - 1] == '\n' || source().bytes()[last - 1] == '\r')) {
      --last;
    }
    instruction.endLine = source().lineOf(last);
  }

  // Fills keyword, flags and arguments from the joined line, starting at
  // logical offset `from` (non-zero for ONBUILD's trigger).
  void analyse(Instruction& instruction, size_t from) {
    const LogicalLine& line = instruction.line;
    std::string_view text = std::string_view(line.text).substr(from);
    uint32_t at = from < line.text.size() ? line.sourceOffset(from) : instruction.range.begin;
    auto parsed = buildkit::parseInstructionLine(text, file_.escape);
    if (auto* error = std::get_if<buildkit::ParseError>(&parsed)) {
      throw ParseError(at, error->message);
    }
    instruction.buildkit = std::move(std::get<buildkit::Node>(parsed));
    CommandSpans spans = splitCommandSpans(line.text, from, file_.escape);
    instruction.keyword = line.text.substr(spans.keyword.begin, spans.keyword.end - spans.keyword.begin);
    instruction.command = text::lower(instruction.keyword);
    instruction.keywordRange = line.sourceRange(spans.keyword.begin, spans.keyword.end);
    instruction.lineRange = line.sourceRange(spans.keyword.begin, line.text.size());
    for (size_t i = 0; i < spans.flags.size() && i < instruction.buildkit.flags.size(); ++i) {
      instruction.flags.push_back(makeFlag(instruction.buildkit.flags[i],
                                           line.sourceRange(spans.flags[i].begin, spans.flags[i].end)));
    }
    instruction.jsonForm = instruction.buildkit.json;
    instruction.argumentsRange = line.sourceRange(spans.rest.begin, spans.rest.end);
    instruction.argumentsBegin = spans.rest.begin;
    instruction.argumentsEnd = spans.rest.end;
    if (instruction.command == "onbuild" && !instruction.buildkit.children.empty()) {
      auto trigger = std::make_shared<Instruction>();
      trigger->line = line;
      trigger->range = instruction.argumentsRange;
      analyse(*trigger, spans.rest.begin);
      instruction.trigger = std::move(trigger);
      return;
    }
    for (Span span : argumentSpans(instruction, spans.rest, file_.escape)) {
      instruction.arguments.push_back(
          {line.text.substr(span.begin, span.end - span.begin), line.sourceRange(span.begin, span.end)});
    }
  }

  void readHeredocs(Instruction& instruction, const std::vector<syntax::OutlineHeredoc>& nodes) {
    std::vector<buildkit::HeredocWord> words;
    const buildkit::Node& node = instruction.buildkit;
    if (instruction.line.text.find("<<") != std::string::npos && buildkit::canContainHeredoc(node)) {
      words = buildkit::heredocsFromLine(instruction.line.text);
    }
    if (words.size() != nodes.size()) {
      throw ParseError(instruction.range.begin, fmt::format("cannot tell where the heredocs of this {} end "
                                                            "(BuildKit opens {}, dfopt's grammar {})",
                                                            instruction.keyword, words.size(), nodes.size()));
    }
    for (size_t i = 0; i < words.size(); ++i) {
      Heredoc heredoc{words[i].name, words[i].fileDescriptor, words[i].expand, words[i].chomp, "",
                      nodes[i].range};
      if (nodes[i].body) heredoc.content = std::string(source().slice(*nodes[i].body));
      instruction.heredocs.push_back(std::move(heredoc));
    }
  }

  void buildStages() {
    for (size_t i = 0; i < file_.instructions.size(); ++i) {
      const Instruction& instruction = file_.instructions[i];
      if (!instruction.is("from")) continue;
      if (!file_.stages.empty()) file_.stages.back().end = i;
      Stage stage;
      stage.index = file_.stages.size();
      stage.from = i;
      const auto& args = instruction.arguments;
      if (!args.empty()) stage.baseImage = args[0].text;
      if (args.size() >= 3 && text::lower(args[1].text) == "as") stage.name = args[2].text;
      if (const Flag* platform = instruction.flag("platform")) stage.platform = platform->value;
      file_.stages.push_back(std::move(stage));
    }
    if (!file_.stages.empty()) file_.stages.back().end = file_.instructions.size();
    for (Stage& stage : file_.stages) {
      for (size_t i = stage.from + 1; i < stage.end; ++i) {
        const Instruction& instruction = file_.instructions[i];
        if (instruction.is("arg") || instruction.is("env")) stage.declarations.push_back(i);
        if (instruction.is("workdir")) stage.workdirs.push_back(i);
      }
    }
  }

  const Outline& outline_;
  ReusableInstructions reusable_;
  Dockerfile file_;
  std::vector<Comment> pendingComments_;
  uint32_t lastCommentLine_ = 0;
};

void buildModel(ParseOutcome& outcome, const Outline& outline, Dockerfile* previous) {
  try {
    outcome.dockerfile = ModelBuilder(outcome.source, outline, previous).build();
  } catch (const ParseError& error) {
    outcome.errors.push_back({error.offset, error.what()});
  }
}

// By the grammar's scanner alone (syntax/outline.h), when it can say what
// tree-sitter's tree would be: there is then no tree to keep.
std::optional<ParseOutcome> parseByScanner(std::string& bytes, ChangedText& changed, bool keepOutline) {
  std::optional<Outline> outline =
      changed.previousOutline ? syntax::readOutlineAgain(bytes, *changed.previousOutline, changed.changes)
                              : syntax::readOutline(bytes);
  if (!outline) return std::nullopt;
  ParseOutcome outcome;
  outcome.source = std::make_shared<const SourceText>(std::move(bytes));
  buildModel(outcome, *outline, changed.previousModel);
  if (keepOutline && outcome.dockerfile)
    outcome.outline = std::make_shared<const Outline>(std::move(*outline));
  return outcome;
}

// From tree-sitter's tree, which says what is wrong with a text that does
// not parse.
ParseOutcome parseFromTree(SyntaxTree tree, Dockerfile* previous, bool keepTree) {
  ParseOutcome outcome;
  outcome.source = tree.sharedSource();
  for (const syntax::SyntaxError& error : tree.errors()) {
    outcome.errors.push_back({error.offset, error.message});
  }
  std::optional<Outline> outline;
  if (outcome.errors.empty()) outline = syntax::outlineOf(tree);
  // not asked for: freed before the model is built
  if (keepTree) {
    outcome.tree = std::make_shared<const SyntaxTree>(std::move(tree));
  } else {
    SyntaxTree freed = std::move(tree);
  }
  if (outline) buildModel(outcome, *outline, previous);
  return outcome;
}

std::optional<ParseOutcome> encodingProblem(std::string& bytes) {
  auto problem = syntax::findEncodingProblem(bytes);
  if (!problem) return std::nullopt;
  ParseOutcome outcome;
  outcome.source = std::make_shared<const SourceText>(std::move(bytes));
  outcome.errors.push_back({problem->offset, problem->message});
  return outcome;
}

}  // namespace

ParseOutcome parseDockerfile(std::string bytes) {
  if (auto problem = encodingProblem(bytes)) return std::move(*problem);
  ChangedText whole;
  if (auto outcome = parseByScanner(bytes, whole, false)) return std::move(*outcome);
  return parseFromTree(SyntaxTree::parse(std::move(bytes)), nullptr, false);
}

ParseOutcome parseDockerfileKeepingTree(std::string bytes, ChangedText changed) {
  if (auto problem = encodingProblem(bytes)) return std::move(*problem);
  if (auto outcome = parseByScanner(bytes, changed, true)) return std::move(*outcome);
  SyntaxTree tree = changed.previous
                        ? SyntaxTree::reparse(std::move(bytes), *changed.previous, std::move(changed.changes))
                        : SyntaxTree::parse(std::move(bytes));
  return parseFromTree(std::move(tree), changed.previousModel, true);
}

}  // namespace dfopt::model
