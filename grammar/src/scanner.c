// External scanner for the dfopt Dockerfile grammar.
//
// It follows BuildKit's line reader (frontend/dockerfile/parser/parser.go):
// parser directives only before anything else, the escape character they
// choose, continuation lines (with comment and empty lines inside them),
// and here-documents opened by RUN/COPY/ADD lines that are not in JSON form.
//
// The token types, the state and the lexer and character helpers are in
// scanner_base.h, the JSON recogniser and the shell-word tracking that finds
// heredoc markers in scanner_shell.h: headers, because tree-sitter builds a
// scanner as this one translation unit.
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scanner_base.h"
#include "scanner_shell.h"

// ------------------------------------------------------------ line parts

// Consumes the escape character under the cursor and the blanks after it.
// Is it a line continuation? It is when only blanks follow it up to the end
// of the line; the caller has made sure the character before it is not
// itself the escape character. *last is the last character consumed.
static bool continuation_follows(Scanner* s, Lexer* lexer, bool* any, bool* any_control, int32_t* last) {
  advance(lexer);
  *last = s->escape;
  *any = *any_control = false;
  while (lexer->lookahead == ' ' || lexer->lookahead == '\t' || lexer->lookahead == '\r') {
    *any = true;
    if (lexer->lookahead != ' ') *any_control = true;
    *last = lexer->lookahead;
    if (lexer->lookahead == '\r') {
      while (lexer->lookahead == '\r') advance(lexer);
      if (lexer->lookahead == '\n' || at_eof(lexer)) return true;
      continue;
    }
    advance(lexer);
  }
  return lexer->lookahead == '\n' || at_eof(lexer);
}

// Is the escape character under the cursor a line continuation? If it is,
// the token being scanned ends before it (at the mark). If not, the escape
// character and the blanks after it were consumed; they are fed to the
// argument recognisers when `arguments` is set, and *last is the last one.
static bool at_continuation(Scanner* s, Lexer* lexer, bool arguments, int32_t* last) {
  mark_end(lexer);
  bool any, any_control;
  if (continuation_follows(s, lexer, &any, &any_control, last)) return true;
  if (arguments) {
    feed_argument_char(s, s->escape);
    if (any) feed_argument_char(s, any_control ? '\t' : ' ');
  }
  return false;
}

// Are the lines from here to the end of the file all comments or blank?
static bool only_comments_until_end_of_file(Lexer* lexer) {
  for (;;) {
    while (is_blank(lexer->lookahead)) advance(lexer);
    if (at_eof(lexer)) return true;
    if (lexer->lookahead == '#') {
      while (!at_eof(lexer) && lexer->lookahead != '\n') advance(lexer);
    } else if (lexer->lookahead != '\n') {
      return false;
    }
    if (lexer->lookahead == '\n') advance(lexer);
  }
}

// Scans to the end of the line, leaving the trailing `\r*\n` outside the token.
static void scan_rest_of_line(Lexer* lexer) {
  while (!at_eof(lexer) && lexer->lookahead != '\n') {
    if (lexer->lookahead == '\r') {
      mark_end(lexer);
      while (lexer->lookahead == '\r') advance(lexer);
      if (lexer->lookahead == '\n' || at_eof(lexer)) return;
      continue;
    }
    advance(lexer);
  }
  mark_end(lexer);
}

// `# key = value` with a key BuildKit knows; everything else is a comment.
static bool scan_comment_or_directive(Scanner* s, Lexer* lexer) {
  advance(lexer);  // '#'
  bool directive = s->directives_open;
  char key[8];
  size_t key_length = 0;
  uint8_t escape_value = 0;
  while (is_blank(lexer->lookahead)) advance(lexer);
  if (!is_ascii_alpha(lexer->lookahead)) directive = false;
  while (is_ascii_alnum(lexer->lookahead)) {
    if (key_length < sizeof key) key[key_length] = (char)lexer->lookahead;
    key_length++;
    advance(lexer);
  }
  while (is_blank(lexer->lookahead)) advance(lexer);
  if (lexer->lookahead != '=') directive = false;
  if (directive) {
    advance(lexer);
    // BuildKit's `=\s*(.+?)\s*$`: at least one character, then trimmed.
    size_t raw_length = 0, trimmed_length = 0;
    while (is_blank(lexer->lookahead) && lexer->lookahead != '\r') {
      raw_length++;
      advance(lexer);
    }
    while (!at_eof(lexer) && lexer->lookahead != '\n' && lexer->lookahead != '\r') {
      if (!is_blank(lexer->lookahead)) {
        if (trimmed_length == 0) escape_value = (uint8_t)lexer->lookahead;
        trimmed_length++;
      }
      raw_length++;
      advance(lexer);
    }
    bool known = key_length <= sizeof key && (equals_ignoring_case(key, key_length, "syntax") ||
                                              equals_ignoring_case(key, key_length, "escape") ||
                                              equals_ignoring_case(key, key_length, "check"));
    if (!known || raw_length == 0) directive = false;
    if (directive && equals_ignoring_case(key, key_length, "escape") && trimmed_length == 1 &&
        (escape_value == '`' || escape_value == '\\')) {
      s->escape = escape_value;
    }
  }
  scan_rest_of_line(lexer);
  s->directives_open = directive;
  s->phase = PHASE_LINE_END;
  lexer->result_symbol = directive ? PARSER_DIRECTIVE : COMMENT;
  return true;
}

static bool scan_end_of_line(Scanner* s, Lexer* lexer) {
  consume_newline(lexer);
  mark_end(lexer);
  lexer->result_symbol = END_OF_LINE;
  if (s->phase == PHASE_FLAGS || s->phase == PHASE_ARGUMENTS) {
    // BuildKit reads no heredoc in a line its lexer fails on, as on a
    // quote left open
    bool quote_open = s->shell_quote != 0;
    end_shell_word(s);
    bool json_form = s->json_state == JSON_DONE;
    if (!s->heredoc_capable || json_form || quote_open) s->heredoc_count = 0;
    s->heredoc_next = 0;
    s->after_continuation = false;
    s->phase = s->heredoc_count > 0 ? PHASE_HEREDOCS : PHASE_LINE_START;
    return true;
  }
  s->phase = PHASE_LINE_START;
  return true;
}

static bool at_chunk_end(Lexer* lexer) {
  return at_eof(lexer) || lexer->lookahead == '\n' || is_blank(lexer->lookahead);
}

// Scans a run of non-blank characters (blanks inside quotes too, when
// `quoted` is set) up to the end of the chunk or a line continuation.
// `previous` is the character before the cursor. Returns false when nothing
// was scanned.
static bool scan_chunk(Scanner* s, Lexer* lexer, bool arguments, bool quoted, int32_t previous) {
  int32_t quote = 0;
  bool any = previous != 0;
  for (;;) {
    int32_t c = lexer->lookahead;
    if (at_eof(lexer) || c == '\n') break;
    if (quote == 0 && is_blank(c)) break;
    if (c == s->escape && previous != s->escape) {
      if (at_continuation(s, lexer, arguments, &previous)) return any;  // ends at the mark
      any = true;
      continue;
    }
    if (quoted) {
      if (quote == 0 && (c == '\'' || c == '"'))
        quote = c;
      else if (quote != 0 && c == quote)
        quote = 0;
    }
    if (arguments) feed_argument_char(s, c);
    previous = c;
    any = true;
    advance(lexer);
  }
  mark_end(lexer);
  return any;
}

static bool is_heredoc_keyword(const char* text, size_t length) {
  return equals_ignoring_case(text, length, "run") || equals_ignoring_case(text, length, "copy") ||
         equals_ignoring_case(text, length, "add");
}

// Reads the keyword's text (at most a few bytes are needed to classify it).
static size_t scan_keyword_text(Scanner* s, Lexer* lexer, char* text, size_t capacity) {
  size_t length = 0;
  int32_t previous = 0;
  for (;;) {
    int32_t c = lexer->lookahead;
    if (at_chunk_end(lexer)) {
      mark_end(lexer);
      return length;
    }
    if (c == s->escape && previous != s->escape) {
      if (at_continuation(s, lexer, false, &previous)) return length;
      length += 2;  // no keyword has an escape character in it
      continue;
    }
    if (length < capacity) text[length] = (char)(c < 0x80 ? c : '?');
    length++;
    previous = c;
    advance(lexer);
  }
}

static bool scan_keyword(Scanner* s, Lexer* lexer) {
  char text[8];
  size_t length = scan_keyword_text(s, lexer, text, sizeof text);
  if (length == 0) return false;
  bool fits = length <= sizeof text;
  if (s->phase == PHASE_LINE_START) {
    reset_instruction(s);
    s->keyword_is_onbuild = fits && equals_ignoring_case(text, length, "onbuild");
  } else {
    s->keyword_is_onbuild = false;  // the trigger of an ONBUILD
  }
  // With no '<' left in the text, no marker can open a heredoc: the shell
  // words need not be followed.
  if (fits && is_heredoc_keyword(text, length) && heredoc_marker_may_follow(lexer)) s->heredoc_capable = true;
  s->phase = PHASE_FLAGS;
  s->directives_open = false;
  lexer->result_symbol = KEYWORD;
  return true;
}

// At blanks after a chunk of a word: do more arguments follow on this line?
// If so, the blanks (and an escape character after them that does not
// continue the line, with its blanks) are consumed and fed to the argument
// recognisers as they would be between two tokens, and *previous is the last
// character consumed. If not, nothing is fed and the word ends at the mark,
// before the blanks.
static bool more_on_line(Scanner* s, Lexer* lexer, int32_t* previous) {
  bool any_control = false;
  while (is_blank(lexer->lookahead)) {
    if (lexer->lookahead == '\r') {
      while (lexer->lookahead == '\r') advance(lexer);
      if (lexer->lookahead == '\n' || at_eof(lexer)) return false;
      any_control = true;
      continue;
    }
    if (lexer->lookahead != ' ') any_control = true;
    advance(lexer);
  }
  if (at_eof(lexer) || lexer->lookahead == '\n') return false;
  *previous = 0;
  bool escaped = lexer->lookahead == s->escape;
  bool any_after = false, control_after = false;
  if (escaped && continuation_follows(s, lexer, &any_after, &control_after, previous)) return false;
  feed_argument_char(s, any_control ? '\t' : ' ');
  if (escaped) {
    feed_argument_char(s, s->escape);
    if (any_after) feed_argument_char(s, control_after ? '\t' : ' ');
  }
  return true;
}

// An argument word runs to the end of its physical line, blanks included: up
// to the newline or a continuation. The model splits the arguments of the
// joined line itself; a token per line segment instead of one per blank-
// separated word keeps the tree of a long shell script small.
static bool scan_word(Scanner* s, Lexer* lexer, int32_t previous, const bool* valid) {
  s->phase = PHASE_ARGUMENTS;
  scan_chunk(s, lexer, true, false, previous);
  while (is_blank(lexer->lookahead) && more_on_line(s, lexer, &previous)) {
    scan_chunk(s, lexer, true, false, previous);
  }
  lexer->result_symbol = WORD;
  return valid[WORD];
}

// In an instruction: a flag, the ONBUILD trigger's keyword, or an argument.
static bool scan_instruction_part(Scanner* s, Lexer* lexer, const bool* valid) {
  if (s->phase == PHASE_FLAGS && lexer->lookahead == '-') {
    advance(lexer);
    if (lexer->lookahead != '-') {
      s->phase = PHASE_ARGUMENTS;
      feed_argument_char(s, '-');
      return scan_word(s, lexer, '-', valid);
    }
    advance(lexer);
    // a lone `--` ends the flags
    if (at_chunk_end(lexer) && !s->keyword_is_onbuild) s->phase = PHASE_ARGUMENTS;
    scan_chunk(s, lexer, false, true, '-');
    lexer->result_symbol = FLAG;
    return valid[FLAG];
  }
  if (s->phase == PHASE_FLAGS && s->keyword_is_onbuild && valid[KEYWORD]) {
    return scan_keyword(s, lexer);
  }
  return scan_word(s, lexer, 0, valid);
}

// Blanks in the arguments separate shell words and may break JSON strings.
static void feed_skipped_blanks(Scanner* s, bool any, bool any_control) {
  if (!any || s->phase != PHASE_ARGUMENTS) return;
  feed_argument_char(s, any_control ? '\t' : ' ');
}

// ---------------------------------------------------------- here-documents

// Reads the next here-document body, or its terminator line.
static bool scan_heredoc(Scanner* s, Lexer* lexer) {
  PendingHeredoc* h = &s->heredocs[s->heredoc_next];
  bool has_body = false;
  mark_end(lexer);
  for (;;) {
    if (at_eof(lexer)) {
      if (!has_body) return false;  // unterminated: the parser reports it
      lexer->result_symbol = HEREDOC_BODY;
      return true;
    }
    size_t matched = 0;
    bool mismatch = false;
    if (h->chomp) {
      while (lexer->lookahead == '\t') advance(lexer);
    }
    while (!at_eof(lexer) && lexer->lookahead != '\n') {
      int32_t c = lexer->lookahead;
      if (c == '\r') {
        advance(lexer);
        while (lexer->lookahead == '\r') advance(lexer);
        if (lexer->lookahead != '\n' && !at_eof(lexer)) mismatch = true;
        continue;
      }
      if (matched < h->length && c == (unsigned char)h->name[matched])
        matched++;
      else
        mismatch = true;
      advance(lexer);
    }
    bool terminator = !mismatch && matched == h->length;
    if (terminator && has_body) {
      lexer->result_symbol = HEREDOC_BODY;  // ends at the mark before this line
      return true;
    }
    if (lexer->lookahead == '\n') advance(lexer);
    mark_end(lexer);
    if (terminator) {
      s->heredoc_next++;
      if (s->heredoc_next == s->heredoc_count) {
        s->heredoc_count = 0;
        s->heredoc_next = 0;
        s->phase = PHASE_LINE_START;
      }
      lexer->result_symbol = HEREDOC_END;
      return true;
    }
    has_body = true;
  }
}

// ------------------------------------------------------------------ scan

static bool scan_line_start(Scanner* s, Lexer* lexer, const bool* valid) {
  while (is_blank(lexer->lookahead)) skip(lexer);
  if (at_eof(lexer)) return false;
  if (lexer->lookahead == '\n') {
    s->directives_open = false;
    return scan_end_of_line(s, lexer);
  }
  if (lexer->lookahead == '#') return scan_comment_or_directive(s, lexer);
  if (!valid[KEYWORD]) return false;
  return scan_keyword(s, lexer);
}

// The first token of a line that follows a continuation: comment and empty
// lines there are dropped by BuildKit, so they get tokens of their own.
static bool scan_after_continuation(Scanner* s, Lexer* lexer, bool* handled) {
  bool any = false, any_control = false;
  *handled = true;
  while (is_blank(lexer->lookahead)) {
    any = true;
    if (lexer->lookahead != ' ') any_control = true;
    skip(lexer);
  }
  if (lexer->lookahead == '#') {
    scan_rest_of_line(lexer);
    consume_newline(lexer);
    mark_end(lexer);
    lexer->result_symbol = CONTINUATION_COMMENT;
    return true;
  }
  if (lexer->lookahead == '\n') {
    advance(lexer);
    mark_end(lexer);
    lexer->result_symbol = EMPTY_CONTINUATION_LINE;
    return true;
  }
  s->after_continuation = false;
  feed_skipped_blanks(s, any, any_control);
  *handled = false;
  return false;
}

// Skips the blanks before the next part of an instruction. Returns true
// when they end the line (carriage returns before a newline).
static bool skip_blanks_in_instruction(Scanner* s, Lexer* lexer) {
  bool any = false, any_control = false;
  while (is_blank(lexer->lookahead)) {
    if (lexer->lookahead == '\r') {
      mark_end(lexer);
      while (lexer->lookahead == '\r') advance(lexer);
      if (lexer->lookahead == '\n' || at_eof(lexer)) return true;
      any = any_control = true;
      continue;
    }
    any = true;
    if (lexer->lookahead != ' ') any_control = true;
    skip(lexer);
  }
  feed_skipped_blanks(s, any, any_control);
  return false;
}

static bool scan_in_instruction(Scanner* s, Lexer* lexer, const bool* valid) {
  if (s->after_continuation && column(lexer) == 0) {
    bool handled;
    bool found = scan_after_continuation(s, lexer, &handled);
    if (handled) return found;
  } else {
    bool line_ends = skip_blanks_in_instruction(s, lexer);
    s->after_continuation = false;
    if (line_ends) return valid[END_OF_LINE] && scan_end_of_line(s, lexer);
  }
  if (at_eof(lexer) || lexer->lookahead == '\n') {
    return valid[END_OF_LINE] && scan_end_of_line(s, lexer);
  }
  if (lexer->lookahead == s->escape) {
    int32_t previous;
    bool arguments = s->phase == PHASE_ARGUMENTS || !s->keyword_is_onbuild;
    if (arguments && s->phase == PHASE_FLAGS) s->phase = PHASE_ARGUMENTS;
    if (at_continuation(s, lexer, arguments, &previous)) {
      // A continuation followed by nothing but comment and blank lines up to
      // the end of the file just ends the instruction. All of that is one
      // token that ends the line: a zero-width end of line after an extra at
      // the end of the file makes tree-sitter mis-size the instruction.
      if (!at_eof(lexer)) {
        advance(lexer);  // the newline
        mark_end(lexer);
      }
      if (only_comments_until_end_of_file(lexer)) {
        if (!valid[FINAL_CONTINUATION]) return false;
        mark_end(lexer);
        scan_end_of_line(s, lexer);
        lexer->result_symbol = FINAL_CONTINUATION;
        return true;
      }
      s->after_continuation = true;
      lexer->result_symbol = LINE_CONTINUATION;
      return valid[LINE_CONTINUATION];
    }
    return scan_word(s, lexer, previous, valid);
  }
  return scan_instruction_part(s, lexer, valid);
}

static bool scan(Scanner* s, Lexer* lexer, const bool* valid) {
  if (valid[ERROR_SENTINEL]) return false;
  switch (s->phase) {
    case PHASE_HEREDOCS:
      if (!valid[HEREDOC_BODY] && !valid[HEREDOC_END]) return false;
      return scan_heredoc(s, lexer);
    case PHASE_LINE_START:
      return scan_line_start(s, lexer, valid);
    case PHASE_LINE_END:
      while (is_blank(lexer->lookahead) && lexer->lookahead != '\r') skip(lexer);
      return valid[END_OF_LINE] && scan_end_of_line(s, lexer);
    default:
      return scan_in_instruction(s, lexer, valid);
  }
}

// ------------------------------------------------------------- tree-sitter

void SCANNER_FUNCTION(destroy)(void* payload) { free(payload); }

// The state is written compactly: tree-sitter keeps up to 24 bytes in the
// token itself and allocates anything longer, once per external token. Only the
// shell word's used bytes and the pending heredocs are written.
enum { HEADER_SIZE = 10 };

static uint8_t pack_flags(const Scanner* s) {
  return (uint8_t)(s->directives_open | s->after_continuation << 1 | s->heredoc_capable << 2 |
                   s->keyword_is_onbuild << 3 | s->shell_escape_pending << 4 | s->in_shell_word << 5 |
                   s->shell_word_overflow << 6 | s->shell_after_lt << 7);
}

static void unpack_flags(Scanner* s, uint8_t flags) {
  s->directives_open = flags & 1;
  s->after_continuation = flags >> 1 & 1;
  s->heredoc_capable = flags >> 2 & 1;
  s->keyword_is_onbuild = flags >> 3 & 1;
  s->shell_escape_pending = flags >> 4 & 1;
  s->in_shell_word = flags >> 5 & 1;
  s->shell_word_overflow = flags >> 6 & 1;
  s->shell_after_lt = flags >> 7 & 1;
}

unsigned SCANNER_FUNCTION(serialize)(void* payload, char* buffer) {
  const Scanner* s = (const Scanner*)payload;
  unsigned n = 0;
  buffer[n++] = (char)s->escape;
  buffer[n++] = (char)s->phase;
  buffer[n++] = (char)pack_flags(s);
  buffer[n++] = (char)s->shell_after_heredoc;
  buffer[n++] = (char)s->json_state;
  buffer[n++] = (char)s->json_hex_left;
  buffer[n++] = (char)s->shell_quote;
  buffer[n++] = (char)s->shell_word_length;
  buffer[n++] = (char)s->heredoc_count;
  buffer[n++] = (char)s->heredoc_next;
  memcpy(buffer + n, s->shell_word, s->shell_word_length);
  n += s->shell_word_length;
  for (unsigned i = 0; i < s->heredoc_count; i++) {
    const PendingHeredoc* h = &s->heredocs[i];
    buffer[n++] = (char)h->length;
    buffer[n++] = (char)h->chomp;
    memcpy(buffer + n, h->name, h->length);
    n += h->length;
  }
  return n;
}

// The state at the start of a file: an instruction's state reset, and the
// file's own. Only the scalar fields are set: the word and heredoc names are
// read only up to their lengths, and copying the whole scanner for every
// token (deserialize) cost more than the rest of it.
static void reset(Scanner* s) {
  reset_instruction(s);
  s->escape = '\\';
  s->phase = PHASE_LINE_START;
  s->directives_open = true;
}

void* SCANNER_FUNCTION(create)(void) {
  Scanner* s = (Scanner*)calloc(1, sizeof(Scanner));
  reset(s);
  return s;
}

// Not called by tree-sitter: for a reader that reads a changed text again
// from the start of a line after the file's directives
// (src/syntax/outline_reader.cpp). Every such line starts in this state:
// only the escape character the directives set carries over.
void SCANNER_FUNCTION(resume_at_line)(void* payload) {
  Scanner* s = (Scanner*)payload;
  uint8_t escape = s->escape;
  reset(s);
  s->escape = escape;
  s->directives_open = false;
}

void SCANNER_FUNCTION(deserialize)(void* payload, const char* buffer, unsigned length) {
  Scanner* s = (Scanner*)payload;
  if (length < HEADER_SIZE) {
    reset(s);
    return;
  }
  const uint8_t* b = (const uint8_t*)buffer;
  s->escape = b[0];
  s->phase = b[1];
  unpack_flags(s, b[2]);
  s->shell_after_heredoc = b[3];
  s->json_state = b[4];
  s->json_hex_left = b[5];
  s->shell_quote = b[6];
  s->shell_word_length = b[7];
  s->heredoc_count = b[8];
  s->heredoc_next = b[9];
  unsigned n = HEADER_SIZE;
  memcpy(s->shell_word, b + n, s->shell_word_length);
  n += s->shell_word_length;
  for (unsigned i = 0; i < s->heredoc_count; i++) {
    PendingHeredoc* h = &s->heredocs[i];
    h->length = b[n++];
    h->chomp = b[n++];
    memcpy(h->name, b + n, h->length);
    n += h->length;
  }
}

bool SCANNER_FUNCTION(scan)(void* payload, Lexer* lexer, const bool* valid_symbols) {
  return scan((Scanner*)payload, lexer, valid_symbols);
}
