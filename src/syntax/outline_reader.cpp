// readOutline: the grammar's external scanner driven without tree-sitter's
// parser. The scanner is handed a lexer over the bytes that does what
// tree-sitter's does (code points as lookahead, a token from where the
// skipped blanks end to its marked end, the next token from there) and, at
// each point of grammar.js, the valid tokens of tree-sitter's parse state
// there (ts_external_scanner_states in grammar/src/parser.c).

#include "syntax/outline.h"

#include <algorithm>

#include "syntax/outline_lexer.h"
#include "util/go_text.h"

// The code point at `current`, as tree-sitter decodes valid UTF-8.
extern "C" void outline_lexer_decode(OutlineLexer* l) {
  if (l->current >= l->size) {
    l->lookahead = 0;
    l->lookahead_size = 0;
    return;
  }
  dfopt::golang::DecodedRune decoded = dfopt::golang::decodeRune(
      std::string_view(reinterpret_cast<const char*>(l->bytes), l->size), l->current);
  // findEncodingProblem lets no invalid sequence through; decline one all the same
  if (decoded.rune == dfopt::golang::kRuneError && decoded.width == 1) l->bad_text = true;
  l->lookahead = static_cast<int32_t>(decoded.rune);
  l->lookahead_size = static_cast<uint32_t>(decoded.width);
}

// Code points since the line's start, counted as tree-sitter counts them
// (the scanner asks after a line continuation).
extern "C" uint32_t outline_lexer_column(const OutlineLexer* l) {
  uint32_t start = l->current;
  while (start > 0 && l->bytes[start - 1] != '\n') --start;
  uint32_t count = 0;
  for (uint32_t i = start; i < l->current; ++i) count += (l->bytes[i] & 0xC0) != 0x80;
  return count;
}

namespace dfopt::syntax {
namespace {

// The external tokens, in grammar.js's order (scanner_base.h's TokenType).
enum Token : uint16_t {
  kDirective,
  kComment,
  kKeyword,
  kFlag,
  kWord,
  kLineContinuation,
  kContinuationComment,
  kEmptyContinuationLine,
  kEndOfLine,
  kFinalContinuation,
  kHeredocBody,
  kHeredocEnd,
  kErrorSentinel,
  kTokenCount
};

// Where the reader is in grammar.js, and the tokens valid there.
enum class At {
  LineStart,         // the file's start, or after a line that is not an instruction
  AfterInstruction,  // its line ended: its heredocs, or the next line
  LineEnd,           // after a directive or comment
  Flags,             // after an instruction's keyword or flag
  TriggerFlags,      // after an ONBUILD trigger's keyword or flag
  Words,             // after an argument word
  HeredocBody,       // after a heredoc's body: its closing line
  Count
};

const bool* validAt(At at) {
  // A row per At, in its order. Columns: directive, comment, keyword, flag,
  // word, the three extras (valid everywhere), end of line, final
  // continuation, heredoc body and end, error sentinel.
  static const bool valid[static_cast<int>(At::Count)][kTokenCount] = {
      {1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0},  // LineStart
      {1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0},  // AfterInstruction
      {0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0},  // LineEnd
      {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},  // Flags
      {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},  // TriggerFlags
      {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0},  // Words
      {0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0},  // HeredocBody
  };
  return valid[static_cast<int>(at)];
}

bool isExtra(uint16_t token) {
  return token == kLineContinuation || token == kContinuationComment || token == kEmptyContinuationLine;
}

struct Scanner {
  void* payload = outline_scanner_create();
  ~Scanner() { outline_scanner_destroy(payload); }
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) {
    lexer_.bytes = reinterpret_cast<const unsigned char*>(bytes.data());
    lexer_.size = static_cast<uint32_t>(bytes.size());
    size_t lastAngle = bytes.rfind('<');
    lexer_.last_angle_end = lastAngle == std::string_view::npos ? 0 : static_cast<uint32_t>(lastAngle + 1);
  }

  std::optional<Outline> read() {
    startAt(0);
    // tree-sitter's lexer skips a byte order mark at the very start
    if (lexer_.lookahead == 0xFEFF) outline_lexer_advance(&lexer_, true);
    return readOn();
  }

  // Reads the text again after `changes` (sorted, not overlapping, in the
  // offsets of the text `previous` was read from) made it of that text: from
  // the last item that begins before a change, up to the first item past
  // the change that begins where an item of `previous` began. From there
  // the text reads as it did (the same bytes, from a line start in the same
  // state) up to the next change: those items are taken, moved.
  std::optional<Outline> readAgain(const Outline& previous, std::vector<TextChange> changes) {
    const std::vector<OutlineItem>& items = previous.items;
    auto plain = std::find_if(items.begin(), items.end(),
                              [](const OutlineItem& item) { return item.kind != OutlineKind::Directive; });
    // a change up to the end of the first line that is no directive may
    // make it or the lines above directives, and set another escape
    // character; not past an instruction's first byte (a line that starts
    // with a keyword's letter is not one)
    uint32_t firstChange = changes.front().range.begin;
    if (plain == items.end()) return read();
    if (plain->kind == OutlineKind::Instruction ? firstChange <= plain->range.begin
                                                : firstChange <= plain->range.end) {
      return read();
    }
    size_t restart = restartFor(items, changes.front());
    bool resumable = restart > 0 && items[restart - 1].kind != OutlineKind::Directive;
    if (resumable && !readDirectives(items, plain)) return std::nullopt;
    again_.previous = &items;
    again_.deltaBefore.push_back(0);
    for (const TextChange& change : changes)
      again_.deltaBefore.push_back(again_.deltaBefore.back() + change.size - int64_t{change.range.size()});
    again_.changes = std::move(changes);
    if (!resumable) return read();
    resumeAt(0, restart, 0);
    return readOn();
  }

 private:
  std::optional<Outline> readOn() {
    for (;;) {
      int token = next();
      if (lexer_.bad_text || token == kDecline) return std::nullopt;
      if (token == kNoToken) break;
      if (again_.previous && startsItem(static_cast<uint16_t>(token)) && spliceAt(token_.begin)) {
        if (again_.passed == again_.changes.size()) return std::move(outline_);
        continue;
      }
      if (!take(static_cast<uint16_t>(token))) return std::nullopt;
    }
    // Out of tokens: the internal lexer's end of input, valid after a line.
    // It has no width and ends the tree where it is, before any blanks the
    // scanner skipped at the end of the file; anything else left there, the
    // tree would not hold.
    std::string_view rest(reinterpret_cast<const char*>(lexer_.bytes) + scanFrom_, lexer_.size - scanFrom_);
    if (rest.find_first_not_of(" \t\r\v\f") != std::string_view::npos) return std::nullopt;
    if (at_ != At::LineStart && at_ != At::AfterInstruction) return std::nullopt;
    return std::move(outline_);
  }

  // Reads the directives at the start of the text (the items before
  // `plain`), which set the escape character; false if they now read
  // otherwise.
  bool readDirectives(const std::vector<OutlineItem>& items, std::vector<OutlineItem>::const_iterator plain) {
    if (plain == items.begin()) return true;
    uint32_t size = lexer_.size;
    lexer_.size = plain->range.begin;
    std::optional<Outline> directives = read();
    lexer_.size = size;
    return directives && std::equal(directives->items.begin(), directives->items.end(), items.begin(), plain);
  }

  // The first of `items` that begins at `offset` or after it.
  static std::vector<OutlineItem>::const_iterator firstFrom(const std::vector<OutlineItem>& items,
                                                            int64_t offset) {
    return std::lower_bound(items.begin(), items.end(), offset,
                            [](const OutlineItem& item, int64_t at) { return item.range.begin < at; });
  }

  // The last item that begins before `change`.
  static size_t restartFor(const std::vector<OutlineItem>& items, const TextChange& change) {
    return static_cast<size_t>(firstFrom(items, change.range.begin) - items.begin()) - 1;
  }

  // Does `token` begin an item (a line that is not an instruction's part)?
  bool startsItem(uint16_t token) const {
    return token == kDirective || token == kComment || (token == kKeyword && at_ != At::Flags);
  }

  // The earlier text's items `from` to `to`, moved as the changes before
  // `passed` moved them; the reading goes on at item `to`, if there is one.
  void resumeAt(size_t from, size_t to, size_t passed) {
    const std::vector<OutlineItem>& items = *again_.previous;
    int64_t delta = again_.deltaBefore[passed];
    for (size_t i = from; i < to; ++i) outline_.items.push_back(moved(items[i], delta));
    again_.passed = passed;
    if (to == items.size()) return;
    outline_scanner_resume_at_line(scanner_.payload);
    at_ = At::LineStart;
    emptyTokens_ = 0;
    startAt(static_cast<uint32_t>(items[to].range.begin + delta));
  }

  // At an item beginning at `begin`: past one or more changes and before
  // the next, where an item of the earlier text began at the same place in
  // its bytes, the earlier items up to the next change are taken. The
  // directives are closed in both readings (the lines before are none).
  bool spliceAt(uint32_t begin) {
    const std::vector<TextChange>& changes = again_.changes;
    auto newBegin = [&](size_t i) { return changes[i].range.begin + again_.deltaBefore[i]; };
    size_t passed = again_.passed;
    while (passed < changes.size() && newBegin(passed) + changes[passed].size <= begin) ++passed;
    if (passed == again_.passed || (passed < changes.size() && begin >= newBegin(passed))) return false;
    const std::vector<OutlineItem>& items = *again_.previous;
    int64_t old = begin - again_.deltaBefore[passed];
    auto same = firstFrom(items, old);
    if (same == items.begin() || same == items.end() || same->range.begin != old) return false;
    bool openBefore = outline_.items.empty() || outline_.items.back().kind == OutlineKind::Directive;
    if (openBefore || (same - 1)->kind == OutlineKind::Directive) return false;
    size_t to = passed < changes.size() ? restartFor(items, changes[passed]) : items.size();
    resumeAt(static_cast<size_t>(same - items.begin()), to, passed);
    return true;
  }

  static OutlineItem moved(OutlineItem item, int64_t delta) {
    auto move = [delta](ByteRange& range) {
      range.begin = static_cast<uint32_t>(range.begin + delta);
      range.end = static_cast<uint32_t>(range.end + delta);
    };
    move(item.range);
    if (item.kind == OutlineKind::Instruction) move(item.keyword);
    for (OutlinePart& part : item.parts) move(part.range);
    for (OutlineHeredoc& heredoc : item.heredocs) {
      move(heredoc.range);
      if (heredoc.body) move(*heredoc.body);
    }
    return item;
  }

  void startAt(uint32_t offset) {
    lexer_.current = offset;
    lexer_.token_start = offset;
    lexer_.end_marked = false;
    lexer_.result_symbol = 0;
    outline_lexer_decode(&lexer_);
  }

  static constexpr int kNoToken = -1;
  static constexpr int kDecline = -2;

  // The next token from where the last one ended: kNoToken when the
  // scanner finds none, kDecline when tree-sitter would not take it.
  int next() {
    scanFrom_ = lexer_.current;
    if (!outline_scanner_scan(scanner_.payload, &lexer_, validAt(at_))) {
      return kNoToken;
    }
    if (!lexer_.end_marked) lexer_.token_end = lexer_.current;
    if (lexer_.token_end < lexer_.token_start) lexer_.token_start = lexer_.token_end;
    token_ = {lexer_.token_start, lexer_.token_end};
    uint16_t symbol = lexer_.result_symbol;
    // A token of no width where the last one was also of none: the scanner
    // would go round in circles; tree-sitter's recovery knows what to do.
    if (token_.size() == 0 && token_.begin == scanFrom_ && emptyTokens_++ > 0) return kDecline;
    if (token_.size() > 0) emptyTokens_ = 0;
    if (symbol >= kTokenCount || !validAt(at_)[symbol]) return kDecline;
    startAt(lexer_.token_end);
    return symbol;
  }

  bool inInstruction() const { return at_ == At::Flags || at_ == At::TriggerFlags || at_ == At::Words; }

  // Moves on past `token`; false where the outline cannot say what
  // tree-sitter's tree would.
  bool take(uint16_t token) {
    if (isExtra(token)) {
      // Elsewhere an extra may go to the file rather than the instruction.
      if (!inInstruction()) return false;
      addPart(token == kLineContinuation      ? PartKind::LineContinuation
              : token == kContinuationComment ? PartKind::ContinuationComment
                                              : PartKind::EmptyContinuationLine);
      return true;
    }
    switch (token) {
      case kDirective:
      case kComment:
        outline_.items.push_back(
            {token == kDirective ? OutlineKind::Directive : OutlineKind::Comment, token_, {}, {}, {}});
        at_ = At::LineEnd;
        return true;
      case kKeyword:
        if (at_ == At::Flags) {  // ONBUILD's trigger
          extendInstruction();
          at_ = At::TriggerFlags;
          return true;
        }
        outline_.items.push_back({OutlineKind::Instruction, token_, token_, {}, {}});
        at_ = At::Flags;
        return true;
      case kFlag:
        extendInstruction();
        return true;
      case kWord:
        extendInstruction();
        at_ = At::Words;
        return true;
      case kEndOfLine:
        if (inInstruction()) {
          extendInstruction();
          at_ = At::AfterInstruction;
        } else {
          at_ = At::LineStart;
        }
        return true;
      case kFinalContinuation:
        addPart(PartKind::FinalContinuation);
        at_ = At::AfterInstruction;
        return true;
      case kHeredocBody:
        instruction().heredocs.push_back({token_, token_});
        at_ = At::HeredocBody;
        return true;
      case kHeredocEnd:
        if (at_ == At::HeredocBody) {
          instruction().heredocs.back().range.end = token_.end;
        } else {
          instruction().heredocs.push_back({token_, std::nullopt});
        }
        extendInstruction();
        at_ = At::AfterInstruction;
        return true;
      default:
        return false;
    }
  }

  // The instruction being read: the last item, in every state from its
  // keyword to the line after its last heredoc.
  OutlineItem& instruction() { return outline_.items.back(); }
  void addPart(PartKind kind) {
    instruction().parts.push_back({kind, token_});
    extendInstruction();
  }
  void extendInstruction() { instruction().range.end = token_.end; }

  OutlineLexer lexer_{};
  Scanner scanner_;
  At at_ = At::LineStart;
  ByteRange token_;
  uint32_t scanFrom_ = 0;
  int emptyTokens_ = 0;
  Outline outline_;
  // When reading a changed text again: the earlier text's items, the
  // changes, how much longer the changes before each made the text, and
  // how many changes the reading has passed.
  struct Again {
    const std::vector<OutlineItem>* previous = nullptr;
    std::vector<TextChange> changes;
    std::vector<int64_t> deltaBefore;
    size_t passed = 0;
  } again_;
};

}  // namespace

std::optional<Outline> readOutline(std::string_view bytes) {
  if (bytes.size() >= UINT32_MAX) return std::nullopt;
  return Reader(bytes).read();
}

std::optional<Outline> readOutlineAgain(std::string_view bytes, const Outline& previous,
                                        std::vector<TextChange> changes) {
  if (bytes.size() >= UINT32_MAX) return std::nullopt;
  if (changes.empty()) return Reader(bytes).read();
  std::sort(changes.begin(), changes.end(),
            [](const TextChange& a, const TextChange& b) { return a.range.begin < b.range.begin; });
  return Reader(bytes).readAgain(previous, std::move(changes));
}

}  // namespace dfopt::syntax
