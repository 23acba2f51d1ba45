#!/bin/sh
# SPDX-License-Identifier: MIT
# test_layout.sh [BUILD_DIR] - tests/ mirrors lib/: every lib/NAME.c has its
# tests/test_NAME.c, or a row of tests/README.md's table naming the shared
# program that covers it ("(shared)"); every program that row names exists.
# tests/run.sh runs it with make check. Ends with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
passed=0
failed=0
for f in lib/*.c; do
    name=$(basename "$f" .c)
    if [ -f "tests/test_$name.c" ]; then
        passed=$((passed + 1))
        continue
    fi
    shared=$(sed -n "s/^| \`$name\\.c\` | \`\\(test_[a-z_]*\\.c\\)\` (shared) |.*/\\1/p" tests/README.md)
    if [ -n "$shared" ] && [ -f "tests/$shared" ]; then
        passed=$((passed + 1))
    else
        echo "  $f: no tests/test_$name.c, and tests/README.md names no shared program for it"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
