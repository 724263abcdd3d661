#pragma once
/* What grammar/src/scanner_base.h takes from SCANNER_LEXER_HEADER when
 * src/syntax/outline_scanner.c compiles the scanner over OutlineLexer. */
#include "syntax/outline_lexer.h"

typedef OutlineLexer Lexer;
#define SCANNER_FUNCTION(name) outline_scanner_##name

static inline void advance(Lexer* lexer) { outline_lexer_advance(lexer, false); }
static inline void skip(Lexer* lexer) { outline_lexer_advance(lexer, true); }
static inline void mark_end(Lexer* lexer) {
  lexer->token_end = lexer->current;
  lexer->end_marked = true;
}
static inline uint32_t column(Lexer* lexer) { return outline_lexer_column(lexer); }
static inline bool at_eof(Lexer* lexer) { return lexer->current >= lexer->size; }
// A heredoc marker is made of '<': none can follow the text's last one.
static inline bool heredoc_marker_may_follow(Lexer* lexer) { return lexer->current < lexer->last_angle_end; }
