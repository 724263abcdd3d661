// Dockerfile grammar for dfopt.
//
// Almost every token comes from the external scanner (src/scanner.c): what a
// line means in a Dockerfile depends on state a context-free lexer cannot
// hold: the escape character chosen by `# escape=`, whether parser directives
// are still allowed, whether the previous line ended in a continuation, and
// which here-documents the instruction line opened. The grammar only arranges
// those tokens; every byte of the input is either inside a token or is
// whitespace between tokens. A `word` is the arguments' text on one physical
// line, up to its end or a continuation, blanks inside included: dfopt splits
// arguments from the joined line as BuildKit does, and one token per line
// keeps the tree of a long script small.
module.exports = grammar({
  name: 'dockerfile',

  externals: $ => [
    $.parser_directive,
    $.comment,
    $.keyword,
    $.flag,
    $.word,
    $.line_continuation,
    $.continuation_comment,
    $.empty_continuation_line,
    $._end_of_line,
    $.final_continuation,
    $.heredoc_body,
    $.heredoc_end,
    $._error_sentinel,
  ],

  extras: $ => [
    /[ \t\f\v\r]/,
    $.line_continuation,
    $.continuation_comment,
    $.empty_continuation_line,
  ],

  rules: {
    // tree-sitter's lexer skips a leading UTF-8 byte order mark by itself.
    source_file: $ => repeat($._line),

    _line: $ => choice(
      seq($.parser_directive, $._end_of_line),
      seq($.comment, $._end_of_line),
      $.instruction,
      $._end_of_line,
    ),

    instruction: $ => seq(
      field('keyword', $.keyword),
      repeat(field('flag', $.flag)),
      optional(choice(
        field('trigger', $.trigger),
        repeat1(field('argument', $.word)),
      )),
      choice($._end_of_line, $.final_continuation),
      repeat(field('heredoc', $.heredoc)),
    ),

    // The instruction an ONBUILD registers.
    trigger: $ => seq(
      field('keyword', $.keyword),
      repeat(field('flag', $.flag)),
      repeat(field('argument', $.word)),
    ),

    heredoc: $ => seq(optional($.heredoc_body), $.heredoc_end),
  },
});
