#pragma once
// The typed, read-only model of a Dockerfile that transforms read: file ->
// directives, stages -> instructions, each with exact byte ranges into the
// source. Nothing is normalised away: the source bytes stay available and
// every range points into them.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "buildkit/instruction_parser.h"
#include "syntax/source_text.h"

namespace dfopt::model {

using syntax::ByteRange;
using syntax::Position;

struct Comment {
  ByteRange range;   // from '#' to the end of the text (no newline)
  std::string text;  // the text after '#', trimmed
};

struct Directive {
  std::string name;  // lower case: syntax, escape, check
  std::string value;
  ByteRange range;
};

// One word of an instruction. `text` is the word as BuildKit sees it in the
// joined line (continuations removed, quotes kept); `range` covers its bytes
// in the source, continuations included when it spans several lines.
struct Word {
  std::string text;
  ByteRange range;
};

struct Flag {
  std::string name;   // without the leading "--"
  std::string value;  // quotes removed and escapes applied, as BuildKit does
  bool hasValue = false;
  ByteRange range;
};

struct Heredoc {
  std::string name;
  uint64_t fileDescriptor = 0;
  bool expand = true;
  bool chomp = false;
  std::string content;  // raw lines, as BuildKit keeps them
  ByteRange range;      // body and terminator line
};

// The text of an instruction as BuildKit joins it, and where its bytes come
// from: runs of bytes contiguous in the source (a line's worth each, not a
// number per byte, so that a long line costs no more than its text).
struct LogicalLine {
  struct Segment {
    uint32_t logical;  // first logical byte of the run
    uint32_t source;   // its offset in the source
  };
  std::string text;
  std::vector<Segment> segments;  // in order of both offsets

  // Adds one byte read at `source`.
  void append(char byte, uint32_t source);
  // Adds bytes read one after the other from `source` on.
  void append(std::string_view bytes, uint32_t source);
  // Keeps the first `size` bytes.
  void truncate(size_t size);
  // Source offset of logical byte `logical` (< text.size()).
  uint32_t sourceOffset(size_t logical) const;
  // One past the last logical byte of the run holding `logical`.
  size_t runEnd(size_t logical) const;
  // Logical index of the byte read at `source`, or text.size() when none is.
  size_t logicalIndex(uint32_t source) const;
  // Source range covering logical bytes [begin, end).
  ByteRange sourceRange(size_t begin, size_t end) const;
};

// A result derived from the model or one of its instructions, computed on
// first use and kept with it, since several transforms ask for the same one
// (analysis::analyzeEffects, engine::commandLineOf). A copy starts empty: a
// copy may be edited.
class DerivedSlot {
 public:
  DerivedSlot() = default;
  DerivedSlot(const DerivedSlot&) {}
  DerivedSlot& operator=(const DerivedSlot&) {
    value_.reset();
    return *this;
  }
  DerivedSlot(DerivedSlot&&) noexcept = default;
  DerivedSlot& operator=(DerivedSlot&&) noexcept = default;
  ~DerivedSlot() = default;

  template <class T, class Compute>
  const T& get(Compute compute) const {
    if (!value_) {
      value_ = std::make_shared<const T>(compute());
      mover_ = moverOf<T>();
    }
    return *static_cast<const T*>(value_.get());
  }
  // Frees the result (computed again if asked for).
  void clear() const { value_.reset(); }
  // The instruction moved `delta` bytes: a result that tells byte ranges
  // and can move them (T::movedBy) is moved along, any other is freed.
  void moveBy(int64_t delta) const {
    if (value_ && mover_) {
      value_ = mover_(value_, delta);
    } else {
      value_.reset();
    }
  }

 private:
  using Mover = std::shared_ptr<const void> (*)(const std::shared_ptr<const void>&, int64_t);
  template <class T>
  static Mover moverOf() {
    if constexpr (requires(const T& value) { value.movedBy(int64_t{}); }) {
      return [](const std::shared_ptr<const void>& value, int64_t delta) -> std::shared_ptr<const void> {
        return std::make_shared<const T>(static_cast<const T*>(value.get())->movedBy(delta));
      };
    }
    return nullptr;
  }

  mutable std::shared_ptr<const void> value_;
  mutable Mover mover_ = nullptr;
};

struct Instruction {
  std::string keyword;  // as written
  std::string command;  // lower case
  ByteRange range;      // keyword .. end of the last line (newline and heredocs included)
  ByteRange lineRange;  // keyword .. end of the instruction's own text (no newline)
  ByteRange keywordRange;
  std::vector<Flag> flags;
  std::vector<Word> arguments;  // split per instruction kind (see model_builder.cpp)
  ByteRange argumentsRange;     // the arguments after the flags
  size_t argumentsBegin = 0;    // where they start in line.text
  size_t argumentsEnd = 0;      // and end
  bool jsonForm = false;
  std::vector<Heredoc> heredocs;
  std::vector<Comment> comments;               // comment lines directly above
  std::vector<Comment> innerComments;          // comment lines inside its continuation
  std::shared_ptr<const Instruction> trigger;  // ONBUILD's instruction
  buildkit::Node buildkit;                     // BuildKit's view of the instruction
  LogicalLine line;
  Position start;
  Position end;
  uint32_t startLine = 0;  // as BuildKit numbers them: first and last line of the text
  uint32_t endLine = 0;
  DerivedSlot commandLine;  // engine::commandLineOf's result

  bool is(std::string_view lowerCaseCommand) const { return command == lowerCaseCommand; }
  const Flag* flag(std::string_view name) const;
  // The arguments after the flags, joined as BuildKit joins lines.
  std::string_view argumentsText() const {
    return std::string_view(line.text).substr(argumentsBegin, argumentsEnd - argumentsBegin);
  }
};

struct Stage {
  size_t index = 0;
  std::string baseImage;
  std::string platform;
  std::string name;  // after AS, as written
  size_t from = 0;   // index of its FROM in Dockerfile::instructions
  size_t end = 0;    // one past its last instruction
  // Its ARG and ENV instructions, and its WORKDIRs, by index: what the
  // queries of variables and working directories look at, so that they do
  // not walk every instruction before the one asked about.
  std::vector<size_t> declarations;
  std::vector<size_t> workdirs;
};

struct Warning {
  uint32_t offset;
  std::string message;
};

struct Dockerfile {
  std::shared_ptr<const syntax::SourceText> source;
  bool hasByteOrderMark = false;
  char escape = '\\';
  bool crlf = false;  // most lines end in CRLF
  bool finalNewline = true;
  std::vector<Directive> directives;
  std::vector<Comment> comments;          // every comment line outside heredocs, in order
  std::vector<Instruction> instructions;  // top level, in order (before the first FROM too)
  std::vector<Stage> stages;
  std::vector<Warning> warnings;
  DerivedSlot effects;     // analysis::analyzeEffects's result
  DerivedSlot stageNames;  // findStageByName's index

  // Frees what was derived from the whole model (its effects, its stage
  // names): for a model that will not be analysed again (computed again if
  // it is). Its instructions keep their commands: the next model takes over
  // those whose bytes stay where they were (model/reuse.h).
  void clearDerived() const;

  const Directive* directive(std::string_view name) const;
  Position position(uint32_t offset) const { return source->position(offset); }
  // The 1-based line where instruction `index` starts.
  uint32_t lineOf(size_t index) const { return position(instructions[index].range.begin).line; }
  // How messages name stage `index`: its name after AS, else its number.
  std::string stageLabel(size_t index) const {
    return stages[index].name.empty() ? std::to_string(index) : stages[index].name;
  }
};

}  // namespace dfopt::model
