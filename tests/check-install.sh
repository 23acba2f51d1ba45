#!/bin/sh
# SPDX-License-Identifier: MIT
# check-install.sh - install libcors into a temporary DESTDIR with PREFIX=/usr/local,
# use the installed copy as a user would (C through pkg-config, shared and static;
# C through CMake's find_package; the man pages through man; the Go package through
# pkg-config; the Python binding through LIBCORS_PATH and through the system loader,
# installed by make install-python, and by pip into a venv without network), then
# uninstall and fail on any file left behind. Then the same for PREFIX=/opt/libcors
# after a plain `make` (the .pc, the CMake package and the man pages must name the new
# prefix), with the tree moved elsewhere before it is used (nothing depends on where
# DESTDIR was), the generated files for a LIBDIR outside PREFIX, and the CMake package
# reached through a /lib -> usr/lib link (PREFIX=/usr on a merged /usr).
# Run from anywhere (make check-install). Ends with one line "N passed, N failed".
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=/usr/local
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-install.XXXXXX") || exit 1
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
D="$tmp/dest"
LIB="$D$PREFIX/lib"
mkdir -p "$D"

passed=0
failed=0

. "$ROOT/tests/check-lib.sh"

fail() {
    failed=$((failed + 1))
    echo "  FAIL  $*"
}

# man_pages DESTDIR PREFIX: both pages installed, formatted by groff -ww and man -l without a
# warning, found by `man` through MANPATH, and naming PREFIX in FILES.
man_pages() {
    _mandir="$1$2/share/man"
    for _page in man1/corscheck.1 man3/libcors.3; do
        check "$2/share/man/$_page: groff -man -ww, man -l: no warning" 0 sh -c \
            "test -f '$_mandir/$_page' || exit 1
             groff -man -ww -z '$_mandir/$_page' 2>&1 | grep . >&2 && exit 1
             MANWIDTH=80 man -l '$_mandir/$_page' 2>&1 >/dev/null | grep . >&2 && exit 1
             MANWIDTH=80 man -l '$_mandir/$_page' 2>/dev/null | grep -q 'SYNOPSIS'"
    done
    check "MANPATH=$2/share/man (in DESTDIR) man corscheck, man 3 libcors, man cors_evaluate; FILES names $2" 0 sh -c \
        "MANPATH='$_mandir' MANWIDTH=80 man -P cat corscheck 2>/dev/null | grep -qF '$2/bin/corscheck' &&
         MANPATH='$_mandir' MANWIDTH=80 man -P cat 3 libcors 2>/dev/null | grep -qF '$2/include/libcors.h' &&
         MANPATH='$_mandir' MANWIDTH=80 man -P cat cors_evaluate 2>/dev/null | grep -q '^LIBCORS(3)'"
}

# cmake_user NAME PREFIX_PATH LIBDIR: a project outside the tree that finds the installed
# package (find_package(libcors 0.2 CONFIG REQUIRED), CMAKE_PREFIX_PATH only), links
# libcors::libcors and libcors::static, builds and runs; 0.1, 0.3 and 1.0 are refused.
cmake_user() {
    _dir="$tmp/cmake-$1" _prefix=$2 _libdir=$3
    mkdir -p "$_dir"
    cp "$cmake_src" "$_dir/app.c"
    cat > "$_dir/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.10)
project(libcors_user C)
set(WANT 0.2 CACHE STRING "the libcors version asked for")
find_package(libcors ${WANT} CONFIG REQUIRED)
message(STATUS "libcors ${libcors_VERSION} from ${libcors_DIR}")
add_executable(app app.c)
target_link_libraries(app PRIVATE libcors::libcors)
add_executable(app-static app.c)
target_link_libraries(app-static PRIVATE libcors::static)
EOF
    # No package registry may answer; CMAKE_PREFIX_PATH comes before the system's prefixes,
    # and libcors_DIR is checked below.
    set -- -DCMAKE_PREFIX_PATH="$_prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
        -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
    if check "cmake: find_package(libcors 0.2 CONFIG REQUIRED), CMAKE_PREFIX_PATH=$_prefix" 0 \
        cmake -S "$_dir" -B "$_dir/build" "$@"; then
        grep -F 'libcors 0.' "$tmp/out" | sed 's/^--/       /'
        check "cmake: libcors_DIR is $_libdir/cmake/libcors" 0 \
            grep -qxF "libcors_DIR:PATH=$_libdir/cmake/libcors" "$_dir/build/CMakeCache.txt"
        if check "cmake --build: app (libcors::libcors), app-static (libcors::static)" 0 cmake --build "$_dir/build"; then
            check "app runs against $_libdir/libcors.so.1" 0 sh -c \
                "'$_dir/build/app' >/dev/null && ldd '$_dir/build/app' | grep 'libcors.so.1' | grep -qF '$_libdir/'"
            check "app-static runs, without libcors.so" 0 sh -c \
                "env -u LD_LIBRARY_PATH '$_dir/build/app-static' >/dev/null && ! ldd '$_dir/build/app-static' | grep -q libcors"
        fi
    fi
    for _want in 0.1 0.3 1.0; do
        check "cmake: find_package(libcors $_want) refuses $version" 0 sh -c \
            "! cmake -S '$_dir' -B '$_dir/build-$_want' -DWANT=$_want $* > '$tmp/cmake-want' 2>&1 &&
             tr -s ' \\n' ' ' < '$tmp/cmake-want' | grep -q 'compatible with requested version \"$_want\"' ||
             { cat '$tmp/cmake-want'; exit 1; }"
    done
}

for tool in cc pkg-config python3 go cmake man groff; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (sh tests/install-deps.sh golang-go cmake man-db)"
done

# Nothing from the build tree or the caller's environment may leak in.
unset LIBCORS_PATH CGO_CFLAGS CGO_CPPFLAGS CGO_LDFLAGS CPATH LIBRARY_PATH C_INCLUDE_PATH
PKG_CONFIG_SYSROOT_DIR="$D"
PKG_CONFIG_PATH="$LIB/pkgconfig"
PKG_CONFIG_LIBDIR="$LIB/pkgconfig" # not the system's: an installed libcors must not answer
LD_LIBRARY_PATH="$LIB"
PYTHONDONTWRITEBYTECODE=1
CORS_CORPUS_DIR="$ROOT/tests/corpus"
GOCACHE="$tmp/go/cache" # fresh: compiled against the installed libcors.h only
GOPATH="$tmp/go/path"
GOPROXY=off
GOFLAGS=-mod=mod
GOTOOLCHAIN=local
CGO_ENABLED=1
export PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_PATH PKG_CONFIG_LIBDIR LD_LIBRARY_PATH PYTHONDONTWRITEBYTECODE \
    CORS_CORPUS_DIR GOCACHE GOPATH GOPROXY GOFLAGS GOTOOLCHAIN CGO_ENABLED

echo "install: DESTDIR=$D PREFIX=$PREFIX"
check "make install" 0 make -C "$ROOT" --no-print-directory install DESTDIR="$D" PREFIX="$PREFIX"
(cd "$D" && find . ! -type d | sort | sed 's/^\./    /')

version=$(sed -n 's/^#define CORS_VERSION_STRING "\(.*\)"$/\1/p' "$D$PREFIX/include/libcors.h" 2>/dev/null)
check "installed libcors.pc: prefix $PREFIX, version ${version:-?}" 0 sh -c \
    "grep -qx 'prefix=$PREFIX' '$LIB/pkgconfig/libcors.pc' && [ \"\$(pkg-config --modversion libcors)\" = '$version' ]"
cflags=$(pkg-config --cflags libcors 2>/dev/null)
libs=$(pkg-config --libs libcors 2>/dev/null)
echo "  pkg-config --cflags --libs libcors: $cflags $libs"
check "pkg-config points into DESTDIR" 0 sh -c "case '$cflags $libs' in *'-I$D$PREFIX/include'*'-L$LIB'*) exit 0;; *) exit 1;; esac"

echo "C:"
programs=
for src in "$ROOT"/examples/*.c; do
    [ "$(basename "$src")" = corscheck.c ] && continue
    [ "$(basename "$src")" = server_mhd.c ] && continue # needs libmicrohttpd: make check-server builds it
    [ -f "$src" ] && programs="$programs $src"
done
if [ -z "$programs" ]; then # no example but the CLI: a tiny program of our own
    cat > "$tmp/tiny.c" <<'EOF'
#include <libcors.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    static const char raw[] = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n";
    cors_header headers[8];
    cors_response resp;
    cors_request req;
    cors_report report;
    if (cors_response_parse(raw, strlen(raw), 0, headers, 8, &resp, NULL) != CORS_OK)
        return 2;
    cors_request_init(&req, sizeof(req));
    req.origin.ptr = "https://app.example";
    req.origin.len = strlen(req.origin.ptr);
    cors_report_init(&report, sizeof(report), NULL, 0, NULL, 0, NULL, 0);
    if (cors_evaluate(NULL, &req, NULL, &resp, &report, NULL) != CORS_OK)
        return 2;
    printf("libcors %s: %s\n", cors_version(), report.ok ? "allowed" : "refused");
    return report.ok ? 0 : 1;
}
EOF
    programs="$tmp/tiny.c"
fi
for src in $programs; do
    name=$(basename "$src" .c)
    # shellcheck disable=SC2086 # pkg-config output is meant to split
    if check "$name.c: cc \$(pkg-config --cflags --libs libcors)" 0 cc -std=c11 -Wall -Wextra -Werror "$src" \
        $cflags $libs -o "$tmp/$name"; then
        check "$name runs against the installed libcors.so" 0 "$tmp/$name"
        if command -v ldd >/dev/null 2>&1; then
            check "$name resolves libcors.so.1 in DESTDIR" 0 sh -c "ldd '$tmp/$name' | grep 'libcors.so' | grep -q '$LIB/'"
        fi
    fi
    if check "$name.c: linked with the installed libcors.a" 0 cc -std=c11 -Wall -Werror "$src" \
        -I"$D$PREFIX/include" "$LIB/libcors.a" -o "$tmp/$name-static"; then
        check "$name (static) runs" 0 env -u LD_LIBRARY_PATH "$tmp/$name-static"
    fi
done
check "installed corscheck --version" 0 "$D$PREFIX/bin/corscheck" --version
# shellcheck disable=SC2086 # the first of the programs
cmake_src=$(set -- $programs; echo "$1")

echo "man:"
man_pages "$D" "$PREFIX"

echo "CMake: $(cmake --version 2>/dev/null | head -1)"
cmake_user default "$D$PREFIX" "$LIB"

echo "Go: $(go version 2>/dev/null)"
check "go test github.com/libcors/libcors/examples/go/libcors (cgo, pkg-config libcors)" 0 sh -c "cd '$ROOT/examples/go' && go test -count=1 -v ./libcors"
grep -E '^(ok|FAIL|corpus)' "$tmp/out" | sed 's/^/        /'
check "go build + run corscheck-go" 0 sh -c \
    "cd '$ROOT/examples/go' && go build -o '$tmp/corscheck-go' ./cmd/corscheck-go && '$tmp/corscheck-go'"
# A user's module, outside this tree, with the replace directive the README shows.
mkdir -p "$tmp/gouser"
cat > "$tmp/gouser/go.mod" <<EOF
module example.com/gouser

go 1.19

require github.com/libcors/libcors/examples/go v0.2.0

replace github.com/libcors/libcors/examples/go => $ROOT/examples/go
EOF
cat > "$tmp/gouser/main.go" <<'EOF'
package main

import (
	"fmt"
	"os"

	"github.com/libcors/libcors/examples/go/libcors"
)

func main() {
	resp, err := libcors.NewResponse(200, []libcors.Header{{Name: "Access-Control-Allow-Origin", Value: "*"}})
	if err == nil {
		var r *libcors.Report
		if r, err = libcors.Evaluate(libcors.Request{Origin: "https://app.example"}, nil, resp, libcors.Options{}); err == nil && r.OK {
			fmt.Println("libcors", libcors.Version(), "allowed")
			return
		}
	}
	fmt.Println(err)
	os.Exit(1)
}
EOF
check "a module requiring github.com/libcors/libcors/examples/go through a replace directive" 0 sh -c \
    "cd '$tmp/gouser' && go build -o '$tmp/gouser/gouser' . && '$tmp/gouser/gouser'"

echo "Python: $(python3 --version 2>&1)"
check "example.py with LIBCORS_PATH" 0 env LIBCORS_PATH="$LIB/libcors.so.1" python3 "$ROOT/examples/python/example.py"
check "example.py through the system loader (LD_LIBRARY_PATH)" 0 python3 "$ROOT/examples/python/example.py"
check "python loads the installed copy" 0 python3 -c "
import sys
sys.path.insert(0, '$ROOT/examples/python')
import libcors
libcors.load()
maps = [l for l in open('/proc/self/maps') if 'libcors.so' in l]
print(libcors.load().path, maps[:1])
sys.exit(0 if maps and all('$LIB/' in l for l in maps) else 1)"
check "test_libcors.py against the installed copy" 0 env LIBCORS_PATH="$LIB/libcors.so.1" \
    python3 "$ROOT/examples/python/test_libcors.py"

# The distribution: make install-python, then a user's pip install in a venv, offline.
pip_python=
for py in "${PYTHON:-python3}" /usr/bin/python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import setuptools, wheel' 2>/dev/null && "$py" -m pip --version >/dev/null 2>&1; then
        pip_python=$py
        break
    fi
done
if [ -n "$pip_python" ]; then
    pydir=$("$pip_python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    check "make install-python PYTHON=$pip_python" 0 make -C "$ROOT" --no-print-directory install-python \
        DESTDIR="$D" PYTHON="$pip_python"
    (cd "$D" && find ".$pydir" ! -type d ! -name '*.pyc' | sort | sed 's/^\./    /')
    check "installed package: py.typed, metadata, finds the installed libcors" 0 env PYTHONPATH="$D$pydir" \
        "$pip_python" -c "
import importlib.metadata, os, libcors
assert libcors.__file__.startswith('$D$pydir/'), libcors.__file__
assert os.path.exists(os.path.join(os.path.dirname(libcors.__file__), 'py.typed'))
assert importlib.metadata.version('libcors') == libcors.__version__ == '$version', importlib.metadata.version('libcors')
resp = libcors.response_from_headers(200, [('Access-Control-Allow-Origin', '*')])
assert libcors.evaluate('https://app.example', response=resp).ok
maps = [l for l in open('/proc/self/maps') if 'libcors.so' in l]
assert maps and all('$LIB/' in l for l in maps), maps
print(libcors.load().path)"
    check "test_libcors.py against the installed package" 0 env PYTHONPATH="$D$pydir" LIBCORS_TEST_INSTALLED=1 \
        LIBCORS_PATH="$LIB/libcors.so.1" "$pip_python" "$ROOT/examples/python/test_libcors.py"
    check "pip install --no-build-isolation examples/python (venv, offline)" 0 sh -c \
        "'$pip_python' -m venv --system-site-packages '$tmp/venv' &&
         '$tmp/venv/bin/pip' install -q --no-build-isolation --no-index '$ROOT/examples/python' &&
         cd / && '$tmp/venv/bin/python' -c 'import libcors; print(libcors.__file__, libcors.version())'"
    rm -rf "$ROOT/examples/python/build" "$ROOT/examples/python/libcors.egg-info"
    check "make uninstall-python" 0 make -C "$ROOT" --no-print-directory uninstall-python DESTDIR="$D" PYTHON="$pip_python"
else
    fail "no python3 with pip, setuptools and wheel to build the package (Debian: python3-pip python3-setuptools python3-wheel)"
fi

echo "uninstall:"
check "make uninstall" 0 make -C "$ROOT" --no-print-directory uninstall DESTDIR="$D" PREFIX="$PREFIX"
left=$(cd "$D" && find . ! -type d | sort)
if [ -n "$left" ]; then
    fail "files left behind after make uninstall:"
    printf '%s\n' "$left" | sed 's/^\./        /'
else
    passed=$((passed + 1))
    echo "  ok    nothing left behind (only empty directories)"
fi

check "the cmake and man directories are gone" 0 sh -c "! test -e '$LIB/cmake/libcors' &&
    ! find '$D' -name 'corscheck.1*' -o -name 'libcors.3*' -o -name 'cors_*.3*' -o -name 'libcors*.cmake' | grep -q ."

# Another prefix, after a plain make: what embeds the prefix is made again.
P2=/opt/libcors
D2="$tmp/dest2"
echo "another prefix: make, then make install DESTDIR=$D2 PREFIX=$P2"
check "make (PREFIX=/usr/local)" 0 make -C "$ROOT" --no-print-directory
check "make install PREFIX=$P2" 0 make -C "$ROOT" --no-print-directory install DESTDIR="$D2" PREFIX="$P2"
check "libcors.pc: prefix=$P2, libdir and includedir \${prefix}-relative" 0 sh -c "
    grep -qx 'prefix=$P2' '$D2$P2/lib/pkgconfig/libcors.pc' &&
    grep -qxF 'libdir=\${exec_prefix}/lib' '$D2$P2/lib/pkgconfig/libcors.pc' &&
    grep -qxF 'includedir=\${prefix}/include' '$D2$P2/lib/pkgconfig/libcors.pc'"
check "make install-notes PREFIX=$P2 (what a real install prints): LD_LIBRARY_PATH, PKG_CONFIG_PATH" 0 sh -c \
    "make -C '$ROOT' --no-print-directory install-notes PREFIX='$P2' LDCONFIG= > '$tmp/notes' 2>&1; cat '$tmp/notes';
     grep -qF 'LD_LIBRARY_PATH=$P2/lib' '$tmp/notes' && grep -qF 'export PKG_CONFIG_PATH=$P2/lib/pkgconfig' '$tmp/notes'"
# Moved before use: nothing installed may depend on where DESTDIR was.
D3="$tmp/moved"
mv "$D2" "$D3"
LIB3="$D3$P2/lib"
PKG_CONFIG_SYSROOT_DIR="$D3" PKG_CONFIG_PATH="$LIB3/pkgconfig" PKG_CONFIG_LIBDIR="$LIB3/pkgconfig" LD_LIBRARY_PATH="$LIB3"
export PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_PATH PKG_CONFIG_LIBDIR LD_LIBRARY_PATH
cflags=$(pkg-config --cflags libcors 2>/dev/null)
libs=$(pkg-config --libs libcors 2>/dev/null)
# shellcheck disable=SC2086,SC2116 # one space between flags, as the comparison below writes them
cflags=$(echo $cflags) libs=$(echo $libs)
check "pkg-config (sysroot $D3): $cflags $libs" 0 sh -c "[ '$cflags $libs' = '-I$D3$P2/include -L$LIB3 -lcors' ]"
# shellcheck disable=SC2086 # pkg-config output is meant to split
if check "$(basename "$cmake_src"): cc \$(pkg-config --cflags --libs libcors), $P2" 0 cc -std=c11 -Wall -Werror \
    "$cmake_src" $cflags $libs -o "$tmp/prog2"; then
    check "it runs against $P2/lib/libcors.so.1" 0 sh -c "'$tmp/prog2' >/dev/null && ldd '$tmp/prog2' | grep 'libcors.so.1' | grep -qF '$LIB3/'"
fi
dp=$(env -u PKG_CONFIG_SYSROOT_DIR pkg-config --define-prefix --variable=includedir libcors 2>/dev/null)
check "pkg-config --define-prefix (no sysroot): includedir $dp" 0 sh -c "[ '$dp' = '$D3$P2/include' ]"
man_pages "$D3" "$P2"
cmake_user moved "$D3$P2" "$LIB3"
check "make uninstall PREFIX=$P2 (the moved tree)" 0 make -C "$ROOT" --no-print-directory uninstall DESTDIR="$D3" PREFIX="$P2"
left=$(cd "$D3" && find . ! -type d | sort)
if [ -n "$left" ] || [ -e "$LIB3/cmake/libcors" ]; then
    fail "left behind after make uninstall PREFIX=$P2:"
    printf '%s\n' "$left" | sed 's/^\./        /'
else
    passed=$((passed + 1))
    echo "  ok    nothing left behind (only empty directories, no cmake/libcors)"
fi

# A LIBDIR outside PREFIX is written out whole; one inside it stays relative.
echo "LIBDIR outside and inside PREFIX (generated files only):"
G="$tmp/gen"
check "make libcors.pc and the CMake package, PREFIX=$P2 LIBDIR=/usr/lib/libcors-test" 0 make -C "$ROOT" \
    --no-print-directory B="$G/out" PREFIX="$P2" LIBDIR=/usr/lib/libcors-test "$G/out/libcors.pc" "$G/out/cmake/libcorsConfig.cmake"
check "  libdir=/usr/lib/libcors-test, includedir=\${prefix}/include; CMake: the same, absolute" 0 sh -c "
    grep -qxF 'libdir=/usr/lib/libcors-test' '$G/out/libcors.pc' && grep -qxF 'includedir=\${prefix}/include' '$G/out/libcors.pc' &&
    grep -qF 'set(_libcors_libdir \"/usr/lib/libcors-test\")' '$G/out/cmake/libcorsConfig.cmake' &&
    grep -qF 'get_filename_component(_libcors_prefix \"$P2\" ABSOLUTE)' '$G/out/cmake/libcorsConfig.cmake'"
check "make libcors.pc and the CMake package, PREFIX=$P2 LIBDIR=$P2/lib64" 0 make -C "$ROOT" --no-print-directory \
    B="$G/out64" PREFIX="$P2" LIBDIR="$P2/lib64" "$G/out64/libcors.pc" "$G/out64/cmake/libcorsConfig.cmake"
check "  libdir=\${exec_prefix}/lib64; CMake: three levels up, \${_libcors_prefix}/lib64" 0 sh -c "
    grep -qxF 'libdir=\${exec_prefix}/lib64' '$G/out64/libcors.pc' &&
    grep -qF 'set(_libcors_libdir \"\${_libcors_prefix}/lib64\")' '$G/out64/cmake/libcorsConfig.cmake' &&
    grep -qF '\"\${_libcors_here}/../../..\" ABSOLUTE' '$G/out64/cmake/libcorsConfig.cmake'"

# PREFIX=/usr on a merged /usr: CMake may reach the package as /lib/cmake/libcors (/lib ->
# usr/lib), where climbing three levels gives /; the package then climbs from its real place.
D4="$tmp/merged"
if check "make install PREFIX=/usr into a tree whose /lib links to usr/lib" 0 sh -c \
    "make -C '$ROOT' --no-print-directory install DESTDIR='$D4' PREFIX=/usr && ln -s usr/lib '$D4/lib'"; then
    mkdir -p "$tmp/cmake-merged"
    cat > "$tmp/cmake-merged/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.10)
project(libcors_merged C)
find_package(libcors 0.2 CONFIG REQUIRED)
get_target_property(inc libcors::libcors INTERFACE_INCLUDE_DIRECTORIES)
get_target_property(lib libcors::libcors IMPORTED_LOCATION)
message(STATUS "libcors include ${inc} library ${lib}")
EOF
    check "cmake: libcors_DIR=/lib/cmake/libcors (the link) gives /usr/include and /usr/lib" 0 sh -c \
        "cmake -S '$tmp/cmake-merged' -B '$tmp/cmake-merged/build' -Dlibcors_DIR='$D4/lib/cmake/libcors' |
         grep -qxF -- '-- libcors include $D4/usr/include library $D4/usr/lib/libcors.so.$version'"
fi

# The build tree follows the prefix back.
check "make: build/libcors.pc says /usr/local again" 0 sh -c "make -C '$ROOT' --no-print-directory >/dev/null &&
    grep -qx 'prefix=/usr/local' '$ROOT/build/libcors.pc'"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
