#!/usr/bin/env bash
# Time and peak memory of `dfopt check` on a large build context: FILES
# files (default 200,000), most under node_modules (70 %) and .git (25 %),
# which the .dockerignore leaves out, the rest an app's sources. The
# context is made in a temporary folder each run, not kept. With several
# binaries (an old and a new dfopt), each is measured on the same context,
# RUNS times (default 3), and the median printed.
# usage: bench/large_context.sh DFOPT [DFOPT...]   (FILES=N RUNS=N in the environment)
set -euo pipefail
files=${FILES:-200000}
runs=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp/ctx" "$files" <<'PY'
import os, sys
root, total = sys.argv[1], int(sys.argv[2])
def make(prefix, count, per_folder):
    for i in range(count):
        folder = os.path.join(root, prefix, f"p{i // per_folder // 50}", f"d{i // per_folder}")
        if i % per_folder == 0:
            os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"f{i}.js"), "w") as f:
            f.write("module.exports = 1\n")
node, git = total * 70 // 100, total * 25 // 100
make("node_modules", node, 20)
make(".git/objects", git, 50)
make("src", total - node - git, 20)
with open(os.path.join(root, "package.json"), "w") as f:
    f.write('{"name": "app", "version": "1.0.0", "dependencies": {"express": "^4.18.0"}}\n')
with open(os.path.join(root, ".dockerignore"), "w") as f:
    f.write("node_modules\n.git\n")
with open(os.path.join(root, "Dockerfile"), "w") as f:
    f.write('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD ["node", "src/index.js"]\n')
PY
echo "context: $(find "$tmp/ctx" -type f | wc -l) files ($files asked for), .dockerignore: node_modules, .git"

for dfopt in "$@"; do
  : >"$tmp/times"
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$dfopt" check "$tmp/ctx/Dockerfile" >/dev/null 2>&1 || true
    tail -n 1 "$tmp/time" >>"$tmp/times"
  done
  sort -n "$tmp/times" | awk -v name="$dfopt" '{ t[NR] = $1; m[NR] = $2 }
    END { i = int((NR + 1) / 2); printf "%s: median %.2f s, peak RSS %d KiB (%d runs)\n", name, t[i], m[i], NR }'
done
