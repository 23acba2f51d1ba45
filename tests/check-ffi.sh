#!/bin/sh
# SPDX-License-Identifier: MIT
# check-ffi.sh BUILD_DIR - run the Python (ctypes) and Go (cgo) bindings' test
# suites and examples against the library just built in BUILD_DIR, then the
# JSON report contract: corscheck --json, Python's Report.to_json() and Go's
# json.Marshal(report) must give the same bytes (make check-ffi).
#
# The bindings find that library through a temporary libcors.pc whose libdir
# is BUILD_DIR and includedir is ./include (Go, via pkg-config), LIBCORS_PATH
# (Python) and LD_LIBRARY_PATH (both). Go's caches live in BUILD_DIR/go; no
# module proxy is used. Fails when python3, go or pkg-config is missing; the
# typing check is skipped when mypy is (apt-get install mypy).
# Ends with one line "N passed, N failed" summing everything.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-build}
if [ ! -f "$B/libcors.so.1" ] || [ ! -f "$B/libcors.pc" ] || [ ! -x "$B/corscheck" ]; then
    echo "check-ffi: $B/libcors.so.1, $B/libcors.pc or $B/corscheck missing: run make first"
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

# A libcors.pc pointing into the build tree instead of PREFIX.
mkdir -p "$tmp/pkgconfig"
sed -e "s|^prefix=.*|prefix=$B|" -e "s|^exec_prefix=.*|exec_prefix=$B|" \
    -e "s|^libdir=.*|libdir=$B|" -e "s|^includedir=.*|includedir=$ROOT/include|" \
    "$B/libcors.pc" > "$tmp/pkgconfig/libcors.pc"

PKG_CONFIG_PATH="$tmp/pkgconfig"
LD_LIBRARY_PATH="$B${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
LIBCORS_PATH="$B/libcors.so.1"
CORS_CORPUS_DIR="$ROOT/tests/corpus"
PYTHONDONTWRITEBYTECODE=1
GOCACHE="$B/go/cache"
GOPATH="$B/go/path"
GOPROXY=off
GOFLAGS=-mod=mod
GOTOOLCHAIN=local
CGO_ENABLED=1
# Go's build cache does not track headers found through pkg-config: key it on libcors.h.
CGO_CPPFLAGS="-DLIBCORS_HEADER_SUM=$(cksum < "$ROOT/include/libcors.h" | cut -d' ' -f1)"
export PKG_CONFIG_PATH LD_LIBRARY_PATH LIBCORS_PATH CORS_CORPUS_DIR PYTHONDONTWRITEBYTECODE \
    GOCACHE GOPATH GOPROXY GOFLAGS GOTOOLCHAIN CGO_ENABLED CGO_CPPFLAGS

. "$ROOT/tests/check-lib.sh"

# ---- Python ----
echo "python: $(python3 --version 2>&1), package examples/python/libcors against $LIBCORS_PATH"
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
if command -v mypy >/dev/null 2>&1; then
    check "mypy --strict libcors" 0 sh -c "cd '$ROOT/examples/python' && mypy --strict --cache-dir=/dev/null libcors"
    # A misspelt keyword and a misspelt mode must be type errors.
    cat > "$tmp/misuse.py" <<'EOF'
import libcors
libcors.evaluate("https://app.example", "GET", header=[("X-A", "1")])
libcors.evaluate("https://app.example", credentials="includ")
libcors.parse_response(b"", stric=True)
libcors.PolicyConfig(["https://app.example"])
libcors.PolicyConfig(origin=["https://app.example"])
EOF
    check "mypy catches misspelt keywords and modes" 0 sh -c "cd '$ROOT/examples/python' &&
        ! MYPYPATH=. mypy --cache-dir=/dev/null '$tmp/misuse.py' > '$tmp/mypy.log' 2>&1 &&
        grep -q 'Unexpected keyword argument \"header\"' '$tmp/mypy.log' &&
        grep -q 'Unexpected keyword argument \"stric\"' '$tmp/mypy.log' &&
        grep -q 'Argument \"credentials\" to \"evaluate\" has incompatible type' '$tmp/mypy.log' &&
        grep -q 'Too many positional arguments for \"PolicyConfig\"' '$tmp/mypy.log' &&
        grep -q 'Unexpected keyword argument \"origin\" for \"PolicyConfig\"' '$tmp/mypy.log' ||
        { cat '$tmp/mypy.log'; exit 1; }"
else
    echo "  skip  mypy not found (apt-get install mypy): typing not checked"
fi

# ---- Go ----
echo "go: $(go version 2>&1), package github.com/libcors/libcors/examples/go/libcors via pkg-config libcors $(pkg-config --modversion libcors 2>&1)"
(cd "$ROOT/examples/go" && go vet ./... && go test -count=1 -v ./libcors) > "$tmp/go.log" 2>&1
rc=$?
gp=$(grep -c '^--- PASS' "$tmp/go.log")
gf=$(grep -c '^--- FAIL' "$tmp/go.log")
gs=$(grep -c '^--- SKIP' "$tmp/go.log")
if [ "$rc" -ne 0 ] && [ "$gf" -eq 0 ]; then
    gf=1 # vet or build failed
fi
# Exchange against a net/http app behind rs/cors (examples/go/rscors, its own module):
# rs/cors comes from Debian (golang-github-rs-cors-dev), nothing is downloaded.
RSCORS=/usr/share/gocode/src/github.com/rs/cors
if [ -f "$RSCORS/cors.go" ]; then
    (cd "$ROOT/examples/go/rscors" && go vet ./... && go test -count=1 -v ./...) > "$tmp/rscors.log" 2>&1
    rrc=$?
    cat "$tmp/rscors.log" >> "$tmp/go.log"
    rp=$(grep -c '^--- PASS' "$tmp/rscors.log")
    rf=$(grep -c '^--- FAIL' "$tmp/rscors.log")
    if [ "$rrc" -ne 0 ] && [ "$rf" -eq 0 ]; then
        rf=1
    fi
    gp=$((gp + rp))
    gf=$((gf + rf))
else
    echo "  skip  examples/go/rscors: $RSCORS missing (apt-get install golang-github-rs-cors-dev)"
    gs=$((gs + 1))
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
check "corscheck-go (demo exchange refused)" 1 "$tmp/corscheck-go" -origin https://app.example -method PUT \
    -credentials include -header 'Content-Type: application/json' \
    -preflight "$ROOT/examples/demo/onebalance-preflight.txt" -response "$ROOT/examples/demo/onebalance-response.txt"
check "corscheck-go (no preflight given: incomplete)" 3 "$tmp/corscheck-go" --origin=https://app.example --method PUT
printf 'origins: https://app.example\nmethods: PUT\n' > "$tmp/good.cors"
printf 'origins: https://app.example, http://partner.example\ncredentials: yes\n' > "$tmp/bad.cors"
check "corscheck-go -policy (valid)" 0 "$tmp/corscheck-go" -policy "$tmp/good.cors"
check "corscheck-go -policy (an error: line 1, exit 2)" 0 sh -c "
    '$tmp/corscheck-go' -policy '$tmp/bad.cors'; [ \$? -eq 2 ] &&
    '$tmp/corscheck-go' -policy '$tmp/bad.cors' 2>/dev/null | grep -q '^$tmp/bad.cors:1: error: origin-insecure-with-credentials:'"
check "corscheck-go -policy -origin (refused)" 1 "$tmp/corscheck-go" -policy "$tmp/good.cors" \
    -origin https://app.example -method DELETE

# ---- one JSON report from C, Python and Go ----
echo "json: corscheck --json, Report.to_json(), json.Marshal(report)"
python3 "$ROOT/tests/check-json.py" --corscheck "$B/corscheck" --corscheck-go "$tmp/corscheck-go" > "$tmp/json.log" 2>&1
rc=$?
sed 's/^/  /' "$tmp/json.log" | tail -30
jp=$(sed -n 's/^json: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tmp/json.log")
jf=$(sed -n 's/^json: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tmp/json.log")
jp=${jp:-0} jf=${jf:-0}
if [ "$rc" -ne 0 ] && [ "$jf" -eq 0 ]; then
    jf=1
fi
passed=$((passed + jp))
failed=$((failed + jf))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
