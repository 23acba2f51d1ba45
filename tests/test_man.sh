#!/bin/sh
# SPDX-License-Identifier: MIT
# test_man.sh - the man pages: corscheck(1) names every option `corscheck --help` names
# and no other, both pages carry the version corscheck reports, they format without a
# warning (groff -ww, mandoc -T lint: when installed), and the example in libcors(3)
# compiles and runs. Usage: sh tests/test_man.sh BUILD_DIR
B=${1:-build}
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() {
    passed=$((passed + 1))
}
fail() {
    failed=$((failed + 1))
    echo "  $*"
}

# Options: --long and -x words, from the help and from the page's roff (\- is a hyphen),
# leaving out curl's options in the examples.
words() {
    grep -oE -- '(^|[][ |,("])--?[A-Za-z][A-Za-z-]*' | sed 's/^[][ |,("]*//' |
        grep -vxE -- '-(si|sI|siL|D|X|H|ww|man|T)' | sort -u
}
"$B/corscheck" --help | words > "$tmp/help"
sed 's/\\%//g; s/\\-/-/g' "$B/man/corscheck.1" | words > "$tmp/man"
missing=$(comm -23 "$tmp/help" "$tmp/man" | tr '\n' ' ')
extra=$(comm -13 "$tmp/help" "$tmp/man" | tr '\n' ' ')
if [ -z "$missing$extra" ] && [ -s "$tmp/help" ]; then ok; else
    fail "corscheck.1 and corscheck --help differ: only in --help: ${missing:-none}; only in the page: ${extra:-none}"
fi

version=$("$B/corscheck" --version | sed -n 's/.*(libcors) \([0-9][0-9.]*\).*/\1/p')
for page in "$B/man/corscheck.1" "$B/man/libcors.3"; do
    if grep -q "^\.TH [A-Z]* [13] [0-9-]* \"libcors $version\"" "$page"; then ok; else
        fail "$page: .TH does not say libcors ${version:-?}"
    fi
    if grep -n '@[A-Z_]*@' "$page" > "$tmp/left"; then
        fail "$page: placeholders left: $(cat "$tmp/left")"
    else ok; fi
    if command -v groff >/dev/null 2>&1; then
        if groff -man -ww -z "$page" > "$tmp/lint" 2>&1 && [ ! -s "$tmp/lint" ]; then ok; else
            fail "$page: groff -man -ww: $(cat "$tmp/lint")"
        fi
    fi
    if command -v mandoc >/dev/null 2>&1; then
        # Warnings and errors fail; STYLE notes (a source line over 80 bytes) are advice.
        mandoc -T lint -W warning "$page" > "$tmp/lint" 2>&1
        if [ ! -s "$tmp/lint" ]; then ok; else fail "$page: mandoc -T lint: $(cat "$tmp/lint")"; fi
    fi
done
command -v groff >/dev/null 2>&1 || command -v mandoc >/dev/null 2>&1 ||
    echo "  note: neither groff nor mandoc is installed: the pages were not formatted"

# The example program of libcors(3), as the page prints it (\e is a backslash).
awk '/^#include <libcors.h>/ { p = 1 } p && /^\.EE/ { exit } p' "$B/man/libcors.3" |
    sed 's/\\e/\\/g; s/\\-/-/g' > "$tmp/example.c"
san=
nm "$B/libcors.a" 2>/dev/null | grep -q __asan_ && san=-fsanitize=address,undefined # make sanitize's build
if ${CC:-cc} -std=c11 -Wall -Wextra -Werror $san -Iinclude "$tmp/example.c" "$B/libcors.a" -o "$tmp/example" > "$tmp/cc" 2>&1 &&
    "$tmp/example" > "$tmp/run" 2>&1; then ok; else
    fail "the example of libcors(3) does not build or run: $(cat "$tmp/cc" "$tmp/run" 2>/dev/null | head -5)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
