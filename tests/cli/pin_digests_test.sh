#!/usr/bin/env bash
# --pin-digests with a fake builder first (and alone) on PATH: the CLI asks
# `docker image inspect`, then `podman image inspect`, then `docker buildx
# imagetools inspect`, and base-tag pins what they answer.
# usage: pin_digests_test.sh DFOPT
set -u
dfopt=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
ok() { passed=$((passed + 1)); }

python_digest=sha256:$(printf 'a%.0s' $(seq 64))
node_digest=sha256:$(printf 'b%.0s' $(seq 64))
ubuntu_digest=sha256:$(printf 'c%.0s' $(seq 64))
mkdir -p "$tmp/bin" "$tmp/ctx"
# docker knows python locally (by its long name, as the containerd store
# says it) and node only in the registry; podman knows ubuntu.
cat >"$tmp/bin/docker" <<SCRIPT
#!/bin/sh
echo "docker \$*" >>"$tmp/calls"
if [ "\$1 \$2" = "image inspect" ]; then
  case "\$5" in
    python) echo '["docker.io/library/python@$python_digest","docker.io/library/other@$node_digest"]'; exit 0 ;;
  esac
  echo "Error: No such image: \$5" >&2; exit 1
fi
if [ "\$1 \$2 \$3" = "buildx imagetools inspect" ] && [ "\$4" = "node:latest" ]; then
  echo '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","digest":"$node_digest","size":10}'
  exit 0
fi
exit 1
SCRIPT
cat >"$tmp/bin/podman" <<SCRIPT
#!/bin/sh
echo "podman \$*" >>"$tmp/calls"
if [ "\$1 \$2" = "image inspect" ] && [ "\$5" = "ubuntu" ]; then echo '["docker.io/library/ubuntu@$ubuntu_digest"]'; exit 0; fi
exit 125
SCRIPT
chmod +x "$tmp/bin/docker" "$tmp/bin/podman"
printf 'FROM python AS build\nRUN true\n\nFROM node:latest AS web\nRUN true\n\nFROM ubuntu\nFROM registry.example.com/team/base\nFROM alpine:3.20\n' >"$tmp/ctx/Dockerfile"

run() { env PATH="$tmp/bin" "$dfopt" "$@" "$tmp/ctx/Dockerfile" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/status"; }

run check --only base-tag
[ ! -e "$tmp/calls" ] && ok || fail "the builder was asked without --pin-digests"
grep -q 'dfopt --pin-digests asks the builder' "$tmp/out" && ok || fail "check without --pin-digests: $(cat "$tmp/out")"

run diff --only base-tag --pin-digests --unsafe-fixes
grep -qx "+FROM python:latest@$python_digest AS build" "$tmp/out" && ok || fail "python from docker image inspect: $(cat "$tmp/out" "$tmp/err")"
grep -qx "+FROM node:latest@$node_digest AS web" "$tmp/out" && ok || fail "node from buildx imagetools"
grep -qx "+FROM ubuntu:latest@$ubuntu_digest" "$tmp/out" && ok || fail "ubuntu from podman"
grep -q 'alpine' "$tmp/calls" && fail "a tagged image was looked up" || ok
run check --only base-tag --pin-digests --unsafe-fixes
grep -q 'registry.example.com/team/base.*the builder could not resolve it' "$tmp/out" && ok || fail "unresolved image"

run fix --only base-tag --pin-digests
grep -q 'FROM python AS build' "$tmp/ctx/Dockerfile" && ok || fail "fix applied an unsafe pin without --unsafe-fixes"
run check --only base-tag --pin-digests
grep -q 'not applied: --unsafe-fixes' "$tmp/out" && ok || fail "withheld pin not marked"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
