#!/bin/sh
# check-ffi.sh BUILD_DIR - run the Python (ctypes) and Go (cgo) bindings' test
# suites and examples against the library just built in BUILD_DIR (make check-ffi).
#
# The bindings find that library through a temporary cors.pc whose libdir is
# BUILD_DIR and includedir is ./include (Go, via pkg-config), LIBCORS_PATH
# (Python) and LD_LIBRARY_PATH (both). Go's caches live in BUILD_DIR/go; no
# module proxy is used. Fails when python3, go or pkg-config is missing.
# Ends with one line "N passed, N failed" summing both languages.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-build}
if [ ! -f "$B/libcors.so.0" ] || [ ! -f "$B/cors.pc" ]; then
    echo "check-ffi: $B/libcors.so.0 or $B/cors.pc missing: run make first"
    echo "0 passed, 1 failed"
    exit 1
fi
B=$(cd "$B" && pwd)

passed=0
failed=0
missing=
for tool in python3 go pkg-config; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    echo "check-ffi: not found:$missing (Go: apt-get install -y golang-go)"
    echo "0 passed, 1 failed"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-ffi.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# A cors.pc pointing into the build tree instead of PREFIX.
mkdir -p "$tmp/pkgconfig"
sed -e "s|^prefix=.*|prefix=$B|" -e "s|^exec_prefix=.*|exec_prefix=$B|" \
    -e "s|^libdir=.*|libdir=$B|" -e "s|^includedir=.*|includedir=$ROOT/include|" \
    "$B/cors.pc" > "$tmp/pkgconfig/cors.pc"

PKG_CONFIG_PATH="$tmp/pkgconfig"
LD_LIBRARY_PATH="$B${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
LIBCORS_PATH="$B/libcors.so.0"
CORS_CORPUS_DIR="$ROOT/tests/corpus"
PYTHONDONTWRITEBYTECODE=1
GOCACHE="$B/go/cache"
GOPATH="$B/go/path"
GOPROXY=off
GOFLAGS=-mod=mod
GOTOOLCHAIN=local
CGO_ENABLED=1
# Go's build cache does not track headers outside the module: key it on cors.h.
CGO_CPPFLAGS="-DLIBCORS_HEADER_SUM=$(cksum < "$ROOT/include/cors.h" | cut -d' ' -f1)"
export PKG_CONFIG_PATH LD_LIBRARY_PATH LIBCORS_PATH CORS_CORPUS_DIR PYTHONDONTWRITEBYTECODE \
    GOCACHE GOPATH GOPROXY GOFLAGS GOTOOLCHAIN CGO_ENABLED CGO_CPPFLAGS

. "$ROOT/tests/check-lib.sh"

# ---- Python ----
echo "python: $(python3 --version 2>&1), libcors.py against $LIBCORS_PATH"
python3 "$ROOT/examples/python/test_libcors.py" -v > "$tmp/py.log" 2>&1
rc=$?
ran=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} in .*/\1/p' "$tmp/py.log" | tail -1)
pf=$(sed -n 's/^FAILED (.*failures=\([0-9]*\).*/\1/p' "$tmp/py.log" | tail -1)
pe=$(sed -n 's/^FAILED (.*errors=\([0-9]*\).*/\1/p' "$tmp/py.log" | tail -1)
ps=$(sed -n -e 's/^OK (.*skipped=\([0-9]*\).*/\1/p' -e 's/^FAILED (.*skipped=\([0-9]*\).*/\1/p' "$tmp/py.log" | tail -1)
ran=${ran:-0} pf=${pf:-0} pe=${pe:-0} ps=${ps:-0}
py_failed=$((pf + pe))
if [ "$rc" -ne 0 ] && [ "$py_failed" -eq 0 ]; then
    py_failed=1 # did not get to run the tests
fi
py_passed=$((ran - pf - pe - ps))
grep -E '^corpus: ' "$tmp/py.log" | sed 's/^/  /'
if [ "$py_failed" -ne 0 ]; then
    grep -E '^(FAIL|ERROR):|Error|^AssertionError|libcors=' "$tmp/py.log" | head -40 | sed 's/^/  /'
    [ "$ran" -eq 0 ] && tail -20 "$tmp/py.log" | sed 's/^/  /'
fi
echo "  unittest: $py_passed passed, $py_failed failed, $ps skipped"
passed=$((passed + py_passed))
failed=$((failed + py_failed))
check "example.py" 0 python3 "$ROOT/examples/python/example.py"

# ---- Go ----
echo "go: $(go version 2>&1), package cors via pkg-config $(pkg-config --modversion cors 2>&1)"
(cd "$ROOT/examples/go" && go vet ./... && go test -count=1 -v ./...) > "$tmp/go.log" 2>&1
rc=$?
gp=$(grep -c '^--- PASS' "$tmp/go.log")
gf=$(grep -c '^--- FAIL' "$tmp/go.log")
gs=$(grep -c '^--- SKIP' "$tmp/go.log")
if [ "$rc" -ne 0 ] && [ "$gf" -eq 0 ]; then
    gf=1 # vet or build failed
fi
grep -E '^corpus: ' "$tmp/go.log" | sed 's/^/  /'
if [ "$gf" -ne 0 ]; then
    grep -vE '^ *(=== (RUN|PAUSE|CONT)|--- PASS)' "$tmp/go.log" | head -60 | sed 's/^/  /'
fi
echo "  go test: $gp passed, $gf failed, $gs skipped"
passed=$((passed + gp))
failed=$((failed + gf))
check "go build ./cmd/corscheck-go" 0 sh -c "cd '$ROOT/examples/go' && go build -o '$tmp/corscheck-go' ./cmd/corscheck-go"
check "corscheck-go (bundled exchange allowed)" 0 "$tmp/corscheck-go"
check "corscheck-go (demo exchange refused)" 1 "$tmp/corscheck-go" -method PUT -credentials include \
    -header 'Content-Type: application/json' \
    -preflight "$ROOT/examples/demo/onebalance-preflight.txt" -response "$ROOT/examples/demo/onebalance-response.txt"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
