#!/usr/bin/env bash
# A stand-in for the docker CLI for verify_cli_test.sh: answers the commands
# `dfopt verify` runs with BuildKit's plain progress output and canned image
# facts, so the parsing and the verdicts are tested without a daemon.
# State (which tags were built, every command) lives in $FAKE_DOCKER_STATE.
# FAKE_AFTER_SIZE: size of the rewritten image (default 250 MB);
# FAKE_FAIL_AFTER=1: the rewritten image does not build.
# For --run (containers named ...-before and ...-after; no ports published):
# both run as uid 0 (before) and 10000 (after) and answer the probe command
# with "ok"; FAKE_AFTER_STOPS=1: the rewritten container has stopped (exit 3).
set -u
state=${FAKE_DOCKER_STATE:?}
echo "$*" >>"$state/commands"
tag_of() { while [ $# -gt 0 ]; do [ "$1" = -t ] && { echo "$2"; return; }; shift; done; }
case "$1" in
  version) echo "28.0.0-fake" ;;
  images) ;;
  build)
    tag=$(tag_of "$@")
    variant=${tag##*:}
    marker="$state/built-$variant"
    dockerfile=$(while [ $# -gt 0 ]; do [ "$1" = -f ] && { echo "$2"; break; }; shift; done)
    cat "$dockerfile" >"$state/last-$variant"
    echo "#0 building with \"default\" instance using docker driver"
    echo "#1 [internal] load build definition from Dockerfile.$variant"
    echo "#1 DONE 0.0s"
    if [ "$variant" = before ]; then
      cached=""; [ -e "$marker" ] && cached=yes
      echo "#5 [1/4] FROM docker.io/library/python:3.11"
      echo "#5 CACHED"
      echo "#6 [2/4] WORKDIR /app"
      [ -n "$cached" ] && echo "#6 CACHED"
      echo "#7 [3/4] COPY . ."
      echo "#7 DONE 0.1s"
      echo "#8 [4/4] RUN pip install -r requirements.txt"
      echo "#8 0.512 Collecting flask"
      echo "#8 DONE 3.2s"
    else
      if [ "${FAKE_FAIL_AFTER:-0}" = 1 ]; then
        echo "#9 [build 4/5] RUN pip install -r requirements.txt"
        echo "#9 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1"
        exit 1
      fi
      c() { [ -e "$marker" ] && echo "#$1 CACHED"; }
      echo "#5 [build 1/5] FROM docker.io/library/python:3.11"
      echo "#5 CACHED"
      echo "#10 [production 1/3] FROM docker.io/library/python:3.11-slim"
      echo "#10 CACHED"
      echo "#6 [build 2/5] WORKDIR /app"; c 6
      echo "#7 [build 3/5] COPY requirements.txt ./"; c 7
      echo "#11 [production 2/3] RUN groupadd --gid 10000 appuser && useradd --uid 10000 --gid appuser appuser"; c 11
      echo "#8 [build 4/5] RUN pip install -r requirements.txt"; c 8
      echo "#9 [build 5/5] COPY . ."
      echo "#9 DONE 0.1s"
      echo "#12 [production 3/3] COPY --from=build /app /app"
      echo "#12 DONE 0.1s"
    fi
    echo "#13 exporting to image"
    echo "#13 naming to $tag done"
    touch "$marker"
    ;;
  image)  # image inspect TAG: a JSON array, as docker prints it
    tag=${!#}
    if [ "${tag##*:}" = before ]; then size=1000000000 layers=6 user=""; else size=${FAKE_AFTER_SIZE:-250000000} layers=8 user=appuser; fi
    digests=""
    for ((i = 1; i <= layers; i++)); do digests+="${digests:+, }\"sha256:layer$i\""; done
    printf '[{"Id": "sha256:fake", "Size": %s, "RootFS": {"Type": "layers", "Layers": [%s]}, "Config": {"User": "%s"}}]\n' \
      "$size" "$digests" "$user" ;;
  create) echo "fakecontainer0123" ;;
  cp)
    dir=$(mktemp -d)
    printf 'root:x:0:0:root:/root:/bin/bash\nappuser:x:10000:10000::/home/appuser:/bin/sh\n' >"$dir/passwd"
    tar -C "$dir" -cf - passwd
    rm -rf "$dir" ;;
  run) echo "fakecontainer-${4##*-}" ;;
  port) ;;
  container)  # container inspect --format FORMAT NAME
    name=${!#}
    if [ "${name##*-}" = after ] && [ "${FAKE_AFTER_STOPS:-0}" = 1 ]; then echo "false 3"; else echo "true 0"; fi ;;
  exec)  # exec NAME cat /proc/1/status | exec NAME sh -c CMD
    if [ "$3" = cat ]; then
      uid=0; [ "${2##*-}" = after ] && uid=10000
      printf 'Name:\tapp\nUid:\t%s\t%s\t%s\t%s\n' "$uid" "$uid" "$uid" "$uid"
    else
      echo ok
    fi ;;
  logs) echo "PermissionError: [Errno 13] Permission denied: 'notes.db'" ;;
  rm | rmi) ;;
  *) echo "fake docker: unexpected command: $*" >&2; exit 1 ;;
esac
