#!/usr/bin/env bash
# Writes dfopt's man page, gzipped: help2man on `dfopt --help` and
# `--version`, with a SUBCOMMANDS section holding every subcommand's --help
# (the subcommands are those the top-level --help lists).
# usage: make-man.sh DFOPT OUT.1.gz
set -euo pipefail
dfopt=$(realpath "$1")
out=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Run as `dfopt` from PATH, so the usage lines say dfopt and not the build path.
mkdir "$work/bin"
ln -s "$dfopt" "$work/bin/dfopt"
export PATH="$work/bin:$PATH"

# Help text as roff no-fill lines: backslashes and leading dots or quotes
# escaped, minus signs as minus signs.
as_roff() {
  sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
}

subcommands=$(dfopt --help | sed -n '/^Subcommands:/,$ s/^  \([a-z][a-z0-9-]*\)  .*/\1/p')
[ -n "$subcommands" ] || { echo "make-man.sh: no subcommands in dfopt --help" >&2; exit 1; }
{
  echo '[SUBCOMMANDS]'
  for subcommand in $subcommands; do
    echo ".SS \"dfopt $subcommand\""
    echo '.nf'
    dfopt "$subcommand" --help | as_roff
    echo '.fi'
  done
  cat <<'ROFF'
[EXIT STATUS]
.TP
.B 0
success: nothing to change, or the command did what was asked
.TP
.B 1
findings or changes, for the commands that report them
.TP
.B 2
usage or input error, reported as FILE:LINE:COLUMN: error: MESSAGE
[SEE ALSO]
The README of the dfopt sources, which documents every transform and option.
ROFF
} >"$work/dfopt.h2m"
help2man --no-info --section 1 \
  --name 'rewrite Dockerfiles into cache-friendly, multi-stage, non-root builds' \
  --include "$work/dfopt.h2m" --output "$work/dfopt.1" dfopt
gzip -9n <"$work/dfopt.1" >"$out.tmp"
mv "$out.tmp" "$out"
