/* The grammar's external scanner a second time, over readOutline's own lexer
 * (src/syntax/outline_lexer.h): the same code, its entry points named
 * outline_scanner_*. tree-sitter's build of grammar/src/scanner.c is left as
 * it is. */
#define SCANNER_LEXER_HEADER "syntax/outline_scanner.h"
#include "scanner.c"
