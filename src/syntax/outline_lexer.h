#pragma once
/* The lexer readOutline drives the grammar's external scanner with: the
 * bytes of one text, read as tree-sitter's lexer reads them (code points as
 * lookahead, a token from where the skipped blanks end to its marked end).
 * C, because the scanner is C: src/syntax/outline_scanner.c compiles it over
 * this lexer (SCANNER_LEXER_HEADER in grammar/src/scanner_base.h), so that
 * advancing a character is a few inlined instructions, not two calls
 * through TSLexer's pointers. */
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct OutlineLexer {
  int32_t lookahead;      /* the code point at `current`; 0 at the end */
  uint16_t result_symbol; /* the token the scanner found */
  const unsigned char* bytes;
  uint32_t size;
  uint32_t current;
  uint32_t lookahead_size;
  uint32_t token_start;
  uint32_t token_end;
  uint32_t last_angle_end; /* one past the text's last '<' (0: it has none) */
  bool end_marked;
  bool bad_text; /* a byte sequence tree-sitter would decode otherwise */
} OutlineLexer;

/* Sets the lookahead to the code point at `current` (any byte: valid UTF-8
 * as tree-sitter decodes it). */
void outline_lexer_decode(OutlineLexer* lexer);

/* The code points since the line's start, as tree-sitter counts a column. */
uint32_t outline_lexer_column(const OutlineLexer* lexer);

void* outline_scanner_create(void);
void outline_scanner_destroy(void* payload);
bool outline_scanner_scan(void* payload, OutlineLexer* lexer, const bool* valid);
void outline_scanner_resume_at_line(void* payload);

static inline void outline_lexer_advance(OutlineLexer* lexer, bool skip) {
  if (lexer->current >= lexer->size) return;
  lexer->current += lexer->lookahead_size;
  if (skip) lexer->token_start = lexer->current;
  if (lexer->current < lexer->size && lexer->bytes[lexer->current] < 0x80) { /* most characters */
    lexer->lookahead = lexer->bytes[lexer->current];
    lexer->lookahead_size = 1;
    return;
  }
  outline_lexer_decode(lexer);
}

#ifdef __cplusplus
}
#endif
