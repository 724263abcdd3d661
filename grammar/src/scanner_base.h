// The external scanner's token types, its state (the Scanner struct and the
// enums and capacities it is made of) and the lexer and character helpers all
// of it uses. A header included by scanner.c rather than a source of its own:
// a tree-sitter scanner is one C translation unit (tree-sitter builds compile
// only src/parser.c and src/scanner.c), so its functions stay static.
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

// The lexer the scanner reads through: tree-sitter's TSLexer, unless the
// file that includes the scanner names a header of its own lexer in
// SCANNER_LEXER_HEADER. That header defines the type Lexer (with the fields
// lookahead and result_symbol), the helpers advance, skip, mark_end, at_eof,
// column and heredoc_marker_may_follow, and SCANNER_FUNCTION, the names of
// the scanner's entry points.
// src/syntax/outline_scanner.c does, so that readOutline's lexer calls
// inline: through TSLexer, each character is two calls through pointers.
#ifdef SCANNER_LEXER_HEADER
#include SCANNER_LEXER_HEADER
#else
#include "tree_sitter/parser.h"

typedef TSLexer Lexer;
#define SCANNER_FUNCTION(name) tree_sitter_dockerfile_external_scanner_##name
#endif

enum TokenType {
  PARSER_DIRECTIVE,
  COMMENT,
  KEYWORD,
  FLAG,
  WORD,
  LINE_CONTINUATION,
  CONTINUATION_COMMENT,
  EMPTY_CONTINUATION_LINE,
  END_OF_LINE,
  FINAL_CONTINUATION,
  HEREDOC_BODY,
  HEREDOC_END,
  ERROR_SENTINEL,
};

enum Phase {
  PHASE_LINE_START,  // at the start of a physical line, between instructions
  PHASE_LINE_END,    // after a comment or directive: only the newline remains
  PHASE_FLAGS,       // after a keyword: `--flags` (or ONBUILD's trigger) may follow
  PHASE_ARGUMENTS,   // the instruction's arguments
  PHASE_HEREDOCS,    // reading the bodies of the here-documents just opened
};

enum JsonState {
  JSON_START,         // nothing seen yet
  JSON_VALUE_OR_END,  // after `[`
  JSON_VALUE,         // after `,`
  JSON_STRING,
  JSON_STRING_ESCAPE,
  JSON_STRING_HEX,
  JSON_AFTER_VALUE,
  JSON_DONE,  // after `]`
  JSON_INVALID,
};

#define WORD_CAPACITY 160
#define NAME_CAPACITY 64
#define MAX_HEREDOCS 6

typedef struct {
  uint8_t length;
  bool chomp;
  char name[NAME_CAPACITY];
} PendingHeredoc;

typedef struct {
  uint8_t escape;
  uint8_t phase;
  bool directives_open;
  bool after_continuation;
  bool heredoc_capable;
  bool keyword_is_onbuild;
  // A small JSON recogniser over the arguments: BuildKit looks for heredocs
  // only when the arguments are not a JSON array of strings.
  uint8_t json_state;
  uint8_t json_hex_left;
  // BuildKit finds heredoc markers by splitting the line into shell words.
  uint8_t shell_quote;
  bool shell_escape_pending;
  bool in_shell_word;
  bool shell_word_overflow;
  bool shell_after_lt;       // the previous character was an unpaired '<'
  bool shell_after_heredoc;  // just after `<<`: blanks stay in the word
  uint8_t shell_word_length;
  char shell_word[WORD_CAPACITY];
  uint8_t heredoc_count;
  uint8_t heredoc_next;
  PendingHeredoc heredocs[MAX_HEREDOCS];
} Scanner;

// ---------------------------------------------------------------- helpers

#ifndef SCANNER_LEXER_HEADER
static void advance(Lexer* lexer) { lexer->advance(lexer, false); }
static void skip(Lexer* lexer) { lexer->advance(lexer, true); }
static void mark_end(Lexer* lexer) { lexer->mark_end(lexer); }
static uint32_t column(Lexer* lexer) { return lexer->get_column(lexer); }

// The lexer's lookahead is 0 at the end of the input: asking eof() (a call
// through a pointer) only then saves a call per character.
static bool at_eof(Lexer* lexer) { return lexer->lookahead == 0 && lexer->eof(lexer); }

// Could a heredoc marker follow? tree-sitter's lexer cannot look ahead: yes.
static bool heredoc_marker_may_follow(Lexer* lexer) {
  (void)lexer;
  return true;
}
#endif

static bool is_blank(int32_t c) {         // horizontal white space inside a line
  if (c > ' ' && c < 0x80) return false;  // most characters: one test
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

static bool is_ascii_alpha(int32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static bool is_ascii_alnum(int32_t c) { return is_ascii_alpha(c) || (c >= '0' && c <= '9'); }

static char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

static bool equals_ignoring_case(const char* text, size_t length, const char* lower) {
  if (strlen(lower) != length) return false;
  for (size_t i = 0; i < length; i++) {
    if (ascii_lower(text[i]) != lower[i]) return false;
  }
  return true;
}

// Consumes `\r*\n` (or stops at end of file). Returns false when the carriage
// returns are not followed by a newline.
static bool consume_newline(Lexer* lexer) {
  while (lexer->lookahead == '\r') advance(lexer);
  if (lexer->lookahead == '\n') {
    advance(lexer);
    return true;
  }
  return at_eof(lexer);
}
