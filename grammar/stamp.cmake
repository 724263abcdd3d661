# Writes (default) or checks (-DCHECK=ON) grammar/STAMP: the SHA-256 of the
# grammar sources and of the parser generated from them.
set(dir ${CMAKE_CURRENT_LIST_DIR})
set(content "")
foreach(f grammar.js src/scanner.c src/scanner_base.h src/scanner_shell.h src/parser.c)
  file(SHA256 ${dir}/${f} hash)
  string(APPEND content "${hash}  ${f}\n")
endforeach()
if(CHECK)
  file(READ ${dir}/STAMP expected)
  if(NOT expected STREQUAL content)
    message(FATAL_ERROR "grammar/STAMP does not match the grammar sources.\n"
      "grammar.js, the scanner (src/scanner.c, its headers) or src/parser.c changed without regenerating:\n"
      "run grammar/regenerate.sh (see README).\nexpected:\n${expected}actual:\n${content}")
  endif()
  message(STATUS "grammar stamp matches")
else()
  file(WRITE ${dir}/STAMP "${content}")
endif()
