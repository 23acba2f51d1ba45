#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every test program of build dir $1, and every tests/test_*.sh script with
# it, and end with one line "N passed, N failed". Each prints cmocka's summary
# or its own "N passed, N failed" line. VALGRIND, when set, prefixes every
# program (make valgrind), not the scripts.
B=${1:-build}
passed=0
failed=0
for t in "$B"/tests/test_* tests/test_*.sh; do
    case $t in
    *.sh)
        [ -f "$t" ] || continue
        out=$(sh "$t" "$B" 2>&1)
        rc=$?
        ;;
    *)
        [ -x "$t" ] || continue
        out=$(CORS_CORPUS_DIR=tests/corpus ${VALGRIND:-} "$t" 2>&1)
        rc=$?
        ;;
    esac
    printf '%s\n' "$out" | grep -E '^\[  (FAILED|ERROR)|^case |^  |failed$' | grep -v '^\[  PASSED' | head -50
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p; s/^\(corpus: \|replay: \)\{0,1\}\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p; s/^\(corpus: \|replay: \)\{0,1\}\([0-9]*\) passed, \([0-9]*\) failed$/\3/p' | tail -1)
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "$t: exited with status $rc"
        f=1
    fi
    echo "$(basename "$t"): $p passed, $f failed"
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
