#!/usr/bin/env bash
# The pre-commit hooks of .pre-commit-hooks.yaml: their file pattern takes
# the names the directory walk takes, and pre-commit runs them on a
# temporary git repository that uses this checkout's hooks (a local clone,
# no network: language system installs nothing). Exits 77 (skipped) where
# pre-commit is missing (Debian's pre-commit package, scripts/install-deps.sh).
# usage: pre_commit_test.sh DFOPT SOURCE_DIR
set -u
dfopt=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
source_dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
pass() { passed=$((passed + 1)); }

# ---- the hooks' files/exclude patterns agree with the walk's names
names=(Dockerfile Containerfile dockerfile Dockerfile.dev Containerfile.ubi web.Dockerfile api.Containerfile web.dockerfile
  worker.containerfile Dockerfile.md Dockerfile.TXT Dockerfile.orig Dockerfile.rej Dockerfile.bak Dockerfile.swp
  Dockerfile~ Dockerfile.dockerignore Dockerfile.template Dockerfile.j2 Dockerfile.in web.Dockerfile.orig
  dockerfile.go Dockerfiles MyDockerfile Dockerfile. .Dockerfile docker-compose.yml Dockerfile-alpine prod_Dockerfile
  api_Dockerfile.builder _Dockerfile Dockerfile- .web.Dockerfile.swp)
mkdir -p "$tmp/names"
for name in "${names[@]}"; do printf 'FROM alpine\nADD a /a\n' >"$tmp/names/$name"; done
: >"$tmp/names/a"
"$dfopt" check --only add-to-copy --no-recursive "$tmp/names" 2>"$tmp/err" | sed -E 's|.*/||; s/:[0-9]+:[0-9]+: .*//' |
  LC_ALL=C sort >"$tmp/walked"
python3 - "$source_dir/.pre-commit-hooks.yaml" "${names[@]}" >"$tmp/hooked" <<'PY' || fail "reading the hooks"
import re, sys
text = open(sys.argv[1]).read()
hooks = re.findall(r"^- id: (\S+)\n((?:  .*\n)+)", text, re.M)
patterns = set()
for hook_id, body in hooks:
    fields = dict(re.findall(r"^  (\w+): (.*)$", body, re.M))
    patterns.add((fields["files"], fields["exclude"]))
    assert fields["language"] == "system" and fields["entry"] == "dfopt " + hook_id.split("-")[1], hook_id
assert {h for h, _ in hooks} == {"dfopt-check", "dfopt-fix"}, hooks
assert len(patterns) == 1, "the hooks take different files"
files, exclude = patterns.pop()
for name in sorted(sys.argv[2:]):
    for path in (name, "sub/dir/" + name):
        taken = re.search(files, path) and not re.search(exclude, path)
        if taken and path == name:
            print(name)
        elif bool(taken) != bool(re.search(files, name) and not re.search(exclude, name)):
            print("differs in a subdirectory:", path)
PY
if cmp -s "$tmp/walked" <(LC_ALL=C sort "$tmp/hooked"); then pass; else
  fail "the hooks' patterns and the walk take different names (< walk, > hooks)"
  diff "$tmp/walked" <(LC_ALL=C sort "$tmp/hooked")
fi

if ! command -v pre-commit >/dev/null; then
  echo "$passed passed, $failed failed; pre-commit is not installed: the hook runs are skipped"
  [ "$failed" -eq 0 ] || exit 1
  exit 77
fi

export PRE_COMMIT_HOME=$tmp/cache GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=test
export GIT_COMMITTER_EMAIL=test@example.com
export PATH=$(dirname "$dfopt"):$PATH
git() { command git -c init.defaultBranch=main -c advice.detachedHead=false "$@"; }

# The hooks as this checkout has them, in a repository of their own.
hooks=$tmp/hooks
mkdir -p "$hooks" && cp "$source_dir/.pre-commit-hooks.yaml" "$hooks/"
(cd "$hooks" && git init -q && git add . && git commit -qm hooks) || fail "hooks repository"
rev=$(git -C "$hooks" rev-parse HEAD)

project=$tmp/project
mkdir -p "$project/services/web" "$project/docs"
printf 'FROM alpine\nADD start.sh /start.sh\n' >"$project/Dockerfile"
printf 'FROM alpine\nADD start.sh /start.sh\n' >"$project/services/web/web.Dockerfile"
: >"$project/start.sh" && : >"$project/services/web/start.sh"
printf 'FROM alpine\nADD start.sh /start.sh\n' >"$project/docs/Dockerfile.md"  # an example in the docs
cat >"$project/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: dfopt-check
        args: [--only, add-to-copy]
      - id: dfopt-fix
        args: [--only, add-to-copy]
YAML
(cd "$project" && git init -q && git add . && git commit -qm project) || fail "project repository"
cp "$project/docs/Dockerfile.md" "$tmp/Dockerfile.md.before"

run() {  # run NAME STATUS HOOK: pre-commit run HOOK --all-files in the project
  local name=$1 want=$2 hook=$3
  (cd "$project" && pre-commit run "$hook" --all-files --color never) >"$tmp/out" 2>&1
  local got=$?
  if [ "$got" -ne "$want" ]; then fail "$name: exit $got (want $want)"; cat "$tmp/out"; else pass; fi
}

run "dfopt-check finds" 1 dfopt-check
grep -q '^Dockerfile:2:1: warning \[add-to-copy\]' "$tmp/out" && pass || fail "check output: $(cat "$tmp/out")"
grep -q '^services/web/web.Dockerfile:2:1: warning \[add-to-copy\]' "$tmp/out" && pass || fail "check: web.Dockerfile"
grep -q 'Dockerfile.md' "$tmp/out" && fail "docs/Dockerfile.md was passed to the hook" || pass

run "dfopt-fix rewrites (and fails, as a formatter does)" 1 dfopt-fix
grep -q 'files were modified by this hook' "$tmp/out" && pass || fail "fix output: $(cat "$tmp/out")"
grep -qx 'COPY start.sh /start.sh' "$project/Dockerfile" && pass || fail "Dockerfile not fixed: $(cat "$project/Dockerfile")"
grep -qx 'COPY start.sh /start.sh' "$project/services/web/web.Dockerfile" && pass || fail "web.Dockerfile not fixed"
cmp -s "$tmp/Dockerfile.md.before" "$project/docs/Dockerfile.md" && pass || fail "docs/Dockerfile.md was rewritten"

run "dfopt-fix after the fix" 0 dfopt-fix
run "dfopt-check after the fix" 0 dfopt-check

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
