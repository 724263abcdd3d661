#!/usr/bin/env bash
# packaging/dfopt.bash-completion, run as bash runs it on TAB (COMP_WORDS,
# COMP_CWORD, then _dfopt fills COMPREPLY) against the dfopt just built.
# usage: completion_test.sh DFOPT SOURCE_DIR
set -u
dfopt=$(realpath "$1")
source_dir=$(realpath "$2")
# shellcheck source=../../packaging/dfopt.bash-completion
source "$source_dir/packaging/dfopt.bash-completion"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/app" "$tmp/apps"
touch "$tmp/app.Dockerfile"
cd "$tmp" || exit 1
passed=0 failed=0

# expect "WORD WORD ..." -- the words of the command line (the last one is completed)
expect() {
  local want=$1
  shift 2
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _dfopt
  local got
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//')
  want=$(tr -s ' ' '\n' <<<"$want" | grep -v '^$' | sort | tr '\n' ' ' | sed 's/ $//')
  if [ "$got" = "$want" ]; then
    passed=$((passed + 1))
  else
    echo "FAIL: dfopt ${*:2}<TAB>: got [$got], want [$want]"
    failed=$((failed + 1))
  fi
}

# Transforms: one golden folder each (golden/pipeline runs them all).
transforms=$(find "$source_dir/golden" -mindepth 1 -maxdepth 1 -type d ! -name pipeline -printf '%f ')
subcommands=$("$dfopt" --help | sed -n '/^Subcommands:/,$ s/^  \([a-z][a-z0-9-]*\) .*/\1/p' | tr '\n' ' ')

expect "$subcommands" -- "$dfopt" ''
expect "diff" -- "$dfopt" di
expect "--help --version" -- "$dfopt" --
expect "graph golden" -- "$dfopt" g
expect "--only" -- "$dfopt" diff --on
expect "--unsafe-fixes --uid --user" -- "$dfopt" fix --u
expect "$transforms" -- "$dfopt" check --only ''
expect "non-root" -- "$dfopt" check --only non
expect "add-to-copy,non-root" -- "$dfopt" diff --only add-to-copy,no
expect "exec-form,deps-first exec-form,dockerignore" -- "$dfopt" fix --skip = exec-form,d
expect "$transforms" -- "$dfopt" fix --skip = ''
expect "text json" -- "$dfopt" layers --format ''
expect "tree buildkit json none" -- "$dfopt" parse --dump = ''
expect "buildkit" -- "$dfopt" parse --dump b
expect "auto docker podman buildah" -- "$dfopt" verify --builder ''
expect "app apps" -- "$dfopt" check --context ap
expect "app app.Dockerfile apps" -- "$dfopt" diff --unsafe-fixes ap
expect "app app.Dockerfile apps" -- "$dfopt" diff --user ap
expect "app.Dockerfile" -- "$dfopt" diff app.
expect "--update" -- "$dfopt" golden --up
[ "$(complete -p dfopt)" = "complete -F _dfopt dfopt" ] && passed=$((passed + 1)) ||
  { echo "FAIL: complete -p dfopt: $(complete -p dfopt)"; failed=$((failed + 1)); }

echo "completion: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
