#!/usr/bin/env bash
# `dfopt verify` without a container builder (exit 2, a clear message), and
# with a stand-in docker (fake_docker.sh: BuildKit's output, canned image
# facts): the table, the verdicts, the exit codes, the user's files untouched.
# usage: verify_cli_test.sh DFOPT
set -u
dfopt=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/empty-path"
printf 'FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n' >"$tmp/Dockerfile"
printf 'FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n' >"$tmp/Dockerfile.mine"
printf 'flask\n' >"$tmp/requirements.txt"
printf 'print("hi")\n' >"$tmp/app.py"
passed=0 failed=0

check() {  # check NAME EXPECTED_STATUS STDERR_PATTERN -- COMMAND...
  local name=$1 want=$2 pattern=$3
  shift 4
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local got=$?
  if [ "$got" -ne "$want" ] || ! grep -qE -- "$pattern" "$tmp/err"; then
    echo "FAIL: $name: exit $got (want $want), stderr:"; cat "$tmp/err"
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
}

check "no builder on PATH" 2 'error: no container builder is available: docker is not on PATH; podman is not on PATH; buildah is not on PATH' -- \
  env PATH="$tmp/empty-path" "$dfopt" verify "$tmp/Dockerfile"
check "no builder: says what to install" 2 'needs docker \(with a running daemon\), podman or buildah on PATH' -- \
  env PATH="$tmp/empty-path" "$dfopt" verify "$tmp/Dockerfile"
check "--builder buildah missing" 2 '^error: no container builder is available: buildah is not on PATH$' -- \
  env PATH="$tmp/empty-path" "$dfopt" verify --builder buildah "$tmp/Dockerfile"
check "unknown builder" 2 'builder' -- "$dfopt" verify --builder kaniko "$tmp/Dockerfile"
check "missing Dockerfile" 2 'no such file' -- env PATH="$tmp/empty-path" "$dfopt" verify "$tmp/nothing"
check "missing --rewritten" 2 'nothing: error: no such file' -- "$dfopt" verify --rewritten "$tmp/nothing" "$tmp/Dockerfile"
check "--env without =" 2 '^error: --env wants KEY=VALUE, not DEBUG$' -- "$dfopt" verify --run --env DEBUG "$tmp/Dockerfile"
check "run options without --run" 2 '^error: --env, --publish and --probe-command need --run$' -- \
  "$dfopt" verify --probe-command true "$tmp/Dockerfile"
check "--run without any runner" 2 'no container builder is available' -- \
  env PATH="$tmp/empty-path" "$dfopt" verify --run "$tmp/Dockerfile"
mkdir "$tmp/buildah-only"
ln -s "$(type -P true)" "$tmp/buildah-only/buildah"
check "--run with buildah and no podman" 2 '^error: --run needs podman to run the images buildah builds, and podman is not on PATH$' -- \
  env PATH="$tmp/buildah-only" "$dfopt" verify --run --builder buildah "$tmp/Dockerfile"

# A stand-in docker on an otherwise empty PATH (plus what it needs itself).
here=$(cd "$(dirname "$0")" && pwd)
mkdir "$tmp/bin" "$tmp/state"
ln -s "$here/fake_docker.sh" "$tmp/bin/docker"
for tool in bash tar mktemp rm touch printf cat; do ln -s "$(command -v "$tool")" "$tmp/bin/$tool"; done
export FAKE_DOCKER_STATE="$tmp/state"
snapshot() { (cd "$tmp" && find Dockerfile Dockerfile.mine requirements.txt app.py -type f -exec md5sum {} + ; ls -A) | md5sum; }
before=$(snapshot)

expect_out() {  # expect_out NAME PATTERN
  grep -qE -- "$2" "$tmp/out" || { echo "FAIL: $1: stdout lacks /$2/:"; cat "$tmp/out"; failed=$((failed + 1)); }
}

check "docker: no worse" 0 'building the original image with docker' -- \
  env PATH="$tmp/bin" "$dfopt" verify --builder docker "$tmp/Dockerfile"
expect_out "build row" '^build +ok \([0-9.]+s\) +ok \([0-9.]+s\)$'
expect_out "size row" '^size +1\.00 GB +250\.0 MB +0\.25x$'
expect_out "layers row" '^layers +6 +8$'
expect_out "re-run row" '^steps re-run after edit +2 of 3 +2 of 6 +edited app\.py$'
expect_out "RUN row" '^  RUN steps +1 +0$'
expect_out "dependency row" '^  dependency installs +1 +0$'
expect_out "user row" '^final user +root \(uid 0\) +appuser \(uid 10000\)$'
expect_out "verdict" '^verdict: the rewrite builds and is no worse$'
grep -q '^rmi -f localhost/dfopt-verify-.*:before$' "$tmp/state/commands" && grep -q '^rmi -f localhost/dfopt-verify-.*:after$' "$tmp/state/commands" \
  || { echo "FAIL: the images are not removed"; failed=$((failed + 1)); }
grep -q -- '-f /.*/Dockerfile.after -t' "$tmp/state/commands" \
  || { echo "FAIL: the rewrite is not built from a temporary Dockerfile"; failed=$((failed + 1)); }

rm -f "$tmp/state/built-"*
check "docker: larger image" 1 '' -- env PATH="$tmp/bin" FAKE_AFTER_SIZE=2000000000 "$dfopt" verify --builder docker "$tmp/Dockerfile"
expect_out "larger verdict" '^verdict: worse: the image is larger \(2\.00 GB > 1\.00 GB\)$'

rm -f "$tmp/state/built-"*
check "docker: rewrite fails" 1 'the rewritten image does not build' -- \
  env PATH="$tmp/bin" FAKE_FAIL_AFTER=1 "$dfopt" verify --builder docker "$tmp/Dockerfile"
expect_out "build FAILED" '^build +ok \([0-9.]+s\) +FAILED$'
expect_out "failed verdict" '^verdict: worse: the rewritten Dockerfile does not build$'

check "auto picks docker" 0 'with docker' -- env PATH="$tmp/bin" "$dfopt" verify "$tmp/Dockerfile"
check "--touch outside the context" 2 'names no file in the build context' -- \
  env PATH="$tmp/bin" "$dfopt" verify --touch /etc/hostname "$tmp/Dockerfile"
check "--touch a chosen file" 0 '' -- env PATH="$tmp/bin" "$dfopt" verify --touch requirements.txt "$tmp/Dockerfile"
expect_out "touched row" 'edited requirements\.txt$'

rm -f "$tmp/state/built-"* "$tmp/state/commands"
check "docker --run: runs alike" 0 'running localhost/dfopt-verify-.*:after with docker' -- \
  env PATH="$tmp/bin" "$dfopt" verify --builder docker --run --settle 0 --env GREETING=hi --probe-command 'test -w .' "$tmp/Dockerfile"
expect_out "running row" '^after 0s +running +running$'
expect_out "probe command row" '^probe command +exit 0 "ok" +exit 0 "ok"$'
expect_out "uid row" '^uid of PID 1 +0 +10000$'
expect_out "runs alike verdict" '^verdict: the rewrite builds, runs alike and is no worse$'
grep -q '^run -d --name dfopt-verify-.*-after -e GREETING=hi localhost/dfopt-verify-.*:after$' "$tmp/state/commands" \
  || { echo "FAIL: the rewrite is not run with --env"; failed=$((failed + 1)); }
[ "$(grep -c '^rm -f dfopt-verify-' "$tmp/state/commands")" -eq 2 ] \
  || { echo "FAIL: the containers are not removed"; failed=$((failed + 1)); }

rm -f "$tmp/state/built-"*
check "docker --run: the rewrite stops" 1 'the rewritten container stopped; its last output:' -- \
  env PATH="$tmp/bin" FAKE_AFTER_STOPS=1 "$dfopt" verify --builder docker --run --settle 0 "$tmp/Dockerfile"
expect_out "stopped row" '^after 0s +running +stopped \(exit 3\)$'
expect_out "stopped verdict" '^verdict: worse: the rewrite stopped \(stopped \(exit 3\)\), the original kept running$'

rm -f "$tmp/state/built-"*
check "--rewritten: that file is the rewrite" 0 'the rewrite is .*/Dockerfile.mine \(--rewritten\)' -- \
  env PATH="$tmp/bin" "$dfopt" verify --builder docker --rewritten "$tmp/Dockerfile.mine" "$tmp/Dockerfile"
grep -q 'build -f /.*/Dockerfile.after' "$tmp/state/commands" && cmp -s "$tmp/Dockerfile.mine" "$tmp/state/last-after" \
  || { echo "FAIL: --rewritten is not what is built as the rewrite"; failed=$((failed + 1)); }

[ "$(snapshot)" = "$before" ] || { echo "FAIL: verify changed the context"; failed=$((failed + 1)); }

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
