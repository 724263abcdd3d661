#!/usr/bin/env bash
# `dfopt graph`: DOT that Graphviz renders, JSON with the stage edges, an
# unknown --from and a cycle. Exits 77 (skipped) without Graphviz's dot.
set -u
dfopt=$1
command -v dot >/dev/null || { echo "skipped: Graphviz's dot is missing (apt-get install graphviz)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
cat >"$tmp/Dockerfile" <<'DOCKERFILE'
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .
FROM alpine AS a
COPY --from=b /x /x
FROM alpine AS b
COPY --from=a /y /y
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
COPY --from=biulder /z /z
DOCKERFILE
for flags in "" "--instructions"; do
  # shellcheck disable=SC2086
  if "$dfopt" graph $flags "$tmp/Dockerfile" >"$tmp/graph.dot" && dot -Tsvg "$tmp/graph.dot" -o "$tmp/graph.svg" &&
    grep -q '<svg' "$tmp/graph.svg"; then ok; else fail "dot renders dfopt graph $flags"; fi
done
"$dfopt" graph --format json "$tmp/Dockerfile" >"$tmp/graph.json" || fail "json exit code"
python3 - "$tmp/graph.json" <<'PY' && ok || fail "json content"
import json, sys
g = json.load(open(sys.argv[1]))
assert [s["name"] for s in g["stages"]] == ["build", "a", "b", ""], g["stages"]
assert {(e["from"], e["to"], e["kind"]) for e in g["edges"]} == {(1, 2, "copy"), (2, 1, "copy"), (0, 3, "copy")}, g["edges"]
assert g["unknown"] == [{"line": 11, "name": "biulder"}], g["unknown"]
assert g["cycles"] == [[1, 2]], g["cycles"]
assert "order" not in g
PY
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
