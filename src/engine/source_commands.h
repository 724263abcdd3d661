#pragma once
// The commands of RUN, CMD, ENTRYPOINT and HEALTHCHECK as the transforms read
// them, in shell and exec (JSON) form alike: simple commands whose words
// keep their byte ranges in the Dockerfile, so that a program or an argument
// can be rewritten where it stands. And the word helpers the analysis shares.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "model/dockerfile.h"
#include "util/text.h"

namespace dfopt::engine {

struct SourceWord {
  std::string value;        // quotes removed
  syntax::ByteRange range;  // in the Dockerfile
  bool plain = true;        // no expansion: its value is what runs
};

// One simple command of RUN, CMD, ENTRYPOINT or HEALTHCHECK, in shell or
// exec (JSON) form alike.
struct SourceCommand {
  std::vector<SourceWord> assignments;
  std::vector<SourceWord> words;
  syntax::ByteRange range;
  std::string text;                 // as BuildKit joins the lines
  std::string_view separatorAfter;  // shell::Command's: a literal

  std::string name() const {
    return words.empty() ? std::string() : std::string(text::baseName(words[0].value));
  }
  std::string arg(size_t i) const { return i < words.size() ? words[i].value : std::string(); }
};

struct CommandLine {
  bool json = false;
  std::vector<SourceCommand> commands;
  std::string complexReason;  // the shell script holds constructs the tokenizer does not model
  syntax::ByteRange range;    // the shell script or the JSON array's strings

  // The same with every range `delta` bytes on: its instruction moved.
  CommandLine movedBy(int64_t delta) const;
};

// What RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD runs (nothing for HEALTHCHECK NONE).
// Computed once and kept with the instruction: the reference lives as long as
// the instruction (which the next model takes over where its bytes stay).
const CommandLine& commandLineOf(const model::Instruction& instruction);

// The commands in one line of text, every word with its byte range: what
// the reparse test and fuzz target compare between two models.
std::string describe(const CommandLine& line);

// The program of a command, past a leading `exec`.
size_t programIndex(const SourceCommand& command);

std::vector<std::string> valuesOf(const SourceCommand& command);

// The non-option words from `from` on, with the values of the listed options skipped.
std::vector<std::string> operands(const std::vector<std::string>& words, size_t from,
                                  const std::vector<std::string_view>& optionsWithValue = {});
std::vector<std::string> operands(const SourceCommand& command, size_t from,
                                  const std::vector<std::string_view>& optionsWithValue = {});

// Does the command have one of these options, alone or as `--name=value`?
bool hasOption(const SourceCommand& command, std::initializer_list<std::string_view> names);

// The value of a JSON string as written in an exec-form instruction; the text itself when it is not one.
std::string decodeJsonString(std::string_view text);

// `value` as a JSON string, quotes and escapes included.
std::string jsonQuote(std::string_view value);

// A command for a one-line message: blanks collapsed, at most 60 characters.
std::string shortened(std::string_view text);

bool isDigits(std::string_view text);

}  // namespace dfopt::engine
