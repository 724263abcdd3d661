#!/usr/bin/env bash
# `cpack -G DEB` from the build folder, then the package as dpkg-deb shows
# it: its files, its control fields (Depends: the libraries dfopt links, the
# same packages dfopt's own Dockerfile installs), a stripped binary that
# runs, a man page with every subcommand, the bash completion.
# usage: deb_test.sh BUILD_DIR SOURCE_DIR
set -u
build_dir=$(realpath "$1")
source_dir=$(realpath "$2")
for tool in cpack dpkg-deb dpkg-shlibdeps help2man; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is missing (scripts/install-deps.sh installs it)"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

(cd "$build_dir" && cpack -G DEB -B "$tmp/out") >"$tmp/cpack.log" 2>&1 || {
  cat "$tmp/cpack.log"
  echo "FAIL: cpack -G DEB"
  exit 1
}
debs=("$tmp"/out/dfopt_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || { echo "FAIL: no single dfopt_*.deb: ${debs[*]}"; exit 1; }
deb=${debs[0]}
version=$(sed -n 's/^project(dfopt VERSION \([0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")
[ "$(basename "$deb")" = "dfopt_${version}_$(dpkg --print-architecture).deb" ] && ok ||
  fail "file name $(basename "$deb"), want dfopt_${version}_ARCH.deb"

# The files: exactly these, and the folders above them.
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sort >"$tmp/files"
printf '%s\n' ./usr/bin/dfopt ./usr/share/bash-completion/completions/dfopt ./usr/share/man/man1/dfopt.1.gz |
  sort >"$tmp/want-files"
diff -u "$tmp/want-files" "$tmp/files" >"$tmp/files.diff" && ok || { fail "package files"; cat "$tmp/files.diff"; }
dpkg-deb -c "$deb" | grep -q '^-rwxr-xr-x root/root .* \./usr/bin/dfopt$' && ok || fail "/usr/bin/dfopt: mode 755, owned by root"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = dfopt ] && ok || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] && ok || fail "Version: $(field Version), want $version"
[ -n "$(field Maintainer)" ] && [ -n "$(field Description)" ] && ok || fail "Maintainer and Description"
depends=$(field Depends)
depends_names=$(tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/[ (].*//' | sort)
# The package of each shared library the binary needs: the C++ libraries
# only when they are not linked in (DFOPT_STATIC_LIBS, on by default),
# mimalloc only when the binary was built with it (DFOPT_MIMALLOC, on by default).
needed=$(readelf -d "$build_dir/dfopt" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p')
want_depends=(libc6)
while read -r library package; do
  grep -q "^$library" <<<"$needed" && want_depends+=("$package")
done <<'LIBRARIES'
libstdc++.so libstdc++6
libgcc_s.so libgcc-s1
libfmt.so libfmt9
libre2.so libre2-9
libtomlplusplus.so libtomlplusplus3
libtree-sitter.so libtree-sitter0
libyaml-cpp.so libyaml-cpp0.7
libmimalloc.so libmimalloc2.0
LIBRARIES
# A static build needs no C++ library at run time.
if grep -q "DFOPT_STATIC_LIBS:BOOL=ON" "$build_dir/CMakeCache.txt"; then
  grep -q '^lib\(stdc++\|fmt\|re2\|yaml-cpp\|tomlplusplus\|tree-sitter\)\.so' <<<"$needed" &&
    fail "DFOPT_STATIC_LIBS, yet the binary needs: $(echo $needed)" || ok
fi
for package in "${want_depends[@]}"; do
  grep -qx "$package" <<<"$depends_names" && ok || fail "Depends has no $package: $depends"
done
# What dfopt's own image installs on debian:bookworm-slim is the Depends,
# less what every Debian system has (libc6, libgcc-s1, libstdc++6).
image_packages=$(sed -n '/^FROM debian:bookworm-slim/,$p' "$source_dir/Dockerfile" |
  grep -v "^ *#" | grep -o "\\blib[a-z0-9.+-]*[a-z0-9]\\b" | sort -u)
# (The image's build uses the default, mimalloc, whatever this build chose.)
want_image=$( (grep -vx -e libc6 -e libgcc-s1 -e libstdc++6 <<<"$depends_names"; echo libmimalloc2.0) | sort -u)
[ "$image_packages" = "$want_image" ] && ok ||
  fail "the Dockerfile's runtime packages [$(echo $image_packages)] are not the Depends [$(echo $want_image)]"

dpkg-deb -x "$deb" "$tmp/root"
binary=$tmp/root/usr/bin/dfopt
[ "$("$binary" --version)" = "dfopt $version" ] && ok || fail "dfopt --version: $("$binary" --version 2>&1)"
readelf -S "$binary" | grep -q '\.debug_info' && fail "/usr/bin/dfopt is not stripped" || ok

# The man page: every subcommand, and it renders.
man_page=$tmp/root/usr/share/man/man1/dfopt.1.gz
gzip -t "$man_page" && ok || fail "dfopt.1.gz is not gzip"
for subcommand in $("$binary" --help | sed -n '/^Subcommands:/,$ s/^  \([a-z][a-z0-9-]*\) .*/\1/p'); do
  zcat "$man_page" | grep -qx ".SS \"dfopt $subcommand\"" && ok || fail "man page has no section for $subcommand"
done
zcat "$man_page" | grep -q '^\.SH "EXIT STATUS"' && ok || fail "man page has no EXIT STATUS"
if command -v man >/dev/null; then
  MANWIDTH=80 man --warnings -l "$man_page" >"$tmp/man.txt" 2>"$tmp/man.err" && [ ! -s "$tmp/man.err" ] && ok ||
    { fail "man -l dfopt.1.gz"; cat "$tmp/man.err"; }
  grep -q 'dfopt diff \[OPTIONS\]' "$tmp/man.txt" && ok || fail "the rendered man page has no dfopt diff usage"
fi

# The completion script is the one in packaging/, and bash loads it.
cmp -s "$tmp/root/usr/share/bash-completion/completions/dfopt" "$source_dir/packaging/dfopt.bash-completion" && ok ||
  fail "the completion is not packaging/dfopt.bash-completion"
bash -c 'source "$1" && complete -p dfopt' _ "$tmp/root/usr/share/bash-completion/completions/dfopt" >/dev/null && ok ||
  fail "bash cannot load the completion"

echo "deb: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
