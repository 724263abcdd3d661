#pragma once
// Understanding RUN bodies: a small POSIX shell tokenizer. It splits a
// script into simple commands joined by control operators and each command
// into words, with offsets into the script, and says when the script holds
// constructs it does not model (so callers can leave it alone).
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dfopt::shell {

struct Word {
  std::string value;  // quotes removed, escapes applied; expansions kept as written
  std::string raw;    // the word as written
  size_t begin = 0;   // offsets of `raw` in the script
  size_t end = 0;
  bool hasExpansion = false;  // contains $VAR, ${...}, $(...) or `...` outside single quotes
  bool quoted = false;        // any part was quoted
};

struct Command {
  std::vector<Word> assignments;          // leading NAME=value words
  std::vector<Word> words;                // the command name and its arguments
  std::vector<std::string> redirections;  // as written, e.g. ">/dev/null", "2>&1"
  size_t begin = 0;                       // offsets of the whole simple command in the script
  size_t end = 0;
  // "&&", "||", ";", "|", "&", "\n" or "" at the end: a view of the
  // parser's literal, as a script may have a hundred thousand commands
  std::string_view separatorAfter;

  std::string name() const { return words.empty() ? std::string() : words[0].value; }
};

struct Script {
  std::vector<Command> commands;
  // Set when the script uses compound commands (if/for/while/case/{ }/( )),
  // functions, here-documents or unbalanced quotes: commands then lists
  // only what was understood.
  bool complex = false;
  std::string complexReason;
};

Script parseScript(std::string_view text);
// The same, shared: a long script several checks read (a RUN over thousands
// of lines) is parsed once and not copied for each of them.
std::shared_ptr<const Script> parseScriptShared(std::string_view text);
// Frees what parseScriptShared keeps on this thread when its texts add up
// to more than `keepUpTo` bytes (scripts in use stay until their last
// holder lets go).
void forgetSharedScripts(size_t keepUpTo = 0);

// Can a word of the script hold one of `parts` in its value? Only quotes
// and escapes make a value differ from its text (expansions are kept as
// written), so without them a part must be written out. Readers that look
// for a few programs ask it before a parse; a script over 64 bytes always
// may (its parse is kept for all readers, a search would not be).
bool mayHaveWordWith(std::string_view script, std::span<const std::string_view> parts);
inline bool mayHaveWordWith(std::string_view script, std::initializer_list<std::string_view> parts) {
  return mayHaveWordWith(script, std::span<const std::string_view>(parts.begin(), parts.size()));
}

// Quotes a value for the shell if it needs it (single quotes).
std::string quote(std::string_view value);

}  // namespace dfopt::shell
