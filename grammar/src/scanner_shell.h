// What the external scanner follows in an instruction's arguments: the JSON
// recogniser (BuildKit opens heredocs only when the arguments are not a JSON
// array of strings) and the shell words in which BuildKit finds heredoc
// markers. A header included by scanner.c rather than a source of its own: a
// tree-sitter scanner is one C translation unit (tree-sitter builds compile
// only src/parser.c and src/scanner.c), so its functions stay static.
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "scanner_base.h"

// ------------------------------------------------------- JSON recogniser

static bool is_hex(int32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_json_space(int32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static void json_feed(Scanner* s, int32_t c) {
  switch (s->json_state) {
    case JSON_START:
      if (c == '[')
        s->json_state = JSON_VALUE_OR_END;
      else if (!is_blank(c))
        s->json_state = JSON_INVALID;
      break;
    case JSON_VALUE_OR_END:
    case JSON_VALUE:
      if (c == '"')
        s->json_state = JSON_STRING;
      else if (c == ']' && s->json_state == JSON_VALUE_OR_END)
        s->json_state = JSON_DONE;
      else if (!is_json_space(c))
        s->json_state = JSON_INVALID;
      break;
    case JSON_STRING:
      if (c == '"')
        s->json_state = JSON_AFTER_VALUE;
      else if (c == '\\')
        s->json_state = JSON_STRING_ESCAPE;
      else if (c < 0x20)
        s->json_state = JSON_INVALID;
      break;
    case JSON_STRING_ESCAPE:
      if (c == 'u') {
        s->json_state = JSON_STRING_HEX;
        s->json_hex_left = 4;
      } else if (strchr("\"\\/bfnrt", (int)c) != NULL && c != 0) {
        s->json_state = JSON_STRING;
      } else {
        s->json_state = JSON_INVALID;
      }
      break;
    case JSON_STRING_HEX:
      if (!is_hex(c))
        s->json_state = JSON_INVALID;
      else if (--s->json_hex_left == 0)
        s->json_state = JSON_STRING;
      break;
    case JSON_AFTER_VALUE:
      if (c == ',')
        s->json_state = JSON_VALUE;
      else if (c == ']')
        s->json_state = JSON_DONE;
      else if (!is_json_space(c))
        s->json_state = JSON_INVALID;
      break;
    case JSON_DONE:
      if (!is_json_space(c)) s->json_state = JSON_INVALID;
      break;
    default:
      break;
  }
}

// ------------------------------------------------------- heredoc markers

// Removes shell quoting from a heredoc word the way BuildKit's lexer does
// for the terminator name.
static uint8_t unquote_name(const char* raw, size_t length, char* out) {
  uint8_t written = 0;
  char quote = 0;
  for (size_t i = 0; i < length && written < NAME_CAPACITY; i++) {
    char c = raw[i];
    if (quote == '\'') {
      if (c == '\'')
        quote = 0;
      else
        out[written++] = c;
    } else if (quote == '"') {
      if (c == '"')
        quote = 0;
      else if (c == '\\' && i + 1 < length)
        out[written++] = raw[++i];
      else
        out[written++] = c;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '\\' && i + 1 < length) {
      out[written++] = raw[++i];
    } else {
      out[written++] = c;
    }
  }
  return written;
}

// Matches a word against `^(\d*)<<(-?)\s*([^<]*)$` and records the heredoc.
static void record_heredoc_word(Scanner* s) {
  const char* w = s->shell_word;
  size_t n = s->shell_word_length;
  size_t i = 0;
  if (s->shell_word_overflow) return;
  while (i < n && w[i] >= '0' && w[i] <= '9') i++;
  if (i + 1 >= n || w[i] != '<' || w[i + 1] != '<') return;
  i += 2;
  bool chomp = false;
  if (i < n && w[i] == '-') {
    chomp = true;
    i++;
  }
  while (i < n && (w[i] == ' ' || w[i] == '\t')) i++;
  if (i == n) return;
  for (size_t j = i; j < n; j++) {
    if (w[j] == '<') return;
  }
  if (s->heredoc_count == MAX_HEREDOCS) return;
  PendingHeredoc* h = &s->heredocs[s->heredoc_count];
  h->length = unquote_name(w + i, n - i, h->name);
  h->chomp = chomp;
  if (h->length > 0) s->heredoc_count++;
}

static void end_shell_word(Scanner* s) {
  if (s->in_shell_word) record_heredoc_word(s);
  s->shell_after_lt = false;
  s->shell_after_heredoc = false;
  s->in_shell_word = false;
  s->shell_word_length = 0;
  s->shell_word_overflow = false;
}

static void shell_word_append(Scanner* s, int32_t c) {
  s->in_shell_word = true;
  if (c > 0x7F || s->shell_word_length == WORD_CAPACITY) {
    s->shell_word_overflow = true;
    return;
  }
  s->shell_word[s->shell_word_length++] = (char)c;
}

static void shell_feed(Scanner* s, int32_t c) {
  if (s->shell_escape_pending) {
    s->shell_escape_pending = false;
    shell_word_append(s, c);
    return;
  }
  if (s->shell_quote == '\'') {
    if (c == '\'') s->shell_quote = 0;
    shell_word_append(s, c);
    return;
  }
  if (s->shell_quote == '"') {
    if (c == '"') s->shell_quote = 0;
    if (c == '\\') s->shell_escape_pending = true;
    shell_word_append(s, c);
    return;
  }
  if (is_blank(c)) {
    // BuildKit's lexer keeps the blanks after `<<` in the word
    if (s->shell_after_heredoc)
      shell_word_append(s, c);
    else
      end_shell_word(s);
    return;
  }
  s->shell_after_heredoc = c == '<' && s->shell_after_lt;
  s->shell_after_lt = c == '<' && !s->shell_after_lt;
  if (c == '\\') s->shell_escape_pending = true;
  if (c == '\'' || c == '"') s->shell_quote = (uint8_t)c;
  shell_word_append(s, c);
}

// Every character of the instruction's arguments goes through here.
static void feed_argument_char(Scanner* s, int32_t c) {
  if (s->json_state != JSON_INVALID) json_feed(s, c);
  if (s->heredoc_capable) shell_feed(s, c);
}

static void reset_instruction(Scanner* s) {
  s->json_state = JSON_START;
  s->json_hex_left = 0;
  s->shell_quote = 0;
  s->shell_escape_pending = false;
  s->in_shell_word = false;
  s->shell_word_overflow = false;
  s->shell_after_lt = false;
  s->shell_after_heredoc = false;
  s->shell_word_length = 0;
  s->heredoc_count = 0;
  s->heredoc_next = 0;
  s->after_continuation = false;
  s->heredoc_capable = false;
  s->keyword_is_onbuild = false;
}
